import Foundation
@testable import PhaseKitCLI
import Testing
import TestSupport

/// Issue 29: a run connects only the servers it uses, and the handshakes it makes start together.
extension RemoteHostsTests {
    /// A site on the test hosts whose agents are started through a wrapper that notes each start
    /// (`START SECONDS ROOT` in `SITE-starts`) and waits `delay` seconds before the agent answers:
    /// a slow handshake. `aliases` places the group's servers as in ``site(_:aliases:phasekit:)``.
    static func countedSite(_ hosts: SSHHosts.Handle, aliases: [String] = ["host1", "host2", "host3"], delay: Double = 0) throws
        -> (site: String, starts: () -> [(seconds: Double, root: String)], cleanup: () -> Void) {
        let wrapper = TestScratch.path("counted-agent").path
        let log = wrapper + "-starts"
        try """
            #!/bin/sh
            root=$(echo " $* " | sed -n 's/.* --root \\([^ ]*\\) .*/\\1/p')
            echo "START $(date +%s.%N) $root" >> \(log)
            sleep \(delay)
            exec \(CLITests.binary.path) "$@"

            """.write(toFile: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper, 0o755)
        let site = try Self.site(hosts, aliases: aliases, phasekit: wrapper)
        let starts = {
            // Read after the run: a log not there yet means no agent started.
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { line -> (Double, String)? in
                let fields = line.split(separator: " ")
                guard fields.count == 3, let seconds = Double(fields[1]) else { return nil }
                return (seconds, String(fields[2]))
            }
        }
        return (site, starts, {
            CrashRecoveryTests.dispose(site)
            try? FileManager.default.removeItem(atPath: wrapper)
            try? FileManager.default.removeItem(atPath: log)
        })
    }

    @Test("a script that touches one server opens one ssh session, in analysis and in execution")
    func oneServerOneSession() throws {
        let (site, starts, cleanup) = try Self.countedSite(try hosts)
        defer { cleanup() }
        let script = site + "/touch_one.lua"
        try """
            local area = files.on("recovery1")
            if not area.exists("touched") or area.read("touched") ~= "x" then area.write("touched", "x") end

            """.write(toFile: script, atomically: true, encoding: .utf8)
        let analysis = try Self.run(["run", script], site: site)
        #expect(analysis.status == 2, "\(analysis.output.suffix(1500)) \(analysis.error)")
        #expect(starts().map(\.root) == [site + "/servers/recovery1"], "\(starts())")
        let execution = try Self.run(["run", script, "--execute", "--yes"], site: site)
        #expect(execution.status == 0, "\(execution.output.suffix(1500)) \(execution.error)")
        // One more session: the execution's writable agent served its staged analysis too.
        #expect(starts().map(\.root) == [site + "/servers/recovery1", site + "/servers/recovery1"], "\(starts())")
        #expect(FileManager.default.fileExists(atPath: site + "/servers/recovery1/touched"))
    }

    @Test("a procedure's servers are connected before any step, every handshake at once")
    func handshakesAtOnce() throws {
        let (site, starts, cleanup) = try Self.countedSite(try hosts, delay: 1.5)
        defer { cleanup() }
        let analysis = try Self.run(["run", "configure"], site: site)
        #expect(analysis.status == 2, "\(analysis.output.suffix(1500)) \(analysis.error)")
        let seen = starts()
        #expect(Set(seen.map(\.root)) == Set(Self.servers.map { site + "/servers/" + $0 }), "\(seen)")
        // In waves of the core count a third handshake would start only once one of the first
        // two ended, 1.5 s later.
        let spread = (seen.map(\.seconds).max() ?? 0) - (seen.map(\.seconds).min() ?? 0)
        #expect(spread < 1.0, "the agents started \(spread) s apart: \(seen)")
        let check = try CLITests.phasekit(["hosts", "check", "--site", site])
        #expect(check.status == 0, "\(check.output) \(check.error)")
        let checked = starts().dropFirst(seen.count)
        #expect(checked.count == 3 && (checked.map(\.seconds).max() ?? 0) - (checked.map(\.seconds).min() ?? 0) < 1.0, "\(checked)")
    }

