import Foundation
import Testing
import TestSupport

/// Writes to another host are sent without waiting for each answer: a failure still fails its
/// row, names its change, and stops what the script sent after it (docs/remote.md, "Writes").
extension RemoteHostsTests {
    /// A site whose agents answer the Nth `files.write` of their first writable run with a
    /// failure (`phasekit agent --fail-at`), once: the next run's agents write normally.
    static func failingSite(_ hosts: SSHHosts.Handle, failAt write: Int) throws -> String {
        let marker = TestScratch.path("fail-once").path
        let wrapper = marker + "-agent.sh"
        try """
            #!/bin/sh
            case " $* " in *" --read-only "*) exec \(CLITests.binary.path) "$@" ;; esac
            if [ ! -e \(marker) ]; then : > \(marker); exec \(CLITests.binary.path) "$@" --fail-at files.write=\(write); fi
            exec \(CLITests.binary.path) "$@"

            """.write(toFile: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper, 0o755)
        return try site(hosts, phasekit: wrapper)
    }

    static func statuses(_ output: String) throws -> [String] {
        AnalysisIntegrityTests.changes(of: try AnalysisIntegrityTests.json(output)).compactMap { $0["status"] as? String }
    }

    @Test("the third of five writes fails on the host: exit 1 naming it, the two after it not made, history counts two; the next run completes")
    func failedWriteStopsWhatFollows() throws {
        let site = try Self.failingSite(try hosts, failAt: 3)
        defer { CrashRecoveryTests.dispose(site) }
        let script = site + "/five.lua"
        try """
            local f = files.on("production")
            for _, name in ipairs({ "a", "b", "c", "d", "e" }) do f.write("pipe/" .. name .. ".txt", name .. "\\n") end

            """.write(toFile: script, atomically: true, encoding: .utf8)
        let directory = site + "/servers/production/pipe"
        let failed = try Self.run(["run", script, "--execute", "--yes", "--json"], site: site)
        #expect(failed.status == 1, "\(failed.output.suffix(1500)) \(failed.error)")
        // d (and e) were sent before c's answer came back, and refused by the agent; or c's
        // answer came first, and the next call raised it before doing anything (the calls after
        // it never made, nor recorded): either way, not made.
        let statuses = try Self.statuses(failed.output)
        #expect(statuses.prefix(3) == ["applied", "applied", "failed"] && (3...5).contains(statuses.count)
                && statuses.dropFirst(3).allSatisfy { $0 == "refused" }, "\(statuses) \(failed.output.suffix(3000))")
        #expect(failed.output.contains("'pipe/c.txt': cannot write (failed on purpose"), "\(failed.output.suffix(3000))")
        // Raised by a later call or the row's end, it names the write's own line.
        #expect(failed.output.contains("(files.write at ") && failed.output.contains("five.lua:2, answered after it returned)"),
                "\(failed.output.suffix(3000))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["a.txt", "b.txt"])
        let history = try Self.run(["history"], site: site)
        #expect(history.output.contains("2 change(s) applied") || history.output.contains("2 changes applied"), "\(history.output)")
        let again = try Self.run(["run", script, "--execute", "--yes"], site: site)
        #expect(again.status == 0, "\(again.output.suffix(1500))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"])
    }

    @Test("a pcall around one write does not see its failure: a later call on that server or the row's end raises it, and neither write is made")
    func failureReachesTheNextCall() throws {
        let site = try Self.failingSite(try hosts, failAt: 1)
        defer { CrashRecoveryTests.dispose(site) }
        let script = site + "/pcall.lua"
        try """
            local f = files.on("production")
            local ok = pcall(f.write, "pipe/x.txt", "x")
            phase.log("the pcall returned " .. tostring(ok))
            f.write("pipe/y.txt", "y")

            """.write(toFile: script, atomically: true, encoding: .utf8)
        let failed = try Self.run(["run", script, "--execute", "--yes", "--json"], site: site)
        #expect(failed.status == 1, "\(failed.output.suffix(1500))")
        // y was sent before x's answer came back and refused by the agent, or x's answer came
        // first and y's call raised it before doing anything (y never made, nor recorded).
        #expect([["failed", "refused"], ["failed"]].contains(try Self.statuses(failed.output)), "\(failed.output.suffix(3000))")
        #expect(failed.output.contains("the pcall returned true"), "\(failed.output.suffix(3000))")
        // Raised by y's call (line 4) when x's answer was back by then, by the row's end otherwise.
        #expect(failed.output.contains("'pipe/x.txt': cannot write (failed on purpose"), "\(failed.output.suffix(3000))")
        #expect(failed.output.contains("pcall.lua:2, answered after it returned)"), "\(failed.output.suffix(3000))")
        #expect(!FileManager.default.fileExists(atPath: site + "/servers/production/pipe/x.txt"))
        #expect(!FileManager.default.fileExists(atPath: site + "/servers/production/pipe/y.txt"))
    }
}
