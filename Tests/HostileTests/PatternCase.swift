import Foundation
import LuaRuntime

/// One call of a pattern function, run through phasekit's Lua and through the stock `lua5.4`.
struct PatternCase: Sendable, CustomStringConvertible {
    /// find, plain (find with `plain`), match, gmatch, gsub (string replacement), gsubt (table), gsubf (function).
    var operation: String
    var subject: [UInt8]
    var pattern: [UInt8]
    var initial: Int?
    /// gsub's string replacement.
    var replacement: [UInt8] = []
    /// gsub's `n`.
    var limit: Int?

    init(_ operation: String, _ subject: String, _ pattern: String, _ initial: Int? = nil,
         replacement: String = "", limit: Int? = nil) {
        self.init(operation: operation, subject: Array(subject.utf8), pattern: Array(pattern.utf8),
                  initial: initial, replacement: Array(replacement.utf8), limit: limit)
    }

    init(operation: String, subject: [UInt8], pattern: [UInt8], initial: Int?, replacement: [UInt8] = [], limit: Int? = nil) {
        self.operation = operation
        self.subject = subject
        self.pattern = pattern
        self.initial = initial
        self.replacement = replacement
        self.limit = limit
    }

    var description: String {
        "\(operation)(\(Self.literal(subject)), \(Self.literal(pattern)), init: \(initial.map(String.init) ?? "nil")"
            + (operation == "gsub" ? ", repl: \(Self.literal(replacement)), n: \(limit.map(String.init) ?? "nil"))" : ")")
    }

    /// The case as a Lua table constructor for the driver.
    var luaEntry: String {
        let initial = initial.map(String.init) ?? "nil"
        let limit = limit.map(String.init) ?? "nil"
        return "{\"\(operation)\", \(Self.literal(subject)), \(Self.literal(pattern)), \(initial), \(Self.literal(replacement)), \(limit)}"
    }

    /// A Lua string literal of any bytes: letters, digits and space as they are, the rest as `\ddd`.
    static func literal(_ bytes: [UInt8]) -> String {
        var text = "\""
        for byte in bytes {
            let isPlain = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x20
            text += isPlain ? String(UnicodeScalar(byte)) : String(format: "\\%03d", Int(byte))
        }
        return text + "\""
    }

    /// The driver: runs every case and returns one line per case with its results or error.
    /// Errors come from calls made by `pcall` itself, so they carry no position and both
    /// interpreters word them alike.
    static let driver = #"""
        local function show(v)
          local t = type(v)
          if t == "string" then
            local out = {}
            for i = 1, #v do
              local b = string.byte(v, i)
              if b >= 32 and b < 127 and b ~= 92 then out[#out + 1] = string.char(b) else out[#out + 1] = "\\" .. b end
            end
            return '"' .. table.concat(out) .. '"'
          elseif t == "number" then
            return math.type(v) .. ":" .. tostring(v)
          end
          return tostring(v)
        end
        local function showall(ok, ...)
          local parts = {ok and "ok" or "error"}
          for i = 1, select("#", ...) do parts[#parts + 1] = show((select(i, ...))) end
          return table.concat(parts, " ")
        end
        local replacements = {a = "<A>", b = false, c = 12, d = 2.5, x = {}, ["1"] = "one", [1] = "p1", [2] = true}
        local function replace(...)
          local n = select("#", ...)
          local first = ...
          if first == "b" then return nil elseif first == "c" then return false elseif first == "x" then return {} end
          local parts = {}
          for i = 1, n do parts[i] = tostring((select(i, ...))) end
          return n .. "[" .. table.concat(parts, ",") .. "]"
        end
        local function run_case(c)
          local op, s, p, init, r, n = c[1], c[2], c[3], c[4], c[5], c[6]
          if op == "find" then return showall(pcall(string.find, s, p, init))
          elseif op == "plain" then return showall(pcall(string.find, s, p, init, true))
          elseif op == "match" then return showall(pcall(string.match, s, p, init))
          elseif op == "gsub" then return showall(pcall(string.gsub, s, p, r, n))
          elseif op == "gsubt" then return showall(pcall(string.gsub, s, p, replacements, n))
          elseif op == "gsubf" then return showall(pcall(string.gsub, s, p, replace, n))
          elseif op == "gsubsame" then
            local same = {}
            for i, replacement in ipairs({r, replacements, replace}) do
              local ok, result = pcall(string.gsub, s, p, replacement, n)
              same[i] = ok and tostring(string.format("%p", result) == string.format("%p", s)) or "error"
            end
            return table.concat(same, " ")
          elseif op == "gmatch" then
            local ok, iterator = pcall(string.gmatch, s, p, init)
            if not ok then return showall(false, iterator) end
            local lines = {}
            for _ = 1, 40 do
              local results = table.pack(pcall(iterator))
              lines[#lines + 1] = showall(table.unpack(results, 1, results.n))
              if not results[1] or results[2] == nil then break end
            end
            return table.concat(lines, " | ")
          end
          return "unknown operation " .. op
        end
        local function run_all()
          local lines = {}
          for i, c in ipairs(CASES) do lines[i] = run_case(c) end
          return table.concat(lines, "\n")
        end
        """#

    /// The driver with `cases` in it, ending in `finish` (a statement using `run_all()`).
    static func script(_ cases: [PatternCase], finish: String) -> String {
        "local CASES = {\n" + cases.map(\.luaEntry).joined(separator: ",\n") + "\n}\n" + driver + "\n" + finish + "\n"
    }

    /// One output line per case from phasekit's Lua runtime (the sandbox with its own matcher).
    static func runInPhasekit(_ cases: [PatternCase]) throws -> [String] {
        let lua = try LuaState()
        let results = try lua.run(source: script(cases, finish: "return run_all()"), chunkName: "=patterns")
        guard case .string(let output)? = results.first else { return [] }
        return String(decoding: output.bytes, as: UTF8.self).components(separatedBy: "\n")
    }

    /// One output line per case from Debian's `lua5.4` (the script goes in on standard input).
    static func runInStockLua(_ cases: [PatternCase]) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/lua5.4")
        process.arguments = ["-"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(script(cases, finish: "io.write(run_all())").utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).components(separatedBy: "\n")
    }

    /// The index of the first case whose lines differ (or the count, when the outputs do not line up).
    static func firstDifferingIndex(_ cases: [PatternCase]) throws -> Int? {
        let ours = try runInPhasekit(cases)
        let stock = try runInStockLua(cases)
        if ours.count != cases.count || stock.count != cases.count { return cases.count }
        return cases.indices.first { ours[$0] != stock[$0] }
    }

    /// The first case whose lines differ, with both lines; nil when all agree.
    static func firstDifference(_ cases: [PatternCase]) throws -> String? {
        let ours = try runInPhasekit(cases)
        let stock = try runInStockLua(cases)
        if ours.count != cases.count || stock.count != cases.count {
            return "line counts differ: phasekit \(ours.count), lua5.4 \(stock.count), cases \(cases.count)"
        }
        for index in cases.indices where ours[index] != stock[index] {
            return "\(cases[index])\n  phasekit: \(ours[index])\n  lua5.4:   \(stock[index])"
        }
        return nil
    }
}
