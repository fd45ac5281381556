import Foundation
import Testing

/// Issue 29: `state/reports` is bounded; `history` still lists every run.
extension HistoryTests {
    @Test("reports rotate to summaries past reports.keep, diffs past reports.max_diff_kb are truncated; history lists every run")
    func reportsRotateAndHistoryListsEveryRun() throws {
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let yaml = try String(contentsOfFile: site + "/site.yaml", encoding: .utf8)
        try (yaml + "reports:\n  keep: 2\n  max_diff_kb: 4\n").write(toFile: site + "/site.yaml", atomically: true, encoding: .utf8)
        let lines = (1...40).map { "line \($0) of a configuration file\n" }.joined()
        let seed = site + "/seed.lua", replace = site + "/replace.lua"
        try "for i = 1, 3 do files.write('etc/f' .. i .. '.conf', [[\(lines)]]) end\n".write(toFile: seed, atomically: true, encoding: .utf8)
        try "for i = 1, 3 do files.write('etc/f' .. i .. '.conf', (files.read('etc/f' .. i .. '.conf'):gsub('line', 'LINE'))) end\n"
            .write(toFile: replace, atomically: true, encoding: .utf8)
        // Five reports: the seed's plan and its execution, then three analyses.
        #expect(try CLITests.phasekit(["run", seed, "--site", site, "--execute", "--yes"]).status == 0)
        for _ in 1...3 {
            let analysis = try CLITests.phasekit(["run", replace, "--site", site])
            #expect(analysis.status == 2, "\(analysis.output) \(analysis.error)")
            // The terminal still shows every diff.
            #expect(!analysis.output.contains("diff truncated") && analysis.output.contains("+LINE 40 of a configuration file"), "\(analysis.output)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: site + "/state/reports")
        #expect(names.filter { $0.hasSuffix(".summary.json") }.count == 3, "\(names.sorted())")
        #expect(names.filter { $0.hasSuffix(".json") && !$0.hasSuffix(".summary.json") }.count == 2, "\(names.sorted())")
        #expect(names.filter { $0.hasSuffix(".txt") }.count == 2, "\(names.sorted())")
        // The newest report keeps 4 KiB of diffs: the first diff (2.6 KiB) whole, the others truncated, in the JSON and the text.
        // The two kept are the last two analyses of replace.lua.
        #expect(names.filter { $0.hasSuffix(".txt") && $0.contains("-analyze-replace-") }.count == 2, "\(names.sorted())")
        let newest = try #require(names.filter { $0.hasSuffix(".txt") && $0.contains("-analyze-replace-") }.sorted().last)
        let text = try String(contentsOfFile: site + "/state/reports/" + newest, encoding: .utf8)
        #expect(text.contains("+LINE 40 of a configuration file"), "\(text)")
        #expect(text.components(separatedBy: "(diff truncated: ").count == 3, "\(text)")
        #expect(text.contains("a stored report keeps 4 KiB of diffs (reports.max_diff_kb in site.yaml))"), "\(text)")
        let json = try String(contentsOfFile: site + "/state/reports/" + newest.dropLast(4) + ".json", encoding: .utf8)
        #expect(json.contains("(diff truncated: "), "\(json.prefix(2000))")
        // The written contents share the budget: the first is kept, the later ones by size and hash.
        #expect(json.components(separatedBy: "(argument not kept: 1.2 KiB, sha256 ").count == 3, "\(json.prefix(3000))")

        let history = try CLITests.phasekit(["history", "--site", site, "--json"])
        #expect(history.status == 0, "\(history.error)")
        let runs = try #require((try JSONSerialization.jsonObject(with: Data(history.output.utf8)) as? [String: Any])?["runs"] as? [[String: Any]])
        #expect(runs.count == 5, "\(history.output)")
        #expect(runs.filter { $0["rotated"] as? Bool == true }.count == 3, "\(history.output)")
        let listed = try CLITests.phasekit(["history", "--site", site])
        #expect(listed.output.split(separator: "\n").count == 5, "\(listed.output)")
        #expect(listed.output.contains("execution of seed.lua: applied (exit 0), 3 change(s) applied"), "\(listed.output)")
        let oldest = try #require(runs.first?["id"] as? String)
        let shown = try CLITests.phasekit(["history", "--site", site, oldest])
        #expect(shown.status == 0, "\(shown.error)")
        #expect(shown.output.contains("Its full report was rotated away: this site keeps the last 2 (reports.keep in site.yaml); this is its summary."),
                "\(shown.output)")
    }

    @Test("show still tells a step's last run once that run's report was rotated to its summary")
    func showAfterRotation() throws {
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let yaml = try String(contentsOfFile: site + "/site.yaml", encoding: .utf8)
        try (yaml + "reports:\n  keep: 1\n").write(toFile: site + "/site.yaml", atomically: true, encoding: .utf8)
        let sync = try CLITests.phasekit(["run", "sync", "--site", site])
        // Changes (2), or blocked by the services check (3): its report is stored either way.
        #expect(sync.status == 2 || sync.status == 3, "\(sync.output.suffix(800)) \(sync.error)")
        let script = site + "/other.lua"
        try "print('x')\n".write(toFile: script, atomically: true, encoding: .utf8)
        #expect(try CLITests.phasekit(["run", script, "--site", site]).status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: site + "/state/reports")
        let rotated = try #require(names.first { $0.hasSuffix(".summary.json") && $0.contains("-analyze-sync-") }, "\(names)")
        let shown = try CLITests.phasekit(["show", "sync/init", "--site", site])
        #expect(shown.status == 0, "\(shown.error)")
        #expect(shown.output.contains("unchanged since the last run (\(rotated.dropLast(".summary.json".count)))"), "\(shown.output)")
    }
}
