import Foundation
import Testing
import TestSupport

extension RemoteHostsTests {
    /// Ctrl-C on the operator's terminal goes to its foreground process group. The `ssh`
    /// processes that carry the servers' connections are in a session of their own, so once
    /// `configure` (which cannot be stopped once started) applies, the signal is deferred over ssh
    /// as it is locally: no connection is lost and the run ends applied.
    @Test("Ctrl-C after confirming configure over ssh is deferred; the connections live on")
    func controlCAfterConfirmingConfigureOverSSHIsDeferred() throws {
        let site = try Self.site(try hosts)
        defer { CrashRecoveryTests.dispose(site) }
        let tmux = try TmuxSession(columns: 160, rows: 60)
        defer { tmux.close() }
        // `set -m`: the run is its own foreground process group, as an interactive shell starts it.
        try tmux.open("configure", "set -m; '\(CLITests.binary.path)' run configure --site '\(site)' --execute")
        try tmux.waitFor("configure") { $0.contains("Once started, this procedure cannot be stopped. Proceed? [y/N]") }
        // Whatever the moment of the signal, no ssh child shares the terminal's session.
        let run = try PromptInterruptTests.runningPID(site)
        let children = Self.sshChildren(of: run)
        #expect(!children.isEmpty, "no ssh child of \(run)")
        for child in children {
            #expect(Self.session(of: child) != Self.session(of: run), "ssh \(child) is in the session of phasekit \(run)")
        }

        try tmux.send("configure", "y", "Enter")
        try tmux.waitFor("configure") { $0.contains("Configuration-change initialization: execution") || $0.contains("[exited ") }
        try tmux.send("configure", "C-c")
        let ended = try tmux.awaitExit("configure", seconds: 180)
        #expect(ended.text.contains("the signal is deferred and the run continues"), "the signal came too late to test: \(ended.text.suffix(1500))")
        #expect(!ended.text.contains("connection lost"), "\(ended.text.suffix(1500))")
        #expect(ended.status == 0, "\(ended.text.suffix(1500))")
        let again = try Self.run(["run", "configure"], site: site)
        #expect(again.status == 0, "the group is not fully initialized: \(again.output.suffix(1500))")
    }

    /// The `ssh` processes `parent` started.
    static func sshChildren(of parent: pid_t) -> [pid_t] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), statFields(of: pid).dropFirst().first == "\(parent)",
                  let command = try? String(contentsOfFile: "/proc/\(entry)/cmdline", encoding: .utf8), command.hasPrefix("ssh\u{0}") else { return nil }
            return pid
        }
    }

    /// A process's session ID, from `/proc/PID/stat`.
    static func session(of pid: pid_t) -> String? {
        let fields = statFields(of: pid)
        return fields.count > 3 ? fields[3] : nil
    }

    /// The fields of `/proc/PID/stat` after the command name: state, ppid, pgrp, session, ...
    static func statFields(of pid: pid_t) -> [String] {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = stat.range(of: ")", options: .backwards) else { return [] }
        return stat[end.upperBound...].split(separator: " ").map(String.init)
    }
}
