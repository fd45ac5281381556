import Foundation

/// Random ``LibraryCase``s from a seed: each function with arguments drawn mostly from the values
/// that suit their position (edge positions, negative and huge counts, lists with metatables,
/// order functions that lie) and sometimes from any pool (wrong types). Calls that would keep the
/// stock interpreter busy for years (a move over 2^62 elements, a repeat of "" 2^63 times) are
/// left out: the run's limits stop those, and stock Lua has no answer to compare with.
struct LibraryCaseGenerator {
    /// SplitMix64: small, and the same sequence for a seed on every platform.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    }

    var random: Random

    init(seed: UInt64) { random = Random(state: seed) }

    static let smallIntegers = ["-2", "-1", "0", "1", "2", "3", "4", "5", "6", "7", "10"]
    static let oddNumbers = ["math.maxinteger", "math.mininteger", "math.maxinteger - 1", "math.mininteger + 1", "2^53", "2^63",
                             "-2^63", "1.0", "3.0", "1.5", "-0.0", "0/0", "1e300", "\"3\"", "\" 0x10 \"", "\"x\"", "nil", "true", "{}"]
    static let lists = ["{}", "{1, 2, 3}", "{10, 20, 30, 40, 50}", "{\"a\", \"b\", \"c\"}", "{1, nil, 3}", "{n = 1}", "{\"x\", 2, 3.5}",
                        "P(3, 1, 2, 3)", "P(0)", "P(5, \"a\", \"b\", \"c\", \"d\", \"e\")", "P(nil, 1, 2)", "P(2.0, 7, 8)", "P(\"2\", 7, 8)",
                        "P(2.5, 1, 2, 3)", "P(-1, 4)", "LEN(2, 1, 2, 3, 4)", "LEN(6, 1, 2)", "LEN(0, 1)", "LEN(\"x\")", "LEN(nil, 5)",
                        "RO(1, 2, 3)", "IDX(1, 2, 3)", "EQ(1, 2, 3)", "{OBJ(2, 1), OBJ(1, 2)}", "{1, \"2\", 3}",
                        "SEQ(9, 4, 7)", "SEQ(20, 3, 11)", "RECS(12, 3, 5)", "RECS(40, 5, 9)", "SEQ(120, 6, 13)", "RECS(125, 8, 3)",
                        "\"abc\"", "5", "nil", "true", "CALLABLE"]
    static let hugeLists = ["LEN(math.maxinteger, 1, 2)", "LEN(2^31, 1)", "LEN(2147483647)", "LEN(2^53, \"a\")", "LEN(math.mininteger)",
                            "P(math.maxinteger, 1)", "LEN(2^63)"]
    static let orders = ["C.lt", "C.gt", "C.le", "C.always", "C.never", "C.err", "C.errt", "C.log", "C.key", "C.keyle", "C.one",
                         "C.none", "C.flip", "nil", "5", "CALLABLE", "{}"]
    static let values = ["\"v\"", "0", "nil", "false", "{}", "1.5", "OBJ(1, 9)"]
    static let texts = ["\"\"", "\"a\"", "\"ab\"", "\"xyz\"", "\"a\\0b\"", "12", "1.5", "-0.0", "math.mininteger", "{}", "nil", "true", "OBJ(1, 1)"]
    static let repeats = ["-1", "0", "1", "2", "3", "10", "100", "1 << 30", "1 << 31", "(1 << 31) - 1", "1 << 62", "math.maxinteger",
                          "math.mininteger", "2^53", "2.0", "2.5", "\"3\"", "\"x\"", "nil"]
    static let functions = ["error", "F.ret3", "F.count", "F.errtable", "F.errnil", "F.errnum", "F.errlevel", "F.errnolevel", "F.yield",
                            "F.nested", "F.copcall", "F.coxpcall", "nil", "{}", "CALLABLE", "string.rep", "select", "pcall", "xpcall", "table.unpack", "print"]
    static let handlers = ["F.handler", "F.handlererr", "F.handlernone", "F.handlermany", "error", "nil", "CALLABLE", "{}", "print"]
    static let subjects = ["\"hello world\"", "\"\"", "\"a.b.c\"", "\"aaa\"", "\"x=1, y=22\"", "123", "1.5", "{}", "nil"]
    static let patterns = ["\"o\"", "\"(o)(r)\"", "\"%d+\"", "\"%a+\"", "\"[\"", "\"%\"", "\"\"", "\"^h\"", "\"()\"", "\"(\"", "\".-\"",
                           "\"%w*\"", "\"a-\"", "2", "{}", "nil"]
    static let replacements = ["\"<%0>\"", "\"%1\"", "\"%2\"", "\"%\"", "\"%%\"", "\"\"", "{}", "{o = \"0\", l = false, h = {}}", "F.repl",
                               "F.replfalse", "F.repltable", "5", "true", "nil"]

    /// Any argument at all, for the wrong-type draws.
    var anything: String {
        mutating get { random.pick([Self.smallIntegers, Self.oddNumbers, Self.lists, Self.values, Self.texts, Self.orders].flatMap(\.self)) }
    }

    mutating func draw(_ pool: [String]) -> String {
        random.chance(12) ? anything : random.pick(pool)
    }

    var index: String { mutating get { random.chance(75) ? random.pick(Self.smallIntegers) : draw(Self.oddNumbers) } }

    /// One random case (never one that would run for years in stock Lua).
    mutating func next() -> LibraryCase {
        while true {
            let candidate = draft()
            if Self.isBounded(candidate) && !Self.countsHandlerCalls(candidate) { return candidate }
        }
    }

