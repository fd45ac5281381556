import Foundation
import Testing
import TestSupport

/// Issue 24 item 4: a connection lost during a read is never read as the host's state. The sample
/// group on the three test hosts; one server's first writable agent exits, unanswered, on the Nth
/// request of an operation (`phasekit agent --drop-at OP=N`, through a wrapper the site names as
/// that server's phasekit).
@Suite("a lost connection during a read fails the run or its row; it is never the host's state", .serialized, SSHHosts.Scope())
struct LostReadsTests {
    var hosts: SSHHosts.Handle {
        get throws { try #require(SSHHosts.Scope.current, "the suite needs the SSHHosts.Scope trait") }
    }

    /// A sample site on the hosts whose `server`'s first writable agent drops at `drop` (`OP=N`);
    /// with `unreachable`, every later start of its agent fails as ssh does when the host is gone,
    /// until the file `SITE-healed` exists.
    static func site(_ hosts: SSHHosts.Handle, server: String, drop: String, unreachable: Bool = false) throws -> (site: String, cleanup: () -> Void) {
        let site = TestScratch.path("lost-read").path
        let wrapper = site + "-agent.sh"
        let marker = site + "-dropped"
        // PHASEKIT_TEST_AGENT_BINARY: an agent that knows --drop-at, to run this test against an older controller.
        let agent = ProcessInfo.processInfo.environment["PHASEKIT_TEST_AGENT_BINARY"] ?? CLITests.binary.path
        let gone = unreachable ? """
            if [ -e \(marker) ] && [ ! -e \(site)-healed ]; then echo "ssh: connect to host 127.0.0.1 port 22: Connection refused" >&2; exit 255; fi

            """ : ""
        try """
            #!/bin/sh
            \(gone)case " $* " in *" --read-only "*) exec \(agent) "$@" ;; esac
            if [ ! -e \(marker) ]; then : > \(marker); exec \(agent) "$@" --drop-at \(drop); fi
            exec \(agent) "$@"

            """.write(toFile: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper, 0o755)
        let built = try RemoteHostsTests.site(hosts)
        try FileManager.default.moveItem(atPath: built, toPath: site)
        var yaml = try String(contentsOfFile: site + "/site.yaml", encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: built, with: site)
        // Only `server` runs the wrapper.
        let line = "    root: \(site)/servers/\(server)\n    host: "
        guard let start = yaml.range(of: line), let phasekit = yaml.range(of: "phasekit: \(CLITests.binary.path)", range: start.upperBound..<yaml.endIndex) else {
            throw CrashTestError(message: "no placement of \(server) in site.yaml")
        }
        yaml.replaceSubrange(phasekit, with: "phasekit: \(wrapper)")
        try yaml.write(toFile: site + "/site.yaml", atomically: true, encoding: .utf8)
        return (site, {
            CrashRecoveryTests.dispose(site)
            try? FileManager.default.removeItem(atPath: wrapper)
            try? FileManager.default.removeItem(atPath: marker)
            try? FileManager.default.removeItem(atPath: site + "-healed")
        })
    }

    @Test("production's agent lost while the analysis before the execution reads the replication edit: exit 3, nothing was changed; run again finishes")
    func lostDuringTheChangeRead() throws {
        let hosts = try hosts
        let (site, cleanup) = try Self.site(hosts, server: "production", drop: "files.nodes=1")
        defer { cleanup() }
        let before = try RemoteHostsTests.servers(of: site)
        let cut = try RemoteHostsTests.run(["run", "configure", "--execute", "--yes"], site: site)
        #expect(cut.status == 3, "\(cut.output.suffix(1500)) \(cut.error)")
        #expect((cut.output + cut.error).contains("connection lost"), "\(cut.output.suffix(1500)) \(cut.error)")
        #expect((cut.output + cut.error).contains("nothing was changed"), "\(cut.output.suffix(1500)) \(cut.error)")
        #expect(try RemoteHostsTests.servers(of: site) == before, "a run that lost its analysis changed a host")
        let again = try RemoteHostsTests.run(["run", "configure", "--execute", "--yes"], site: site)
        #expect(again.status == 0, "\(again.output.suffix(1500)) \(again.error)")
        #expect(try RemoteHostsTests.run(["run", "configure"], site: site).status == 0)
    }

    /// Where the cut falls, as the Nth request of an operation asked of the host: files.nodes=4
    /// falls in the analysis before the execution (production and recovery1: "Nothing was
    /// changed", run again); the others during the execution's rows (resume), in a step's
    /// analysis (files.contents=1, the first read of a directory's files; volumes.list=3) or late
    /// in the run (files.nodes=30).
    static let cuts = ["files.nodes=4", "files.contents=1", "volumes.list=3", "files.nodes=30"]

    @Test("an agent lost during a step's read: the run stops (exit 3, never 0) and the operator's way on (resume, or run again) ends like an uninterrupted run",
          arguments: cuts)
    func lostDuringAStep(_ drop: String) throws {
        let hosts = try hosts
        let reference = try RemoteHostsTests.site(hosts)
        defer { CrashRecoveryTests.dispose(reference) }
        #expect(try RemoteHostsTests.run(["run", "configure", "--execute", "--yes"], site: reference).status == 0)
        for server in ["production", "recovery1"] {
            let (site, cleanup) = try Self.site(hosts, server: server, drop: drop)
            defer { cleanup() }
            let cut = try RemoteHostsTests.run(["run", "configure", "--execute", "--yes"], site: site)
            let said = cut.output + cut.error
            if cut.status == 0 {
                // The cut fell on no request of this run: then the run is simply complete.
                #expect(!FileManager.default.fileExists(atPath: site + "-dropped"), "exit 0 after a lost connection (\(server), \(drop)): \(said.suffix(1500))")
            } else {
                #expect(cut.status == 3, "\(server), \(drop): \(said.suffix(1500))")
                #expect(said.contains("connection lost"), "\(server), \(drop): \(said.suffix(1500))")
                if said.contains("Nothing was changed") || said.contains("nothing was changed") {
                    #expect(try RemoteHostsTests.run(["run", "configure", "--execute", "--yes"], site: site).status == 0)
                } else {
                    #expect(said.contains("phasekit resume"), "\(server), \(drop): \(said.suffix(1500))")
                    #expect(try RemoteHostsTests.run(["status"], site: site).output.contains("interrupted"))
                    let resumed = try RemoteHostsTests.run(["resume"], site: site)
                    #expect(resumed.status == 0, "\(server), \(drop): \(resumed.output.suffix(2000)) \(resumed.error)")
                }
            }
            let again = try RemoteHostsTests.run(["run", "configure"], site: site)
            #expect(again.status == 0, "\(server), \(drop): \(again.output.suffix(1500))")
            #expect(try RemoteHostsTests.servers(of: site) == RemoteHostsTests.servers(of: reference), "\(server), \(drop)")
        }
    }

    /// The agent is lost at the row's files.sync (sent only in execution, after the row's writes).
    @Test("recovery1's host gone mid-execution (its agent lost, every reconnection refused): exit 3, resumable; resume once it is back ends like an uninterrupted run")
    func hostGoneDuringAStep() throws {
        let hosts = try hosts
        let reference = try RemoteHostsTests.site(hosts)
        defer { CrashRecoveryTests.dispose(reference) }
        #expect(try RemoteHostsTests.run(["run", "configure", "--execute", "--yes"], site: reference).status == 0)
        let (site, cleanup) = try Self.site(hosts, server: "recovery1", drop: "files.sync=1", unreachable: true)
        defer { cleanup() }
        let cut = try RemoteHostsTests.run(["run", "configure", "--execute", "--yes"], site: site)
        let said = cut.output + cut.error
        #expect(cut.status == 3, "\(said.suffix(1500))")
        #expect(said.contains("cannot reconnect") || said.contains("connection lost"), "\(said.suffix(1500))")
        #expect(said.contains("run phasekit resume"), "\(said.suffix(1500))")
        #expect(try RemoteHostsTests.run(["status"], site: site).output.contains("interrupted"))
        // Still gone: resume stops again (before any step, or at the row), and stays resumable.
        #expect(try RemoteHostsTests.run(["resume"], site: site).status == 3)
        #expect(FileManager.default.createFile(atPath: site + "-healed", contents: nil))
        let resumed = try RemoteHostsTests.run(["resume"], site: site)
        #expect(resumed.status == 0, "\(resumed.output.suffix(2000)) \(resumed.error)")
        #expect(try RemoteHostsTests.run(["run", "configure"], site: site).status == 0)
        #expect(try RemoteHostsTests.servers(of: site) == RemoteHostsTests.servers(of: reference))
    }
}
