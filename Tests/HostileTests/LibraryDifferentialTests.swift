import Foundation
import Testing

/// The library functions phasekit rewrote to bound them by the run's limits (`string.rep`,
/// `table.insert/remove/move/concat/unpack/sort`, `pcall`, `xpcall`, the pattern functions)
/// against Debian's `lua5.4`: the same calls through the built `phasekit run` and the stock
/// interpreter, every result, error message, table afterwards and metamethod call compared.
///
/// The random part runs `PHASEKIT_PARITY_CASES` cases (3,000 by default, a few seconds) from the
/// seed `PHASEKIT_PARITY_SEED` (random by default); the seed is printed, and a differing case is
/// shrunk to the smallest call that still differs.
@Suite("Rewritten library functions equal Lua 5.4")
struct LibraryDifferentialTests {
    static func calls(_ function: String, _ argumentLists: [[String]], direct: Bool = true) -> [LibraryCase] {
        argumentLists.map { LibraryCase(function, $0, direct: direct) }
    }

    /// The edge cases, the errors stock Lua raises, and the two known failures of issue 25.
    static let corpus: [LibraryCase] = {
        var cases: [LibraryCase] = []
        cases += calls("table.sort", [["{1, 2, 3, 4}", "C.always"], ["{1, 2, 3, 4}", "C.le"], ["{5, 5, 5, 5, 5}", "C.le"], ["SEQ(50, 3, 1)", "C.le"],
                                      ["SEQ(120, 4, 2)", "C.always"], ["RECS(100, 4, 7)", "C.key"], ["RECS(128, 2, 1)", "C.keyle"], ["{3, 1, 2}", "5"],
                                      ["{3}", "5"], ["{}", "5"], ["{3, 1, 2}", "C.log"], ["{3, \"a\", 2}"], ["{OBJ(3, 1), OBJ(1, 2), OBJ(3, 3)}"],
                                      ["P(4, 4, 3, 2, 1)", "C.log"], ["LEN(2147483647)"], ["LEN(2^31, 1)"], ["LEN(1, 3, 2)"],
                                      ["{2, 1}", "C.err"], ["SEQ(30, 5, 3)", "C.flip"], ["RO(2, 1)"], ["\"abc\""], ["{3, 2, 1}", "CALLABLE"]])
        for direct in [true, false] {
            cases += calls("string.rep", [["\"aa\"", "1 << 30"], ["\"a\"", "1 << 30", "\",\""], ["\"a\"", "1 << 31"], ["\"\"", "1 << 31", "\"a\""],
                                          ["\"ab\"", "(1 << 30) - 1", "\"ab\""],
                                          ["\"x\"", "-1"], ["\"x\"", "0", "\",\""], ["\"x\"", "math.mininteger"], ["\"ab\"", "3", "\"-\""],
                                          ["\"\"", "math.maxinteger", "\"a\""], ["\"a\"", "math.maxinteger"], ["12", "2", "3.5"], ["\"x\"", "2.5"],
                                          ["\"x\"", "\"2\""], ["{}", "1"], ["\"x\""], [], ["\"x\"", "2", "{}"]], direct: direct)
            cases += calls("table.insert", [["{1, 2, 3}", "1", "0"], ["{1, 2, 3}", "4", "0"], ["{1, 2, 3}", "5", "0"], ["{1, 2, 3}", "0", "0"],
                                            ["{1, 2, 3}", "-1", "0"], ["{1, 2, 3}", "\"x\"", "0"], ["{1, 2, 3}", "1.5", "0"], ["{1, 2, 3}", "2^63", "0"],
                                            ["{1, 2, 3}", "\"2\"", "0"], ["{}", "1", "2", "3"], ["{}"], [], ["5", "1"], ["P(3, 1, 2, 3)", "2", "9"],
                                            ["P(3, 1, 2, 3)", "9"], ["LEN(math.maxinteger)", "\"v\""], ["LEN(math.maxinteger)", "1", "\"v\""],
                                            ["LEN(2.5)", "1"], ["LEN(\"3\", 1, 2, 3)", "9"], ["RO(1)", "2"], ["IDX(1, 2)", "3"], ["\"abc\"", "1"]],
                           direct: direct)
            cases += calls("table.remove", [["{1, 2, 3}"], ["{1, 2, 3}", "1"], ["{1, 2, 3}", "3"], ["{1, 2, 3}", "4"], ["{1, 2, 3}", "5"],
                                            ["{1, 2, 3}", "0"], ["{}", "0"], ["{}", "-1"], ["{}"], ["{[0] = \"z\"}", "0"], ["P(3, 1, 2, 3)", "1"],
                                            ["P(0)"], ["P(nil)"], ["LEN(math.mininteger)", "math.mininteger"], ["{1, 2}", "nil"], ["{1, 2}", "\"1\""]],
                           direct: direct)
            cases += calls("table.move", [["{1, 2, 3}", "1", "3", "2"], ["{1, 2, 3}", "2", "3", "1"], ["{1, 2, 3}", "1", "3", "1", "{}"],
                                          ["{1, 2, 3}", "1", "0", "5"], ["{}", "0", "math.maxinteger", "1"], ["{}", "math.mininteger", "-1", "1"],
                                          ["{}", "1", "2", "math.maxinteger"], ["{}", "-1", "math.maxinteger - 1", "1"],
                                          ["P(3, 1, 2, 3)", "1", "3", "2"], ["P(3, 1, 2, 3)", "1", "3", "2", "EQ()"], ["EQ(1, 2, 3)", "1", "3", "2", "EQ()"],
                                          ["\"abc\"", "1", "2", "1", "{}"], ["{1}", "1", "1", "1", "\"abc\""], ["{1}", "1", "1", "1", "RO()"],
                                          ["{1, 2}", "1", "2"], ["{1, 2}", "1", "2", "1", "5"], ["{1, 2}", "1.5", "2", "1"]], direct: direct)
            cases += calls("table.concat", [["{1, 2, 3}"], ["{1, 2, 3}", "\", \""], ["{1, 2.5, \"x\"}", "\"-\"", "2"], ["{1, {}, 3}"], ["{1, 2}", "\"\"", "1", "3"],
                                            ["{}", "\"\"", "1", "1 << 62"], ["{}", "\"\"", "3", "1"], ["{OBJ(1, 1)}"], ["P(2, \"a\", \"b\")", "\",\""],
                                            ["P(2, \"a\", \"b\")", "\",\"", "1", "1"], ["LEN(2, \"a\", \"b\", \"c\")"], ["LEN(math.maxinteger, \"a\")", "\"\"", "math.maxinteger"],
                                            ["{\"a\"}", "{}"], ["{\"a\"}", "\"\"", "\"x\""], ["\"abc\""], ["{1, 2}", "3"], ["{1e300, -0.0, 2^63}"]], direct: direct)
            cases += calls("table.unpack", [["{1, 2, 3}"], ["{1, 2, 3}", "2"], ["{1, 2, 3}", "-1", "1"], ["{}", "1", "3000000"], ["{}", "1", "100000"],
                                            ["{}", "math.mininteger", "math.maxinteger"], ["{}", "math.maxinteger", "math.maxinteger"],
                                            ["{}", "1", "1 << 31"], ["{}", "0", "-1"], ["P(2, 1, 2)"], ["\"abc\""], ["5"], ["nil"], ["LEN(math.maxinteger)"],
                                            ["{1, 2}", "1.5"], ["IDX(1, 2)", "1", "3"]], direct: direct)
            cases += calls("pcall", [[], ["nil"], ["error"], ["error", "nil"], ["error", "{}"], ["F.ret3"], ["F.count", "nil", "nil"], ["F.errlevel"],
                                     ["F.errnolevel"], ["F.yield", "1"], ["CALLABLE", "1"], ["{}"], ["pcall"], ["pcall", "error", "\"x\""], ["F.nested", "\"m\""],
                                     ["string.rep", "\"aa\"", "1 << 30"], ["select", "\"#\"", "nil", "nil"], ["F.deep"],
                                     ["F.copcall", "\"x\"", "2"], ["F.coxpcall", "\"x\""], ["coroutine.yield", "1"]], direct: direct)
            cases += calls("xpcall", [[], ["F.ret3"], ["F.ret3", "F.handler"], ["error", "F.handler", "\"x\""], ["error", "F.handlererr", "\"x\""],
                                      ["error", "F.handlernone"], ["error", "F.handlermany", "1"], ["error", "nil"], ["error", "CALLABLE"],
                                      ["F.errtable", "F.handler"], ["F.count", "print", "1", "nil"], ["nil", "F.handler"], ["xpcall", "F.handler"],
                                      ["F.errlevel", "F.handler"], ["string.rep", "F.handler", "\"aa\"", "1 << 30"], ["F.deep", "F.handler"],
                                      ["F.deep", "F.handlererr"], ["F.copcall", "F.handler", "\"x\""], ["F.coxpcall", "F.handler", "\"x\""]], direct: direct)
        }
        cases += calls("string.gsub", [["\"hello world\"", "\"o\"", "F.repl"], ["\"hello world\"", "\"o\"", "true"], ["\"hello\"", "\"l\"", "\"x\"", "2.5"],
                                       ["\"hello\"", "\"\"", "\"-\"", "math.maxinteger"], ["\"abc\"", "\"%w\"", "{a = 1, b = true}"], ["\"abc\"", "\"%w\"", "F.replfalse"]])
        cases += calls("string.find", [["\"hello\"", "\"l\"", "math.mininteger"], ["\"hello\"", "\"l\"", "math.maxinteger"], ["123", "2"], ["\"a\"", "\"a\"", "1.5"]])
        // Method calls: errors count arguments from the one after `self`, or blame `self`.
        cases += [LibraryCase("(\"ab\"):rep", ["{}"]), LibraryCase("(\"ab\"):rep", ["3", "\",\""]), LibraryCase("(\"ab\"):rep", []),
                  LibraryCase("(\"hello\"):find", ["{}"]), LibraryCase("(\"hello\"):gsub", ["\"l\"", "true"]),
                  LibraryCase("(\"hello\"):match", ["\"l\"", "\"x\""])]
        cases += calls("string.gmatch", [["\"hello world\"", "\"%a+\""], ["\"hello world\"", "\"%a+\"", "-5"], ["\"abc\"", "\"()\"", "10"]])
        return cases
    }()

