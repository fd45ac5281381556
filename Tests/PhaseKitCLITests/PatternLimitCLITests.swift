import Foundation
import Testing

/// `phasekit run` with a catastrophic pattern: the matcher stops at the time limit, exit 1.
@Suite("phasekit run: pattern matching within the time limit")
struct PatternLimitCLITests {
    @Test(arguments: [
        #"string.find(string.rep("a", 3000), ".-.-.-.-b")"#,
        #"string.match(string.rep("a", 3000), "(.-)(.-)(.-)(.-)b")"#,
        #"string.gsub(string.rep("a", 3000), "a*a*a*a*b", "")"#,
    ])
    func catastrophicPatternEndsAtTheTimeLimit(call: String) throws {
        let path = try CLITests.script("local r = \(call)\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let started = Date()
        let result = try CLITests.phasekit(["run", path, "--time-limit", "0.5"])
        #expect(result.status == 1)
        #expect(result.output.contains("time limit exceeded"), "\(result.output)\(result.error)")
        #expect(Date().timeIntervalSince(started) < 10)
    }
}