    mutating func draft() -> LibraryCase {
        let direct = random.chance(70)
        let count = random.below(4)
        var arguments: [String]
        let function = random.pick(["table.insert", "table.remove", "table.move", "table.concat", "table.unpack", "table.sort",
                                    "string.rep", "pcall", "xpcall", "string.find", "string.match", "string.gmatch", "string.gsub"])
        switch function {
        case "table.insert": arguments = [draw(Self.lists), index, draw(Self.values)]
        case "table.remove": arguments = [draw(Self.lists), index]
        case "table.move":
            let destination = random.pick(["a1", "{}", "P(0)", "RO()", "EQ()", "\"abc\"", "nil", "5", "P(nil, 1, 2, 3)"])
            arguments = [draw(Self.lists), index, index, index, destination]
        case "table.concat":
            arguments = [draw(random.chance(15) ? Self.hugeLists : Self.lists), draw(["\"\"", "\",\"", "\", \"", "1", "{}", "nil"]), index, index]
        case "table.unpack":
            arguments = [draw(random.chance(15) ? Self.hugeLists : Self.lists), index,
                         random.chance(20) ? random.pick(["100000", "3000000", "1 << 31", "math.maxinteger"]) : index]
        case "table.sort": arguments = [draw(random.chance(10) ? Self.hugeLists : Self.lists), draw(Self.orders)]
        case "string.rep": arguments = [draw(Self.texts), draw(Self.repeats), draw(["\"\"", "\",\"", "\"--\"", "7", "nil", "{}"])]
        case "pcall": arguments = [draw(Self.functions), draw(Self.values), draw(Self.smallIntegers)]
        case "xpcall": arguments = [draw(Self.functions), draw(Self.handlers), draw(Self.values), draw(Self.smallIntegers)]
        case "string.gsub": arguments = [draw(Self.subjects), draw(Self.patterns), draw(Self.replacements), index]
        case "string.find": arguments = [draw(Self.subjects), draw(Self.patterns), index, draw(["true", "false", "nil", "1"])]
        default: arguments = [draw(Self.subjects), draw(Self.patterns), index]
        }
        // Fewer arguments sometimes (defaults, "wrong number of arguments"), or one more.
        let kept = count == 0 ? arguments.count - random.below(arguments.count + 1) : arguments.count
        arguments = Array(arguments.prefix(kept))
        if count == 3 { arguments.append(draw(Self.values)) }
        return LibraryCase(function, arguments, direct: direct)
    }

    /// Whether an xpcall in the case may get C.log, which raises an error, as its message handler:
    /// such a handler is called again until the C stack's limit (200 levels, counted from the
    /// host's own nesting, which is one level deeper in lua.c than in phasekit), and the log shows
    /// that count. Stock Lua's own count changes with where the call is made from.
    static func countsHandlerCalls(_ c: LibraryCase) -> Bool {
        (c.function == "xpcall" || c.arguments.contains("xpcall")) && c.arguments.contains("C.log")
    }

    /// An integer argument's value when it is a plain integer literal (or a named extreme).
    static func integer(_ expression: String?) -> Int? {
        guard let expression else { return nil }
        switch expression {
        case "math.maxinteger": return Int.max
        case "math.mininteger": return Int.min
        case "math.maxinteger - 1": return Int.max - 1
        case "math.mininteger + 1": return Int.min + 1
        case "1 << 30": return 1 << 30
        case "1 << 31": return 1 << 31
        case "(1 << 31) - 1": return (1 << 31) - 1
        case "1 << 62": return 1 << 62
        case "100000": return 100_000
        case "3000000": return 3_000_000
        case "2^53": return 1 << 53
        case "-2^63": return Int.min
        case "1.0": return 1
        case "2.0": return 2
        case "3.0": return 3
        case "-0.0": return 0
        case "\"3\"": return 3
        case "\" 0x10 \"": return 16
        default: return Int(expression)
        }
    }

    /// Whether stock Lua finishes the case quickly: no move, insert or remove loop over a huge range,
    /// no repeat of huge count that stock would build (or loop over) rather than refuse.
    static func isBounded(_ c: LibraryCase) -> Bool {
        let a = c.arguments
        func at(_ i: Int) -> String? { i < a.count ? a[i] : nil }
        switch c.function {
        case "table.move":
            guard let f = integer(at(1)), let e = integer(at(2)), e >= f else { return true }
            let (span, overflow) = e.subtractingReportingOverflow(f)
            if overflow || span >= Int.max { return true }                        // "too many elements to move"
            if let t = integer(at(3)), t > Int.max - span { return true }         // "destination wrap around"
            return span < 10_000 || at(3).flatMap(integer) == nil
        case "table.insert":
            return !Self.hugeLists.contains(at(0) ?? "")
        case "table.remove":
            // remove moves list[pos+1 .. #list] down: from a very negative position to a negative
            // length (P(-1, ...)) that is 2^63 moves, and stock's bounds check lets it through.
            if at(0) == "P(-1, 4)", let position = integer(at(1)), position < -1_000 { return false }
            return !Self.hugeLists.contains(at(0) ?? "")
        case "string.rep":
            guard let n = integer(at(1)), n > 100_000 else { return true }
            let length = at(0).map(textLength) ?? 0
            let separator = at(2).map(textLength) ?? 0
            return length + separator > Int(Int32.max) / n                        // refused as too large
        default:
            return true
        }
    }

    /// The length of a string argument as Lua converts it (numbers included).
    static func textLength(_ expression: String) -> Int {
        switch expression {
        case "\"\"", "nil", "{}", "true", "OBJ(1, 1)", "OBJ(1, 9)": return 0
        case "\"a\\0b\"": return 3
        case "math.mininteger": return 20
        default: return expression.hasPrefix("\"") ? expression.count - 2 : expression.count
        }
    }
}
