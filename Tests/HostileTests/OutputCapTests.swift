import Foundation
import Testing

/// The stated caps on log output and site.yaml, on the built binary.
@Suite("Output caps and site.yaml expansion (built binary)", .serialized)
struct OutputCapTests {
    @Test func aLongLogLineIsCutAndMarked() throws {
        let site = try MemoryAttackTests.makeSite()
        defer { try? FileManager.default.removeItem(atPath: site) }
        try "phase.log(string.rep('a', 1024 * 1024))\nprint('after')\n".write(toFile: site + "/log.lua", atomically: true, encoding: .utf8)
        let run = try LimitedChild.run(["run", site + "/log.lua", "--site", site, "--json"] + LimitedChild.limitFlags)
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("… [truncated at 16384 bytes]"), "\(run.output.suffix(500))")
        #expect(run.output.contains("after"))
        #expect(run.output.utf8.count < 64 * 1024, "the report holds the whole line: \(run.output.utf8.count) bytes")
    }

    @Test func theRunsLogIsCappedWithOneMarkerLine() throws {
        let site = try MemoryAttackTests.makeSite()
        defer { try? FileManager.default.removeItem(atPath: site) }
        try "local line = string.rep('l', 1000)\nfor i = 1, 20000 do phase.log(i, line) end\n"
            .write(toFile: site + "/log.lua", atomically: true, encoding: .utf8)
        let run = try LimitedChild.run(["run", site + "/log.lua", "--site", site, "--json"] + LimitedChild.limitFlags)
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.components(separatedBy: "[log truncated").count == 2, "one marker line")
        #expect(run.output.utf8.count < 6 * 1024 * 1024, "report of \(run.output.utf8.count) bytes")
    }

    @Test func aYAMLAliasBombInSiteYamlIsRefusedWithItsLine() throws {
        let site = try MemoryAttackTests.makeSite()
        defer { try? FileManager.default.removeItem(atPath: site) }
        var yaml = "name: bomb\nparameters:\n  sync:\n    a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for (previous, name) in zip(names, names.dropFirst()) {
            yaml += "    \(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
        }
        #expect(yaml.utf8.count < 1024)
        try yaml.write(toFile: site + "/site.yaml", atomically: true, encoding: .utf8)
        let run = try LimitedChild.run(["run", "sync", "--site", site] + LimitedChild.limitFlags)
        #expect(run.status == 1, "\(run.text)")
        #expect(run.text.contains("site.yaml:"), "\(run.text)")
        #expect(run.text.contains("alias"), "\(run.text)")
        MemoryAttackTests.expectBounded(run, "alias bomb")
    }

    @Test func aMergeKeyBombIsRefusedToo() throws {
        let site = try MemoryAttackTests.makeSite()
        defer { try? FileManager.default.removeItem(atPath: site) }
        var yaml = "name: bomb\nparameters:\n  sync:\n    a0: &a0 {k: [1, 2, 3, 4, 5, 6, 7, 8]}\n"
        for level in 1...12 {
            yaml += "    a\(level): &a\(level) {x: [*a\(level - 1), *a\(level - 1), *a\(level - 1), *a\(level - 1)], <<: *a\(level - 1)}\n"
        }
        try yaml.write(toFile: site + "/site.yaml", atomically: true, encoding: .utf8)
        let run = try LimitedChild.run(["run", "sync", "--site", site] + LimitedChild.limitFlags)
        #expect(run.status == 1, "\(run.text)")
        #expect(run.text.contains("site.yaml:"), "\(run.text)")
        MemoryAttackTests.expectBounded(run, "merge bomb")
    }
}
