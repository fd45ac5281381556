import Files
import HostSystem
import Foundation
import Remote
import Testing
import TestSupport

/// The sample replication group with each server on its own test host, reached over real ssh.
@Suite("servers on their own hosts over ssh", .serialized, SSHHosts.Scope())
struct RemoteHostsTests {
    static let servers = ["production", "recovery1", "recovery2"]

    var hosts: SSHHosts.Handle {
        get throws { try #require(SSHHosts.Scope.current, "the suite needs the SSHHosts.Scope trait") }
    }

    /// A sample site whose three group servers are on `aliases` (their roots stay below the site,
    /// which each host reaches as the same path); `phasekit` is the agent each host runs.
    static func site(_ hosts: SSHHosts.Handle, aliases: [String] = ["host1", "host2", "host3"], phasekit: String = CLITests.binary.path) throws -> String {
        let site = TestScratch.path("remote-site").path
        let written = try CLITests.phasekit(["sample-site", site, "--no-services"])
        guard written.status == 0 else { throw CrashTestError(message: written.error) }
        var yaml = try String(contentsOfFile: site + "/site.yaml", encoding: .utf8)
        for (server, alias) in zip(servers, aliases) {
            yaml = yaml.replacingOccurrences(of: "    root: servers/\(server)\n",
                                             with: "    root: \(site)/servers/\(server)\n    host: \(alias)\n    phasekit: \(phasekit)\n")
        }
        yaml += "ssh:\n  config: \(hosts.config)\n  connect_timeout_seconds: 10\n"
        try yaml.write(toFile: site + "/site.yaml", atomically: true, encoding: .utf8)
        return site
    }

    static func run(_ arguments: [String], site: String) throws -> CLITests.Result {
        try CLITests.phasekit(arguments + ["--site", site])
    }

    @Test("configure over ssh: analysis changes no host, execution applies through the agents, re-analysis is clean")
    func analysisExecutionReanalysis() throws {
        let site = try Self.site(try hosts)
        defer { CrashRecoveryTests.dispose(site) }
        let before = try CrashRecoveryTests.world(of: site)
        let analysis = try Self.run(["run", "configure"], site: site)
        #expect(analysis.status == 2, "\(analysis.output.suffix(1500)) \(analysis.error)")
        #expect(try CrashRecoveryTests.world(of: site) == before, "analysis over ssh changed a host")
        let execution = try Self.run(["run", "configure", "--execute", "--yes"], site: site)
        #expect(execution.status == 0, "\(execution.output.suffix(1500)) \(execution.error)")
        #expect(try CrashRecoveryTests.world(of: site) != before)
        // Services were started by the agents on their hosts, which keep their state in the server's root.
        #expect(FileManager.default.fileExists(atPath: site + "/servers/production/.phasekit-services"))
        let again = try Self.run(["run", "configure"], site: site)
        #expect(again.status == 0, "\(again.output.suffix(1500))")
    }

    @Test("sample-site --host lays each server out on its host through the agent; configure then works end to end")
    func sampleSiteOnHosts() throws {
        let hosts = try hosts
        let site = TestScratch.path("placed-site").path
        let roots = (1...3).map { hosts.root($0) + "/sample-\(UUID().uuidString.prefix(8))" }
        defer {
            CrashRecoveryTests.dispose(site)
            for root in roots {
                CrashRecoveryTests.stopProcesses(in: root)
                try? FileManager.default.removeItem(atPath: root)
            }
        }
        let written = try CLITests.phasekit(["sample-site", site, "--ssh-config", hosts.config, "--phasekit", CLITests.binary.path, "--no-services"]
            + zip(Self.servers, roots).enumerated().flatMap { index, pair in ["--host", "\(pair.0)=ssh://host\(index + 1)\(pair.1)"] })
        #expect(written.status == 0, "\(written.error)")
        #expect(!FileManager.default.fileExists(atPath: site + "/servers/production"))
        #expect(FileManager.default.fileExists(atPath: roots[0] + "/replication"))
        #expect(try Self.run(["run", "configure"], site: site).status == 2)
        let execution = try Self.run(["run", "configure", "--execute", "--yes"], site: site)
        #expect(execution.status == 0, "\(execution.output.suffix(1500)) \(execution.error)")
        #expect(try Self.run(["run", "configure"], site: site).status == 0)
    }

    /// A site's servers as an operator sees them: every file but phasekit's own bookkeeping.
    static func servers(of site: String) throws -> [String: String] {
        try CrashRecoveryTests.world(of: site).filter { !$0.key.contains(".phasekit-services") && $0.key != "site.yaml" && !$0.key.hasPrefix("cut-once") }
    }

    @Test("a connection lost mid-execution fails the row with its write in doubt; resume reconnects and ends like an uninterrupted run")
    func lostConnectionThenResume() throws {
        let hosts = try hosts
        let reference = try Self.site(hosts)
        defer { CrashRecoveryTests.dispose(reference) }
        #expect(try Self.run(["run", "configure", "--execute", "--yes"], site: reference).status == 0)

        // recovery1's first writable agent exits right after its third write, unanswered.
        let site = TestScratch.path("cut-site").path
        let wrapper = site + "-agent.sh"
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        try """
            #!/bin/sh
            case " $* " in *" --read-only "*) exec \(CLITests.binary.path) "$@" ;; esac
            if [ ! -e \(site)-cut ]; then : > \(site)-cut; exec \(CLITests.binary.path) "$@" --drop-after-writes 3; fi
            exec \(CLITests.binary.path) "$@"

            """.write(toFile: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper, 0o755)
        try FileManager.default.removeItem(atPath: site)
        defer { try? FileManager.default.removeItem(atPath: wrapper); try? FileManager.default.removeItem(atPath: site + "-cut") }
        let built = try Self.site(hosts, phasekit: wrapper)
        try FileManager.default.moveItem(atPath: built, toPath: site)
        var yaml = try String(contentsOfFile: site + "/site.yaml", encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: built, with: site)
        try yaml.write(toFile: site + "/site.yaml", atomically: true, encoding: .utf8)
        defer { CrashRecoveryTests.dispose(site) }

        let cut = try Self.run(["run", "configure", "--execute", "--yes"], site: site)
        #expect(cut.status != 0, "\(cut.output.suffix(1500))")
        #expect(cut.output.contains("connection lost"), "\(cut.output.suffix(2000))")
        let status = try Self.run(["status"], site: site)
        #expect(status.output.contains("interrupted"), "\(status.output)")
        let resumed = try Self.run(["resume"], site: site)
        #expect(resumed.status == 0, "\(resumed.output.suffix(2000)) \(resumed.error)")
        #expect(try Self.run(["run", "configure"], site: site).status == 0)
        #expect(try Self.servers(of: site) == Self.servers(of: reference))
        #expect(try Self.run(["resume"], site: site).output.contains("Nothing to resume"))
    }

    /// A script that writes a file and creates a volume on every server of the group, through each one's agent.
    static let touchScript = """
        for _, host in ipairs(hosts.list()) do
          if host.role ~= "management" then
            local area, pool = files.on(host.name), volumes.on(host.name)
            local wanted = "managed by phasekit on " .. host.name .. "\\n"
            if not area.exists("etc/motd") or area.read("etc/motd") ~= wanted then area.write("etc/motd", wanted) end
            if not pool.get("remote01") then pool.create{ name = "remote01", group = "vg0", size = "1M" } end
          end
        end
        """

    @Test("--plan-out over ssh, then --execute --plan applies it; analysis again is clean")
    func savedPlan() throws {
        let site = try Self.site(try hosts)
        defer { CrashRecoveryTests.dispose(site) }
        let script = site + "/touch.lua"
        try Self.touchScript.write(toFile: script, atomically: true, encoding: .utf8)
        let before = try CrashRecoveryTests.world(of: site)
        let saved = try Self.run(["run", script, "--plan-out", site + "/plan.json"], site: site)
        #expect(saved.status == 2, "\(saved.output.suffix(1500)) \(saved.error)")
        #expect(saved.output.components(separatedBy: "+ create volume remote01").count - 1 == 3, "\(saved.output)")
        #expect(try CrashRecoveryTests.world(of: site).filter { $0.key != "plan.json" } == before)
        let applied = try Self.run(["run", script, "--execute", "--plan", site + "/plan.json"], site: site)
        #expect(applied.status == 0, "\(applied.output.suffix(1500)) \(applied.error)")
        for server in Self.servers {
            #expect(ConfigureSteadyState.read(site + "/servers/\(server)/etc/motd") == "managed by phasekit on \(server)\n")
            #expect(FileManager.default.fileExists(atPath: site + "/servers/\(server)/volumes/remote01.volume.json"))
        }
        #expect(try Self.run(["run", script], site: site).status == 0)
    }

    @Test("an unreachable host, a wrong or unknown host key, a mismatched agent: exit 3 before any step, nothing changed",
          arguments: ["closed", "badkey", "unknownkey", "mismatch"])
    func unreachable(_ fault: String) throws {
        let hosts = try hosts
        var phasekit = CLITests.binary.path
        var alias = fault
        var expected = ["closed": "Connection refused", "badkey": "Host key verification failed",
                        "unknownkey": "Host key verification failed", "mismatch": "0.0.0-other"][fault] ?? ""
        let wrapper = TestScratch.path("old-phasekit").path
        if fault == "mismatch" {
            try "#!/bin/sh\nexec \(CLITests.binary.path) \"$@\" --claim-version 0.0.0-other\n".write(toFile: wrapper, atomically: true, encoding: .utf8)
            chmod(wrapper, 0o755)
            phasekit = wrapper
            alias = "host2"
            expected = "0.0.0-other"
        }
        defer { try? FileManager.default.removeItem(atPath: wrapper) }
        let site = try Self.site(hosts, aliases: ["host1", alias, "host3"], phasekit: phasekit)
        defer { CrashRecoveryTests.dispose(site) }
        let before = try CrashRecoveryTests.world(of: site)
        for arguments in [["run", "configure"], ["run", "configure", "--execute", "--yes"]] {
            let result = try Self.run(arguments, site: site)
            #expect(result.status == 3, "\(arguments): \(result.output.suffix(800)) \(result.error)")
            #expect(result.error.contains("recovery1") && result.error.contains(alias) && result.error.contains(expected), "\(result.error)")
            // Each server named once, and a connection that never opened is not "lost".
            let named = "server 'recovery1' on \(alias): "
            #expect(result.error.components(separatedBy: named).count == 2, "\(result.error)")
            #expect(!result.error.contains(named + named) && !result.error.contains("connection lost"), "\(result.error)")
            if fault != "mismatch" { #expect(result.error.contains(named + "cannot connect: "), "\(result.error)") }
            #expect(!result.output.contains("✓"), "a step ran: \(result.output)")
        }
        #expect(try CrashRecoveryTests.world(of: site) == before)
        let check = try CLITests.phasekit(["hosts", "check", "--site", site])
        #expect(check.status == 3, "\(check.output)")
        #expect(check.output.contains("recovery1 on \(alias): UNREACHABLE: ") && !check.output.contains("server 'recovery1'"), "\(check.output)")
    }

    @Test("hosts check prints each host's version, backends and round trip")
    func hostsCheck() throws {
        let site = try Self.site(try hosts)
        defer { CrashRecoveryTests.dispose(site) }
        let check = try CLITests.phasekit(["hosts", "check", "--site", site])
        #expect(check.status == 0, "\(check.output) \(check.error)")
        #expect(check.output.contains("production on host1: phasekit") && check.output.contains("round trip"), "\(check.output)")
        // --json follows the documents' contract (format, version, phasekitVersion; the schema checks it).
        let json = try CLITests.phasekit(["hosts", "check", "--site", site, "--json"])
        #expect(json.status == 0, "\(json.output) \(json.error)")
        let document = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect(document?["format"] as? String == "phasekit-hosts", "\(json.output)")
        #expect((document?["hosts"] as? [[String: Any]])?.contains { $0["server"] as? String == "production" && $0["phasekit"] != nil } == true)
    }

    /// A connection to host1's agent over ssh.
    func connect(readOnly: Bool, root: String) throws -> AgentConnection {
        let hosts = try hosts
        let ssh = SSHCommand(host: "host1", configFile: hosts.config, phasekit: CLITests.binary.path)
        return try AgentConnection(server: "s1", host: "host1", command: try ssh.arguments(root: root, readOnly: readOnly),
                                   configuration: AgentConfiguration(server: "s1", volumesBackend: "dir", volumesPath: root + "/volumes"),
                                   phasekit: try Self.version(), timeout: .seconds(30))
    }

    static func version() throws -> String {
        try CLITests.phasekit(["--version"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("over ssh, a read-only agent refuses writes and paths stay confined to the root")
    func readOnlyAndConfinement() throws {
        let hosts = try hosts
        let root = hosts.root(1) + "/confined"
        let outside = hosts.root(1) + "/outside"
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer {
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: outside)
        }
        try Data("keep".utf8).write(to: URL(fileURLWithPath: outside + "/secret"))
        try FileManager.default.createSymbolicLink(atPath: root + "/out", withDestinationPath: outside)
        let reader = try connect(readOnly: true, root: root)
        defer { reader.close() }
        #expect(reader.welcome.readOnly)
        let files = RemoteFileArea(connection: reader)
        #expect(throws: RemoteError.self) { try files.write("etc/new.conf", Array("x".utf8)) }
        #expect(throws: RemoteError.self) { try RemoteVolumePool(connection: reader, backendName: "dir").delete("v1") }
        #expect(throws: CommandError.self) { _ = try RemoteCommandRunner(connection: reader).run(["touch", root + "/made"], timeout: .seconds(5)) }
        #expect(!FileManager.default.fileExists(atPath: root + "/etc/new.conf") && !FileManager.default.fileExists(atPath: root + "/made"))

        let writer = try connect(readOnly: false, root: root)
        defer { writer.close() }
        let area = RemoteFileArea(connection: writer)
        for path in ["../outside/secret", outside + "/secret", "out/secret", "etc/../../outside/secret"] {
            #expect(throws: FileAreaError.self, "\(path)") { try area.write(path, Array("x".utf8)) }
            #expect(throws: FileAreaError.self, "\(path)") { _ = try area.read(path) }
        }
        #expect(try String(contentsOfFile: outside + "/secret", encoding: .utf8) == "keep")
        try area.write("etc/app.conf", Array("ok".utf8))
        #expect(try area.read("etc/app.conf") == Array("ok".utf8))
    }
}
