import Foundation
import Testing
import TestSupport

/// A `resume` that stops because there is no terminal to confirm a later phase on leaves the
/// execution resumable (issue 24 item 1): `status` says interrupted, `resume` without a terminal
/// stops again, and `resume` on a terminal asks for the phase and finishes. The built binary, the
/// sample site, `run sync --execute` in tmux killed after its first phase.
@Suite("Resume after a stop for want of a terminal (built binary, tmux)", .serialized)
struct ResumeWithoutTerminalTests {
    /// Answers `y` at every `Proceed? [y/N]` prompt of a window until its command ends.
    static func answerYesUntilExit(_ tmux: TmuxSession, _ window: String) throws -> TmuxSession.Ended {
        var answered = 0
        let deadline = Date().addingTimeInterval(180)
        while Date() < deadline {
            let text = try tmux.capture(window)
            if text.contains("[exited ") { return try tmux.awaitExit(window) }
            let prompts = text.components(separatedBy: "Proceed? [y/N]").count - 1
            if prompts > answered {
                try tmux.send(window, "y", "Enter")
                answered = prompts
            }
            usleep(50_000)   // the interval between two polls of the window
        }
        return try tmux.awaitExit(window, seconds: 1)
    }

    /// `status --json`'s `state`.
    static func statusState(_ site: String) throws -> String? {
        let document = try CLITests.phasekit(["status", "--site", site, "--json"])
        return (try JSONSerialization.jsonObject(with: Data(document.output.utf8)) as? [String: Any])?["state"] as? String
    }

    @Test("A resume stopped for want of a terminal is resumed on one", arguments: [false, true])
    func aResumeStoppedForWantOfATerminalIsResumedOnOne(resumeKilledToo: Bool) throws {
        let tmux = try TmuxSession(columns: 200, rows: 50)
        defer { tmux.close() }
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let before = try PromptInterruptTests.requestStates(site)
        // Phase 1 confirmed and applied; killed at the second prompt.
        try PromptInterruptTests.atTheSecondPrompt(tmux, site: site, window: "sync")
        kill(try PromptInterruptTests.runningPID(site), SIGKILL)
        _ = try tmux.awaitExit("sync", seconds: 60)

        let first = try CLITests.phasekit(["resume", "--site", site])
        #expect(first.status == 4, "\(first.output)\(first.error)")
        #expect(first.error.contains("to apply it, run phasekit resume --site \(site) on a terminal."), "\(first.error)")
        let left = first.output.split(separator: "\n").first { $0.hasPrefix("Resuming sync") }.map { String($0.split(separator: ":").last ?? "") }
        #expect(try PromptInterruptTests.requestStates(site) == before, "resume applied a phase nobody confirmed")

        if resumeKilledToo {
            // A resume cut off right after its run-started record is resumed from where the
            // execution was: what finished before it is carried forward.
            let killed = try CrashRecoveryTests.phasekit(["resume", "--site", site], crashAt: "journal:1")
            #expect(killed.killed, "\(killed.output)")
        }
        let status = try CLITests.phasekit(["status", "--site", site])
        #expect(status.output.contains("sync: interrupted: run phasekit resume --site \(site)"), "\(status.output)")
        #expect(status.output.contains("✓ Check the management services"), "\(status.output)")
        #expect(try Self.statusState(site) == "interrupted")

        let again = try CLITests.phasekit(["resume", "--site", site])
        #expect(again.status == 4, "\(again.output)\(again.error)")
        #expect(again.output.contains("Not confirmed: nothing was changed. 8 changes not confirmed."), "\(again.output)")
        let leftAgain = again.output.split(separator: "\n").first { $0.hasPrefix("Resuming sync") }.map { String($0.split(separator: ":").last ?? "") }
        #expect(left != nil && leftAgain == left, "the same rows are left: \(again.output)")
        #expect(try PromptInterruptTests.requestStates(site) == before, "resume applied a phase nobody confirmed")

        try tmux.open("resume", "set -m; '\(CLITests.binary.path)' resume --site '\(site)'")
        let resumed = try Self.answerYesUntilExit(tmux, "resume")
        #expect(resumed.status == 0, "\(resumed.text.suffix(1200))")
        #expect(resumed.text.contains("Apply 8 change(s) of Terminate stale requests? Proceed? [y/N]"), "\(resumed.text.suffix(1200))")
        #expect(try PromptInterruptTests.requestStates(site) != before, "the phase confirmed on the terminal was not applied")

        // The uninterrupted end state: a new analysis plans nothing, and nothing is left to resume.
        let analysis = try CLITests.phasekit(["run", "sync", "--site", site])
        #expect(analysis.status == 0, "\(analysis.output.suffix(1200))")
        let done = try CLITests.phasekit(["resume", "--site", site])
        #expect(done.status == 0 && done.output.contains("Nothing to resume"), "\(done.output)")
        #expect(try Self.statusState(site) == "finished")
    }
}

