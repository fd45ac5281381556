import Foundation
import Testing
import TestSupport

/// An interruption at a `Proceed? [y/N]` prompt of `run sync --execute` on a terminal (the
/// built binary in tmux, the sample site): Ctrl-C, SIGTERM, SIGHUP and end of input mean "not
/// confirmed". The confirmed first phase stays applied and is reported; nothing more changes;
/// `status`, `history` and `resume` agree.
@Suite("Interruptions at a prompt (built binary, tmux)", .serialized)
struct PromptInterruptTests {
    /// The states of requests 1007-1014 in the sample's database.
    static func requestStates(_ site: String) throws -> [String] {
        try SiteWorld.sqlite(site, "SELECT state FROM io_requests WHERE id BETWEEN 1007 AND 1014 ORDER BY id")
    }

    /// The pid of the execution waiting at its prompt, from its journal's run-started record.
    static func runningPID(_ site: String) throws -> pid_t {
        let journal = site + "/state/journal/" + (try String(contentsOfFile: site + "/state/journal/latest", encoding: .utf8))
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let first = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n").first.map(String.init) ?? ""
        let record = try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any]
        return try #require((record?["pid"] as? NSNumber)?.int32Value)
    }

    /// Starts `run sync --execute` in a window (its own process group in the foreground, as an
    /// interactive shell runs it), confirms the first phase and waits at the second prompt.
    static func atTheSecondPrompt(_ tmux: TmuxSession, site: String, window: String) throws {
        try tmux.open(window, "set -m; '\(CLITests.binary.path)' run sync --site '\(site)' --execute")
        try tmux.waitFor(window) { $0.contains("Apply 2 change(s) of Check the management services? Proceed? [y/N]") }
        try tmux.send(window, "y", "Enter")
        try tmux.waitFor(window) { $0.contains("Apply 8 change(s) of Terminate stale requests? Proceed? [y/N]") }
    }

    enum Interruption: String, CaseIterable, Sendable {
        case controlC, sigterm, sighup, endOfInput
    }

    @Test("An interruption at the second prompt is not a confirmation", arguments: Interruption.allCases)
    func anInterruptionAtTheSecondPromptIsNotAConfirmation(_ interruption: Interruption) throws {
        let tmux = try TmuxSession(columns: 200, rows: 50)
        defer { tmux.close() }
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let before = try Self.requestStates(site)
        #expect(before == ["in_progress", "in_progress", "in_progress", "queued", "scheduled", "scheduled", "scheduled", "scheduled"])

        try Self.atTheSecondPrompt(tmux, site: site, window: "sync")
        switch interruption {
        case .controlC: try tmux.send("sync", "C-c")
        case .endOfInput: try tmux.send("sync", "C-d")
        case .sigterm: kill(try Self.runningPID(site), SIGTERM)
        case .sighup: kill(try Self.runningPID(site), SIGHUP)
        }
        let run = try tmux.awaitExit("sync", seconds: 60)
        #expect(run.status == 4, "\(run.text.suffix(800))")
        #expect(run.text.contains("Not confirmed: nothing more was changed. 2 changes applied before (see above); 8 changes not confirmed."),
                "\(run.text.suffix(800))")
        #expect(run.text.contains("✓ Check the management services"), "the confirmed phase is reported: \(run.text.suffix(800))")
        #expect(try Self.requestStates(site) == before, "a phase nobody confirmed was applied")

        // Ended, not interrupted: nothing to resume, and resume changes nothing.
        let status = try CLITests.phasekit(["status", "--site", site])
        #expect(status.output.contains("sync: finished (not-confirmed)"), "\(status.output)")
        let resume = try CLITests.phasekit(["resume", "--site", site])
        #expect(resume.status == 0 && resume.output.contains("Nothing to resume"), "\(resume.output)\(resume.error)")
        #expect(try Self.requestStates(site) == before, "resume applied a phase nobody confirmed")

        // history counts what reached the world, and what was not confirmed apart from it.
        let history = try CLITests.phasekit(["history", "--site", site])
        #expect(history.output.contains("execution of sync: not-confirmed (exit 4), 2 change(s) applied, 8 not confirmed;"), "\(history.output)")
        let document = try CLITests.phasekit(["history", "--site", site, "--json"])
        let runs = try #require((try JSONSerialization.jsonObject(with: Data(document.output.utf8)) as? [String: Any])?["runs"] as? [[String: Any]])
        let last = try #require(runs.last)
        #expect(last["outcome"] as? String == "not-confirmed" && last["exitCode"] as? Int == 4 && last["changes"] as? Int == 2, "\(last)")
        let counts = last["counts"] as? [String: Int]
        #expect(counts == ["planned": 0, "applied": 2, "failed": 0, "refused": 0, "notConfirmed": 8], "\(String(describing: counts))")
    }

    @Test func refusingAtTheFirstPromptCountsNothingAsApplied() throws {
        let tmux = try TmuxSession(columns: 200, rows: 50)
        defer { tmux.close() }
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        try tmux.open("sync", "set -m; '\(CLITests.binary.path)' run sync --site '\(site)' --execute")
        try tmux.waitFor("sync") { $0.contains("Apply 2 change(s) of Check the management services? Proceed? [y/N]") }
        try tmux.send("sync", "C-c")
        let run = try tmux.awaitExit("sync", seconds: 60)
        #expect(run.status == 4, "\(run.text.suffix(800))")
        #expect(run.text.contains("Not confirmed: nothing was changed. 2 changes not confirmed."), "\(run.text.suffix(800))")
        let history = try CLITests.phasekit(["history", "--site", site])
        #expect(history.output.contains("execution of sync: not-confirmed (exit 4), 0 change(s) applied, 2 not confirmed;"), "\(history.output)")
    }

    @Test("A killed run's resume applies only what was confirmed", arguments: [false, true])
    func aKilledRunResumesOnlyWhatWasConfirmed(onATerminal: Bool) throws {
        let tmux = try TmuxSession(columns: 200, rows: 50)
        defer { tmux.close() }
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let before = try Self.requestStates(site)
        try Self.atTheSecondPrompt(tmux, site: site, window: "sync")
        // SIGKILL cannot be handled: the run is cut off, its second phase never confirmed.
        kill(try Self.runningPID(site), SIGKILL)
        _ = try tmux.awaitExit("sync", seconds: 60)
        let status = try CLITests.phasekit(["status", "--site", site])
        #expect(status.output.contains("sync: interrupted"), "\(status.output)")
        #expect(status.output.contains("✓ Check the management services") && !status.output.contains("? Terminate stale requests"),
                "the unconfirmed phase was never in flight: \(status.output)")

        if onATerminal {
            // The phase is asked for again; Ctrl-C there is no.
            try tmux.open("resume", "set -m; '\(CLITests.binary.path)' resume --site '\(site)'")
            try tmux.waitFor("resume") { $0.contains("Apply 8 change(s) of Terminate stale requests? Proceed? [y/N]") }
            try tmux.send("resume", "C-c")
            let declined = try tmux.awaitExit("resume", seconds: 60)
            #expect(declined.status == 4, "\(declined.text.suffix(800))")
            #expect(declined.text.contains("Not confirmed: nothing was changed. 8 changes not confirmed."), "\(declined.text.suffix(800))")
        } else {
            // Without a terminal, resume stops before the phase nobody confirmed.
            let resume = try CLITests.phasekit(["resume", "--site", site])
            #expect(resume.status == 4, "\(resume.output)\(resume.error)")
            #expect(resume.error.contains("Terminate stale requests was not confirmed before the interruption, and there is no terminal to ask on; "
                                          + "to apply it, run phasekit resume --site \(site) on a terminal."), "\(resume.error)")
            #expect(resume.output.contains("Not confirmed: nothing was changed. 8 changes not confirmed."), "\(resume.output)")
        }
        #expect(try Self.requestStates(site) == before, "resume applied a phase nobody confirmed")
    }

    /// `configure` confirms its whole plan once, at its prompt (not `--yes`): the journal's
    /// `confirmed` record names every row, so a resume without a terminal finishes them all.
    @Test(.enabled(if: BuiltPhasekit.injectsFaults, "fault injection is compiled into debug builds only"))
    func aPlanConfirmedOnceAtItsPromptIsResumedWithoutATerminal() throws {
        let tmux = try TmuxSession(columns: 200, rows: 50)
        defer { tmux.close() }
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        // Killed after its 30th journal record, well inside the execution.
        try tmux.open("configure", "set -m; PHASEKIT_CRASH_AT=journal:30 '\(CLITests.binary.path)' run configure --site '\(site)' --execute")
        try tmux.waitFor("configure") { $0.contains("Once started, this procedure cannot be stopped. Proceed? [y/N]") }
        try tmux.send("configure", "y", "Enter")
        _ = try tmux.awaitExit("configure", seconds: 120)
        let status = try CLITests.phasekit(["status", "--site", site])
        #expect(status.output.contains("configure: interrupted"), "\(status.output)")

        let resume = try CLITests.phasekit(["resume", "--site", site])
        #expect(resume.status == 0, "\(resume.output.suffix(800))\(resume.error)")
        let again = try CLITests.phasekit(["run", "configure", "--site", site])
        #expect(again.status == 0, "the group is not fully initialized: \(again.output.suffix(800))")
    }
}