    @Test("a script that names its servers by expression has every server connected before it runs, every handshake at once")
    func expressionNamesConnectAtOnce() throws {
        let (site, starts, cleanup) = try Self.countedSite(try hosts, delay: 1.5)
        defer { cleanup() }
        let script = site + "/loop.lua"
        try """
            -- No server's name is spelled in this script: only running it tells which it reaches.
            for _, host in ipairs(hosts.list()) do
              if host.role ~= "management" then
                local area = files.on(host.name)
                if not area.exists("looped") then area.write("looped", host.name) end
              end
            end

            """.write(toFile: script, atomically: true, encoding: .utf8)
        let analysis = try Self.run(["run", script], site: site)
        #expect(analysis.status == 2, "\(analysis.output.suffix(1500)) \(analysis.error)")
        let seen = starts()
        #expect(seen.count == 3, "\(seen)")
        // Connected at each first use, one after another, they would start 1.5 s apart.
        let spread = (seen.map(\.seconds).max() ?? 0) - (seen.map(\.seconds).min() ?? 0)
        #expect(spread < 1.0, "the agents started \(spread) s apart: \(seen)")
        #expect(RemoteConnect.namesServersOtherwise(#"files.on("" .. name)"#))
        #expect(RemoteConnect.namesServersOtherwise("volumes.on(host.name).list()"))
        #expect(!RemoteConnect.namesServersOtherwise(#"files.on("s1").read("x"); services.on( 's2' ).list()"#))
    }

    @Test("a host a script does not touch may be unreachable; one it touches fails its first use: exit 3, nothing changed")
    func unreachableOnlyWhereUsed() throws {
        let (site, starts, cleanup) = try Self.countedSite(try hosts, aliases: ["host1", "closed", "host3"])
        defer { cleanup() }
        let elsewhere = site + "/elsewhere.lua"
        try #"files.on("production").write("touched", "x")"#.write(toFile: elsewhere, atomically: true, encoding: .utf8)
        let fine = try Self.run(["run", elsewhere, "--execute", "--yes"], site: site)
        #expect(fine.status == 0, "\(fine.output.suffix(1500)) \(fine.error)")
        #expect(FileManager.default.fileExists(atPath: site + "/servers/production/touched"))
        let there = site + "/there.lua"
        try #"files.on("production").write("again", "x"); files.on("recovery1").write("touched", "x")"#
            .write(toFile: there, atomically: true, encoding: .utf8)
        let before = try CrashRecoveryTests.world(of: site)
        for arguments in [["run", there], ["run", there, "--execute", "--yes"]] {
            let result = try Self.run(arguments, site: site)
            let said = result.output + result.error
            #expect(result.status == 3, "\(arguments): \(said.suffix(1500))")
            #expect(said.contains("server 'recovery1' on closed: connection lost: cannot connect (") && said.contains("Connection refused"),
                    "\(said.suffix(1500))")
            #expect(said.contains("othing was changed"), "\(said.suffix(1500))")
        }
        #expect(try CrashRecoveryTests.world(of: site) == before)
        // The closed host's agent never started: only production's did (once per run).
        #expect(Set(starts().map(\.root)) == [site + "/servers/production"], "\(starts())")
        let check = try CLITests.phasekit(["hosts", "check", "--site", site])
        #expect(check.status == 3 && check.output.contains("recovery1 on closed: UNREACHABLE"), "\(check.output)")
    }

    @Test("killed right after a write over ssh, before its row is recorded finished (the agent's writes not yet synced): resume ends like an uninterrupted run")
    func killedBeforeTheRowsSync() throws {
        let hosts = try hosts
        let reference = try Self.site(hosts)
        defer { CrashRecoveryTests.dispose(reference) }
        #expect(try Self.run(["run", "configure", "--execute", "--yes"], site: reference).status == 0)
        for write in [1, 4] {
            let site = try Self.site(hosts)
            defer { CrashRecoveryTests.dispose(site) }
            let crashed = try CrashRecoveryTests.phasekit(["run", "configure", "--execute", "--yes", "--site", site], crashAt: "write:\(write)")
            #expect(crashed.killed, "write:\(write): \(crashed.output.suffix(1500))")
            #expect(try Self.run(["status"], site: site).output.contains("interrupted"))
            let resumed = try Self.run(["resume"], site: site)
            #expect(resumed.status == 0, "write:\(write): \(resumed.output.suffix(2000)) \(resumed.error)")
            #expect(try Self.run(["run", "configure"], site: site).status == 0)
            #expect(try Self.servers(of: site) == Self.servers(of: reference), "write:\(write)")
        }
    }
}