extension ResumeWithoutTerminalTests {
    /// The second phase confirmed and in flight when the run is killed; its resume killed right
    /// after its run-started record: the next resume, without a terminal, still applies that
    /// phase without asking (the run-started record carried its confirmation forward).
    @Test(.enabled(if: BuiltPhasekit.injectsFaults, "fault injection is compiled into debug builds only"))
    func aKilledResumeKeepsTheConfirmationsItCarried() throws {
        let tmux = try TmuxSession(columns: 200, rows: 50)
        defer { tmux.close() }
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let before = try PromptInterruptTests.requestStates(site)
        // Records: run-started, the first phase's start and finish, the second phase's start (killed there).
        try tmux.open("sync", "set -m; PHASEKIT_CRASH_AT=journal:4 '\(CLITests.binary.path)' run sync --site '\(site)' --execute")
        let run = try Self.answerYesUntilExit(tmux, "sync")
        #expect(run.text.contains("Apply 8 change(s) of Terminate stale requests? Proceed? [y/N]"), "\(run.text.suffix(1200))")
        let status = try CLITests.phasekit(["status", "--site", site])
        #expect(status.output.contains("sync: interrupted") && status.output.contains("? Terminate stale requests"), "\(status.output)")

        let killed = try CrashRecoveryTests.phasekit(["resume", "--site", site], crashAt: "journal:1")
        #expect(killed.killed, "\(killed.output)")
        #expect(try PromptInterruptTests.requestStates(site) == before, "the killed resume applied nothing yet")

        let resume = try CLITests.phasekit(["resume", "--site", site])
        #expect(!resume.error.contains("Terminate stale requests was not confirmed"), "\(resume.error)")
        #expect(try PromptInterruptTests.requestStates(site) != before, "the confirmed phase was not applied: \(resume.output)\(resume.error)")
        if resume.status == 4 {
            // A later phase nobody confirmed: the execution is still resumable, on a terminal.
            #expect(try Self.statusState(site) == "interrupted")
            try tmux.open("resume", "set -m; '\(CLITests.binary.path)' resume --site '\(site)'")
            let resumed = try Self.answerYesUntilExit(tmux, "resume")
            #expect(resumed.status == 0, "\(resumed.text.suffix(1200))")
        } else {
            #expect(resume.status == 0, "\(resume.output)\(resume.error)")
        }
        let analysis = try CLITests.phasekit(["run", "sync", "--site", site])
        #expect(analysis.status == 0, "\(analysis.output.suffix(1200))")
    }
}

extension ResumeWithoutTerminalTests {
    /// `status --json` says what the text says: a run that ended with a row failed by a lost
    /// connection (its writes in doubt) is interrupted, to be resumed, with its outcome kept.
    @Test func statusJSONCallsARunWithWritesInDoubtInterrupted() throws {
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let directory = site + "/state/journal"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // A journal as such a run leaves it (no pid: its process is gone).
        let records = [
            #"{"at":"2026-12-07T07:00:00Z","event":"run-started","mode":"execute","procedure":"sync","rows":["10-check@production"],"rowTitles":["Check"]}"#,
            #"{"at":"2026-12-07T07:00:01Z","event":"step-started","server":"production","step":"10-check"}"#,
            #"{"at":"2026-12-07T07:00:02Z","event":"step-finished","inDoubt":["write /etc/x"],"server":"production","state":"failed","step":"10-check"}"#,
            #"{"at":"2026-12-07T07:00:03Z","event":"run-finished","state":"failed"}"#,
        ]
        try (records.joined(separator: "\n") + "\n").write(toFile: directory + "/20261207T070000-1.jsonl", atomically: true, encoding: .utf8)
        try "20261207T070000-1.jsonl\n".write(toFile: directory + "/latest", atomically: true, encoding: .utf8)
        let text = try CLITests.phasekit(["status", "--site", site])
        #expect(text.output.contains("sync: interrupted: run phasekit resume --site \(site)"), "\(text.output)\(text.error)")
        let document = try CLITests.phasekit(["status", "--site", site, "--json"])
        let status = try JSONSerialization.jsonObject(with: Data(document.output.utf8)) as? [String: Any]
        #expect(status?["state"] as? String == "interrupted" && status?["outcome"] as? String == "failed", "\(document.output)")
    }
}
