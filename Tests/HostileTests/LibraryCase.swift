import Foundation
import TestSupport

/// One call of a library function that phasekit rewrote (Sources/CLuaShim: strings.c, tables.c,
/// table_sort.c, sandbox.c's pcall and xpcall, pattern_*.c), run by the built `phasekit run` and
/// by Debian's `lua5.4`, each printing one line per case (``LibraryDriver``).
struct LibraryCase: Sendable, CustomStringConvertible, Hashable {
    /// The function as Lua names it: `table.insert`, `string.rep`, `pcall`, ...
    var function: String
    /// Each argument as a Lua expression; a later one may name an earlier one (`a1`).
    var arguments: [String]
    /// Called by name from a Lua function (errors then say `'insert'` and carry the calling line),
    /// or handed to `pcall` (errors say `'table.insert'`, found through the loaded modules).
    var direct: Bool = true

    init(_ function: String, _ arguments: [String], direct: Bool = true) {
        self.function = function
        self.arguments = arguments
        self.direct = direct
    }

    var description: String {
        "\(function)(\(arguments.joined(separator: ", ")))" + (direct ? "" : " [through pcall]")
    }

    /// The case as a Lua function returning its line. gmatch's iterator is run to its end.
    var luaFunction: String {
        let names = arguments.indices.map { "a\($0 + 1)" }
        var lines = ["function()"]
        for (name, argument) in zip(names, arguments) { lines.append("  local \(name) = \(argument)") }
        lines.append("  local args = name_args(\(names.joined(separator: ", ")))")
        let list = names.joined(separator: ", ")
        if direct {
            let call = function == "string.gmatch" ? "ITER(\(function)(\(list)))" : "keep(\(function)(\(list)))"
            lines.append("  return finish(args, pcall(function() return \(call) end))")
        } else {
            lines.append("  return finish(args, pcall(\(([function] + names).joined(separator: ", "))))")
        }
        lines.append("end")
        return lines.joined(separator: "\n")
    }

    /// The whole script: the helpers, the cases, and a loop printing `@@LINE` per case.
    static func script(_ cases: [LibraryCase]) -> String {
        LibraryDriver.helpers + "\nlocal CASES = {\n" + cases.map(\.luaFunction).joined(separator: ",\n") + "\n}\n"
            + "for i = 1, #CASES do print(\"@@\" .. run_case(CASES[i])) end\n"
    }

    /// A scratch site and script file, removed afterwards.
    static func withScript<T>(_ cases: [LibraryCase], _ body: (String, String) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-parity-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }   // scratch: a leftover is harmless
        try "name: parity\n".write(toFile: directory + "/site.yaml", atomically: true, encoding: .utf8)
        try script(cases).write(toFile: directory + "/cases.lua", atomically: true, encoding: .utf8)
        return try body(directory, directory + "/cases.lua")
    }

    /// The case lines from `phasekit run` (printed lines appear in its report as `| @@LINE`).
    static func runInPhasekit(site: String, script: String) throws -> [String] {
        let run = try LimitedChild.run(["run", script, "--site", site, "--time-limit", "120"], killAfter: 180)
        let marker = "| @@"
        return run.output.components(separatedBy: "\n").compactMap { line in
            line.range(of: marker).map { String(line[$0.upperBound...]) }
        } + (run.status == 0 ? [] : ["phasekit run ended with status \(run.status): \(run.text.suffix(2000))"])
    }

    /// The case lines from Debian's `lua5.4` running the same file (so positions name the same path).
    static func runInStockLua(script: String) throws -> [String] {
        let process = Process()
        // At most 2 GiB of address space: a case that runs away in stock Lua fails, not the machine.
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -v 2097152; exec /usr/bin/lua5.4 \"$0\"", script]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async { [process] in
            // SIGKILL: the child inherits the test thread's blocked signals, SIGTERM among them.
            if done.wait(timeout: .now() + 180) == .timedOut { kill(process.processIdentifier, SIGKILL) }
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        done.signal()
        return String(decoding: data, as: UTF8.self).components(separatedBy: "\n").compactMap { line in
            line.hasPrefix("@@") ? String(line.dropFirst(2)) : nil
        }
    }

    /// Both interpreters' lines for `cases`.
    static func outputs(_ cases: [LibraryCase]) throws -> (ours: [String], stock: [String]) {
        try withScript(cases) { site, script in
            (try runInPhasekit(site: site, script: script), try runInStockLua(script: script))
        }
    }

    /// The index of the first case whose lines differ (the count when the outputs do not line up).
    static func firstDifferingIndex(_ cases: [LibraryCase]) throws -> Int? {
        let (ours, stock) = try outputs(cases)
        if let index = cases.indices.first(where: { $0 >= ours.count || $0 >= stock.count || ours[$0] != stock[$0] }) {
            return index
        }
        return ours.count == cases.count && stock.count == cases.count ? nil : cases.count
    }

    /// The first case whose lines differ, with both lines; nil when all agree.
    static func firstDifference(_ cases: [LibraryCase]) throws -> String? {
        let (ours, stock) = try outputs(cases)
        for index in cases.indices where index >= ours.count || index >= stock.count || ours[index] != stock[index] {
            let mine = index < ours.count ? ours[index] : "(no line: \(ours.last ?? ""))"
            let theirs = index < stock.count ? stock[index] : "(no line: \(stock.last ?? ""))"
            return "\(cases[index])\n  phasekit: \(mine)\n  lua5.4:   \(theirs)"
        }
        if ours.count != cases.count || stock.count != cases.count {
            return "line counts differ: phasekit \(ours.count), lua5.4 \(stock.count), cases \(cases.count): \(ours.last ?? "")"
        }
        return nil
    }
}
