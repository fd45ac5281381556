import Foundation
import Testing

/// `phasekit history` after an execution cut off by SIGKILL and its `resume`.
@Suite("Run history", .serialized)
struct HistoryTests {
    @Test func interruptedExecutionsAndResumesAreListedAndShownByAUniquePrefix() throws {
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let crashed = try CrashRecoveryTests.phasekit(["run", "sync", "--site", site, "--execute", "--yes"], crashAt: "journal:4")
        #expect(crashed.killed)

        let before = try CLITests.phasekit(["history", "--site", site])
        #expect(before.status == 0)
        let interruptedLine = try #require(before.output.split(separator: "\n").first { $0.contains("execution of sync") }.map(String.init))
        #expect(interruptedLine.contains("INTERRUPTED after 1 of 5 row(s), 2 change(s) applied"), "\(before.output)")
        #expect(interruptedLine.range(of: #"  [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}  "#, options: .regularExpression) != nil)
        let interrupted = try #require(interruptedLine.split(separator: " ").first.map(String.init))

        #expect(try CLITests.phasekit(["resume", "--site", site]).status == 0)
        let after = try CLITests.phasekit(["history", "--site", site])
        let lines = after.output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix(interrupted + " ") && $0.contains("INTERRUPTED after 1 of 5 row(s), 2 change(s) applied, resumed by ") }, "\(after.output)")
        let resume = try #require(lines.first { $0.contains("resume of sync: applied (exit 0)") }, "\(after.output)")
        #expect(resume.contains("continues \(interrupted)"))
        #expect(resume.range(of: #"  (<1s|[0-9]+s) +  resume"#, options: .regularExpression) != nil, "a duration: \(resume)")

        // Any unique prefix names a run; an ambiguous one is an error naming the candidates.
        let shown = try CLITests.phasekit(["history", "--site", site, String(interrupted.dropLast())])
        #expect(shown.status == 0)
        #expect(shown.output.contains("INTERRUPTED after 1 of 5 row(s), 2 change(s) applied, resumed by "), "\(shown.output)")
        #expect(shown.output.contains("  ✓ Check the management services  (done, 2 change(s) applied)"), "\(shown.output)")
        #expect(shown.output.contains("  ? Terminate stale requests  (in flight)"))
        #expect(shown.output.contains("    Install the post-backup RM configuration  (not run)"))
        let ambiguous = try CLITests.phasekit(["history", "--site", site, "2"])
        #expect(ambiguous.status == 1)
        #expect(ambiguous.error.contains("'2' matches 2 runs"), "\(ambiguous.error)")
    }

    @Test func aReportOrJournalThatCannotBeReadIsNamedAndAnUnlistableDirectoryIsAnError() throws {
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        _ = try CLITests.phasekit(["run", "sync", "--site", site])
        let reports = site + "/state/reports", journals = site + "/state/journal"
        try Data("{".utf8).write(to: URL(fileURLWithPath: reports + "/20990101T000000-analyze-other-1.json"))
        try FileManager.default.createDirectory(atPath: journals, withIntermediateDirectories: true)
        try Data("not json\n".utf8).write(to: URL(fileURLWithPath: journals + "/other.jsonl"))

        let listed = try CLITests.phasekit(["history", "--site", site])
        #expect(listed.status == 0)
        #expect(listed.output.contains("analysis of sync: "), "\(listed.output)")
        #expect(listed.error.contains("not listed, cannot be read: \(reports)/20990101T000000-analyze-other-1.json: not a report"), "\(listed.error)")
        #expect(listed.error.contains("not listed, cannot be read: \(journals)/other.jsonl: line 1 is not a journal record"), "\(listed.error)")

        // A history that cannot be listed is an error, never "No runs recorded".
        try FileManager.default.moveItem(atPath: reports, toPath: reports + ".moved")
        try Data().write(to: URL(fileURLWithPath: reports))
        let unlisted = try CLITests.phasekit(["history", "--site", site])
        #expect(unlisted.status == 1)
        #expect(!unlisted.output.contains("No runs recorded"))
        #expect(unlisted.error.contains("\(reports): cannot be listed (not a directory)"), "\(unlisted.error)")
    }
}
