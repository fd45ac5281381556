import Foundation
import Testing
import TestSupport

/// `configure` on an 80-column terminal and through a pipe: every row can be told apart; and
/// `status`'s elapsed time, which leaves out the wait at the prompt.
@Suite("configure on an 80-column terminal, and the elapsed time status gives", .serialized)
struct NarrowTerminalTests {
    @Test func everyRowOfTheGridCanBeToldApartAt80ColumnsAndThroughAPipe() throws {
        let tmux = try TmuxSession(columns: 80, rows: 50)
        defer { tmux.close() }
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let phasekit = "'\(CLITests.binary.path)'"

        try tmux.open("analysis", "\(phasekit) run configure --site '\(site)'")
        let analysis = try tmux.awaitExit("analysis")
        #expect(analysis.status == 2, "\(analysis.text)")
        let grid = LiveGridTerminalTests.grid(in: analysis.text, heading: "Configuration-change initialization: analysis")
        #expect(grid.allSatisfy { $0.count <= 80 }, "\(grid.joined(separator: "\n"))")
        let steps = Array(grid.dropFirst(2).dropLast())
        #expect(steps.count == 20, "\(grid.joined(separator: "\n"))")
        // A line's title is what stands before its marks.
        let titles = steps.map { $0.replacingOccurrences(of: #"( +[○▸✓✗~·!?])+$"#, with: "", options: .regularExpression) }
        #expect(Set(titles).count == titles.count, "rows that read the same at 80 columns:\n\(grid.joined(separator: "\n"))")
        let failover = titles.filter { $0.hasPrefix("  Delete failover") }
        #expect(failover.count == 2 && failover.contains { $0.hasSuffix("(changed servers)") }, "\(failover)")

        // Through a pipe: a line per row, each naming its server, none repeated.
        try tmux.open("pipe", "\(phasekit) run configure --site '\(site)' | cat")
        let piped = try tmux.awaitExit("pipe")
        let rows = piped.lines.filter { $0.hasPrefix("  ~ Delete failover context") || $0.hasPrefix("  ✓ Delete failover context") }
        #expect(rows.count >= 4 && Set(rows).count == rows.count, "\(rows)")
        #expect(rows.contains { $0.contains("(changed servers)") } && rows.contains { !$0.contains("(changed servers)") }, "\(rows)")
    }

    @Test func statusLeavesTheWaitAtThePromptOutOfTheElapsedTime() throws {
        let tmux = try TmuxSession(columns: 160, rows: 50)
        defer { tmux.close() }
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        try tmux.open("execution", "set -m; '\(CLITests.binary.path)' run configure --site '\(site)' --execute")
        try tmux.waitFor("execution") { $0.contains("Proceed? [y/N]") }
        let wait = 6.0
        usleep(UInt32(wait * 1_000_000))   // the operator reads the plan before answering
        try tmux.send("execution", "y", "Enter")
        let execution = try tmux.awaitExit("execution")
        #expect(execution.status == 0, "\(execution.text)")

        let status = try CLITests.phasekit(["status", "--site", site, "--json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any], "\(status.output)")
        let elapsed = try #require(document["elapsedSeconds"] as? Double, "\(document)")
        // The journal's first and last records: the whole time the run took, the wait included.
        let journal = site + "/state/journal/" + (try String(contentsOfFile: site + "/state/journal/latest", encoding: .utf8))
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let records = try String(contentsOfFile: journal.hasSuffix(".jsonl") ? journal : journal + ".jsonl", encoding: .utf8)
            .split(separator: "\n").compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let stamps = records.compactMap { $0["at"] as? String }.compactMap { ISO8601DateFormatter().date(from: $0) }
        let wall = try #require(stamps.last).timeIntervalSince(try #require(stamps.first))
        #expect(wall >= wait - 1, "the run took the wait: \(wall) s")
        #expect(elapsed <= wall - wait + 2, "status counts \(elapsed) s of a run that took \(wall) s, \(wait) s of it at the prompt")
        #expect(records.contains { $0["event"] as? String == "confirmed" && $0["askedAt"] != nil }, "\(records)")
        let text = try CLITests.phasekit(["status", "--site", site])
        #expect(text.output.contains("finished (applied)"), "\(text.output)")
    }
}

/// `run sync --execute | cat` on a terminal: each prompt comes after what was printed before it,
/// and Ctrl-C at a prompt, which ends the pipe's reader too, is still the answer no.
@Suite("An execution through a pipe, on a terminal", .serialized)
struct ExecutionThroughAPipeTests {
    @Test func promptsComeInOrderAndCtrlCEndsTheRunNotConfirmed() throws {
        let tmux = try TmuxSession(columns: 200, rows: 50)
        defer { tmux.close() }
        // A sample site without its services running: the first phase starts the required ones.
        let fresh = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(fresh) }
        // The shell ends on the Ctrl-C that ends `cat`; its window stays for the capture.
        try tmux.start("piped", ["/bin/bash", "-c", "set -m; '\(CLITests.binary.path)' run sync --site '\(fresh)' --execute | cat"])
        try tmux.waitFor("piped") { $0.contains("Proceed? [y/N]") }
        try tmux.send("piped", "y", "Enter")
        let second = try tmux.waitFor("piped") { $0.contains("Apply 8 change(s) of Terminate stale requests? Proceed? [y/N]") }
        let lines = second.components(separatedBy: "\n")
        let applied = lines.firstIndex { $0.hasPrefix("  ✓ Check the management services") }
        let prompt = lines.firstIndex { $0.contains("Apply 8 change(s) of Terminate stale requests? Proceed?") }
        #expect(applied != nil && prompt != nil && applied! < prompt!, "the applied phase is printed before the next prompt:\n\(second)")
        #expect(!second.contains("Proceed? [y/N]   "), "no output after a prompt on its line:\n\(second)")
        try tmux.send("piped", "C-c")
        let closing = "Not confirmed: nothing more was changed. 2 changes applied before (see above); 8 changes not confirmed."
        try tmux.waitFor("piped", seconds: 30) { $0.contains(closing) }
        // The run ended as not confirmed, not killed by its dead pipe.
        #expect(Wait.until(10) { (try? CLITests.phasekit(["status", "--site", fresh]).output.contains("finished (not-confirmed)")) == true })
        let history = try CLITests.phasekit(["history", "--site", fresh])
        #expect(history.output.contains("not-confirmed (exit 4), 2 change(s) applied, 8 not confirmed"), "\(history.output)")
    }

    @Test func withStandardErrorInAFileThePromptStillComesOnTheTerminal() throws {
        let tmux = try TmuxSession(columns: 200, rows: 50)
        defer { tmux.close() }
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let errors = TestScratch.path("prompt-errors").path
        defer { try? FileManager.default.removeItem(atPath: errors) }   // the scratch root is swept too
        try tmux.open("logged", "set -m; '\(CLITests.binary.path)' run sync --site '\(site)' --execute 2>'\(errors)' | cat")
        try tmux.waitFor("logged") { $0.contains("Apply 2 change(s) of Check the management services? Proceed? [y/N]") }
        try tmux.send("logged", "n", "Enter")
        let ended = try tmux.awaitExit("logged")
        #expect(ended.text.contains("Not confirmed: nothing was changed."), "\(ended.text)")
        #expect(!(try String(contentsOfFile: errors, encoding: .utf8)).contains("Proceed?"), "the question is not in the file")
    }
}
