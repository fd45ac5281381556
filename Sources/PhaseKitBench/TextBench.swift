import Foundation

/// Target 6: one text-processing script (find, match, gmatch and gsub with typical patterns over
/// about 10 MB of generated log lines) under `phasekit run` and under `lua5.4`, alternating. The
/// script times its own processing with `os.clock()` (CPU time, the text generation excluded) and
/// prints its results, which must be the same under both.
enum TextBench {
    static let script = #"""
        local levels = {"INFO", "INFO", "INFO", "WARN", "ERROR", "DEBUG"}
        local users = {"alice", "bob", "carol", "dave", "erin", "frank_7"}
        local seed = 42
        local function random(n) seed = (seed * 1103515245 + 12345) % 2147483648 return seed % n + 1 end
        local lines, size = {}, 0
        while size < 10 * 1024 * 1024 do
          local line = string.format(
            "2026-11-%02d %02d:%02d:%02d [%s] user=%s ip=10.%d.%d.%d GET /api/v1/items/%d?page=%d status=%d took=%dms msg=\"%s\"",
            random(28), random(24) - 1, random(60) - 1, random(60) - 1, levels[random(6)], users[random(6)],
            random(255), random(255), random(255), random(100000), random(20), ({200, 200, 200, 404, 500})[random(5)],
            random(2000), "handled (worker " .. random(16) .. ") in queue [" .. random(4) .. "]")
          lines[#lines + 1] = line
          size = size + #line + 1
        end
        local text = table.concat(lines, "\n")
        local start = os.clock()
        local errors, at = 0, 1
        while true do
          local s, e = string.find(text, "[ERROR]", at, true)
          if not s then break end
          errors, at = errors + 1, e + 1
        end
        local slow, byUser, notFound = 0, {}, 0
        for line in string.gmatch(text, "[^\n]+") do
          local user, status, took = string.match(line, "user=([%w_]+) .- status=(%d+) took=(%d+)ms")
          byUser[user] = (byUser[user] or 0) + 1
          if tonumber(took) > 1500 then slow = slow + 1 end
          if string.find(line, "status=404", 1, true) then notFound = notFound + 1 end
          if string.find(line, "^%d+%-%d+%-%d+ %d+:%d+:%d+ %[WARN%]") then slow = slow + 0 end
        end
        local items = 0
        for id in string.gmatch(text, "/items/(%d+)%?") do items = items + #id end
        local masked, ips = string.gsub(text, "%d+%.%d+%.%d+%.%d+", "x.x.x.x")
        local hours = {}
        local _, stamps = string.gsub(text, "(%d%d):%d%d:%d%d", function(hour) hours[hour] = true end)
        local trimmed, words = string.gsub(text, "msg=\"(.-)\"", "%1")
        local elapsed = os.clock() - start
        print(string.format("result=%d,%d,%d,%d,%d,%d,%d,%d,%d,%d", errors, slow, byUser.alice, notFound, items, ips,
          #masked, stamps, words, #trimmed))
        print(string.format("elapsed=%.6f", elapsed))
        """#

    static func run(rounds: Int, directory: String) throws -> ResultRow {
        let phasekit = releaseDirectory() + "/phasekit"
        guard FileManager.default.isExecutableFile(atPath: phasekit) else {
            throw BenchError("\(phasekit) is missing: build it with `make bench` (`swift build -c release --static-swift-stdlib --product phasekit`)")
        }
        let path = directory + "/text.lua"
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        var results: Set<String> = []
        func measure(_ arguments: [String]) throws -> Double {
            let output = try capture(arguments)
            guard let elapsed = value(of: "elapsed", in: output).flatMap(Double.init),
                  let result = value(of: "result", in: output) else {
                throw BenchError("\(arguments.joined(separator: " ")) printed no result: \(output.suffix(300))")
            }
            results.insert(result)
            return elapsed * 1e9
        }
        let samples = try PairedSamples.collect(rounds: rounds) {
            try measure([phasekit, "run", path])
        } baseline: {
            try measure(["/usr/bin/lua5.4", path])
        }
        guard results.count == 1 else { throw BenchError("phasekit and lua5.4 computed different results: \(results)") }
        let ratio = samples.medianRatio
        return ResultRow(
            benchmark: "6. text processing, 10 MB", subject: formatDuration(nanoseconds: median(samples.subject)),
            baseline: formatDuration(nanoseconds: median(samples.baseline)) + " (lua5.4)", ratio: ratio,
            target: "<= 1.1x", passed: ratio <= 1.1,
            note: "find (plain and anchored), match, gmatch and gsub (string and function) over generated log lines, "
                + "CPU time of the processing only, \(rounds) alternating runs of `phasekit run` (release) and `lua5.4`"
        )
    }

    /// Runs a program and returns what it printed.
    static func capture(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// The text after `name=` up to the end of its line.
    static func value(of name: String, in output: String) -> String? {
        guard let range = output.range(of: name + "=") else { return nil }
        return output[range.upperBound...].split(separator: "\n", maxSplits: 1).first.map(String.init)
    }
}