    @Test func handWrittenCorpus() throws {
        let difference = try LibraryCase.firstDifference(Self.corpus)
        #expect(difference == nil, "\(difference ?? "")")
    }

    /// Random cases in batches of one script per interpreter; a differing batch is narrowed to its
    /// first differing case, which is shrunk.
    @Test func randomCalls() throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["PHASEKIT_PARITY_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)
        let total = environment["PHASEKIT_PARITY_CASES"].flatMap { Int($0) } ?? 3_000
        print("LibraryDifferentialTests.randomCalls: seed \(seed) (PHASEKIT_PARITY_SEED=\(seed) replays it), \(total) cases")
        var generator = LibraryCaseGenerator(seed: seed)
        var done = 0
        while done < total {
            let batch = (0..<min(1_500, total - done)).map { _ in generator.next() }
            done += batch.count
            guard let index = try LibraryCase.firstDifferingIndex(batch) else { continue }
            guard index < batch.count else {
                Issue.record("seed \(seed): the outputs do not line up: \(try LibraryCase.firstDifference(batch) ?? "")")
                return
            }
            let smallest = try Self.shrink(batch[index])
            let difference = try LibraryCase.firstDifference([smallest]) ?? "\(batch[index]) (differs only in its batch)"
            Issue.record("seed \(seed): phasekit and lua5.4 differ:\n\(difference)")
            return
        }
    }

    /// Drops arguments and replaces them with simpler ones while the case still differs.
    static func shrink(_ failing: LibraryCase) throws -> LibraryCase {
        var smallest = failing
        var attempts = 0
        var shrunk = true
        while shrunk && attempts < 60 {
            shrunk = false
            var candidates: [LibraryCase] = []
            for index in smallest.arguments.indices.reversed() {
                var c = smallest; c.arguments.remove(at: index); candidates.append(c)
            }
            for index in smallest.arguments.indices {
                for simpler in ["nil", "1", "{}", "\"\""] where smallest.arguments[index] != simpler && !smallest.arguments[index].hasPrefix("a") {
                    var c = smallest; c.arguments[index] = simpler; candidates.append(c)
                }
            }
            if !smallest.direct { var c = smallest; c.direct = true; candidates.append(c) }
            for candidate in candidates where LibraryCaseGenerator.isBounded(candidate) && !LibraryCaseGenerator.countsHandlerCalls(candidate) {
                attempts += 1
                if try LibraryCase.firstDifferingIndex([candidate]) != nil {
                    smallest = candidate
                    shrunk = true
                    break
                }
                if attempts >= 60 { break }
            }
        }
        return smallest
    }
}
