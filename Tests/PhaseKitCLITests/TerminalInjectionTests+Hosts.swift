import Foundation
import Testing
import TestSupport

// The hostile values of TerminalInjectionTests from ssh, an agent and SQL, and on a real terminal.

extension TerminalInjectionTests {
    @Test func sshsOwnErrorTextIsShownNeutralized() throws {
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        // ssh's error text comes from whatever answers: here a proxy command that writes escapes.
        try #"""
            Host evil
              ProxyCommand /bin/sh -c "printf \"proxy says \\033[1A\\033[2K\\342\\200\\256\\n\" >&2; exit 1"

            """#.write(toFile: site + "/ssh_config", atomically: true, encoding: .utf8)
        try Self.edit(site + "/site.yaml", "    root: servers/recovery1\n", "    root: \(site)/servers/recovery1\n    host: evil\n    phasekit: /usr/bin/false\n")
        var yaml = try String(contentsOfFile: site + "/site.yaml", encoding: .utf8)
        yaml += "ssh:\n  config: \(site)/ssh_config\n  connect_timeout_seconds: 5\n"
        try yaml.write(toFile: site + "/site.yaml", atomically: true, encoding: .utf8)
        let shown = #"proxy says \x1b[1A\x1b[2K\u202e"#
        let run = try Self.phasekit(["run", "configure", "--site", site])
        #expect(run.status == 3, "\(run.output) \(run.error)")
        Self.expectInert(run.output + run.error, "run configure")
        #expect(run.error.components(separatedBy: "\n").contains { $0.hasSuffix(shown) }, "\(run.error)")
        let check = try Self.phasekit(["hosts", "check", "--site", site])
        #expect(check.status == 3)
        Self.expectInert(check.output + check.error, "hosts check")
        #expect(check.output.contains("recovery1 on evil: UNREACHABLE: ") && check.output.contains(shown + #"\x0a"#), "\(check.output)")
    }
}

extension TerminalInjectionTests {
    @Test func sqlErrorMessagesAreShownNeutralized() throws {
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        try #"db.value("SELECT 1 FROM \"tab\27[2J\"")"#.write(toFile: site + "/sql.lua", atomically: true, encoding: .utf8)
        let run = try Self.phasekit(["run", site + "/sql.lua", "--site", site])
        #expect(run.status == 1, "\(run.output) \(run.error)")
        Self.expectInert(run.output + run.error, "run sql.lua")
        Self.expectLine(#"      error: "# + site + #"/sql.lua:1: no such table: tab\x1b[2J (SQLITE_ERROR) in: SELECT 1 FROM "tab\x1b[2J""#, in: run.output)
        Self.expectLine(#"Failed: "# + site + #"/sql.lua:1: no such table: tab\x1b[2J (SQLITE_ERROR) in: SELECT 1 FROM "tab\x1b[2J"."#, in: run.output)
    }
}

extension RemoteHostsTests {
    @Test("a remote agent's answer (the version it claims) reaches run's message and hosts check neutralized")
    func hostileAgentAnswerIsShownNeutralized() throws {
        let hosts = try hosts
        let wrapper = TestScratch.path("hostile-phasekit").path
        // The agent on host2 answers with a version that tries to hide the line above it.
        try "#!/bin/sh\nexec \(CLITests.binary.path) \"$@\" --claim-version \"$(printf '0.0.0\\033[1A\\033[2K\\342\\200\\256')\"\n"
            .write(toFile: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper, 0o755)
        defer { try? FileManager.default.removeItem(atPath: wrapper) }
        let site = try Self.site(hosts, aliases: ["host1", "host2", "host3"], phasekit: CLITests.binary.path)
        defer { CrashRecoveryTests.dispose(site) }
        try TerminalInjectionTests.edit(site + "/site.yaml", "    host: host2\n    phasekit: \(CLITests.binary.path)\n", "    host: host2\n    phasekit: \(wrapper)\n")
        let shown = #"0.0.0\x1b[1A\x1b[2K\u202e"#
        let run = try TerminalInjectionTests.phasekit(["run", "configure", "--site", site])
        #expect(run.status == 3, "\(run.output) \(run.error)")
        TerminalInjectionTests.expectInert(run.output + run.error, "run configure")
        #expect(run.error.contains(shown), "\(run.error)")
        let check = try TerminalInjectionTests.phasekit(["hosts", "check", "--site", site])
        #expect(check.status == 3, "\(check.output) \(check.error)")
        TerminalInjectionTests.expectInert(check.output + check.error, "hosts check")
        #expect(check.output.contains("recovery1 on host2: UNREACHABLE: ") && check.output.contains(shown), "\(check.output)")
    }
}

extension LiveGridTerminalTests {
    @Test func aPlanWithAHiddenLineAttemptShowsEveryLineAtTheProceedPrompt() throws {
        let tmux = try TmuxSession(columns: 220, rows: 60)
        defer { tmux.close() }
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-hidden-\(UUID().uuidString)").path
        #expect(try CrashRecoveryTests.phasekit(["sample-site", site]).status == 0)
        defer { CrashRecoveryTests.dispose(site) }
        // The name erases its own line and the one above it: on a terminal the removal would vanish.
        try TerminalInjectionTests.sqlite3(site + "/cms.db", """
            UPDATE io_services SET name = name || char(13) || char(27) || '[2K' || char(27) || '[1A' || char(27) || '[2K' WHERE id = 'svc-0005'
            """)
        try tmux.open("execution", "'\(CLITests.binary.path)' run sync --site '\(site)' --execute")
        // Each phase asks; the services and the stale requests are confirmed, the removal is not.
        var text = ""
        for prompts in 1...4 {
            text = try tmux.waitFor("execution") { $0.components(separatedBy: "Proceed? [y/N]").count > prompts }
            if text.contains("of Remove services deleted after the backup? Proceed? [y/N]") { break }
            try tmux.send("execution", "y", "Enter")
        }
        let plan = text.components(separatedBy: "\n")
        for line in [
            "  plan of this phase:",
            "  ! Remove services deleted after the backup  (6 changes, 2 findings)",
            // A change's description is one line already (its carriage return became a space).
            #"      + remove service svc-0005 (dev-sandbox-17 \x1b[2K\x1b[1A\x1b[2K): free its 3 address(es), delete its tiers and its definition  (3 writes)"#,
            "      + remove service svc-0009 (qa-regression-3): free its 3 address(es), delete its tiers and its definition  (3 writes)",
            #"      ! service svc-0005 (dev-sandbox-17\x0d\x1b[2K\x1b[1A\x1b[2K) was deleted after the backup (resolved by the planned changes)"#,
            "Apply 6 change(s) of Remove services deleted after the backup? Proceed? [y/N]",
        ] {
            #expect(plan.contains { $0.hasPrefix(line) }, "the screen at the prompt lacks\n\(line)\n\(text)")
        }
        try tmux.send("execution", "n", "Enter")
        let ended = try tmux.awaitExit("execution")
        #expect(ended.status == 4, "\(ended.text)")
        #expect(TerminalInjectionTests.groupNames(site).contains { $0.hasPrefix("dev-sandbox-17") }, "the unconfirmed removal was applied")

        // A phase's title from a site script, in the question itself.
        try TerminalInjectionTests.hostileProcedure(in: site)
        try tmux.open("audit", "'\(CLITests.binary.path)' run audit --site '\(site)' --execute")
        let prompt = try tmux.waitFor("audit") { $0.contains("Proceed? [y/N]") }
        #expect(prompt.components(separatedBy: "\n").contains { $0.hasPrefix(#"Apply 1 change(s) of Check\x1b[1A\x1b[2K hidden? Proceed? [y/N]"#) }, "\(prompt)")
        #expect(prompt.components(separatedBy: "\n").contains(#"          -old\x1b[2J\x1b]0;owned\x07line"#), "\(prompt)")
        try tmux.send("audit", "n", "Enter")
        #expect(try tmux.awaitExit("audit").status == 4)
    }
}
