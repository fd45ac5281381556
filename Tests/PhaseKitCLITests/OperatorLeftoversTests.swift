import Foundation
import TestSupport
import Testing

/// What a new operator trips over at the edges: services left running by the sample site, a
/// `--site` given the file instead of its folder, a YAML mistake reported where it starts, and
/// `phasekit` with nothing to do.
@Suite("operator edges", .serialized)
struct OperatorLeftoversTests {
    /// The pids of the processes carrying a service marker of `site` (phasekit's process services).
    static func servicePids(of site: String) -> [String] {
        let marker = "PHASEKIT_SERVICE=" + URL(fileURLWithPath: site).standardizedFileURL.path
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { $0.allSatisfy(\.isNumber) }.filter { pid in
            guard let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
            return environ.split(separator: 0).contains { String(decoding: $0, as: UTF8.self).hasPrefix(marker) }
        }
    }

    @Test func servicesStopEndsEveryServiceTheSampleSiteStartedAfterAsking() throws {
        let site = TestScratch.path("phasekit-services").path
        defer { CrashRecoveryTests.dispose(site) }
        #expect(try CLITests.phasekit(["sample-site", site]).status == 0)
        let started = Self.servicePids(of: site)
        #expect(started.count >= 7, "the sample starts its services: \(started)")
        let status = try CLITests.phasekit(["services", "status", "--site", site])
        #expect(status.status == 0 && status.output.contains("cms-database on cms: running (process)"), "\(status.output)")
        // No terminal and no --yes: refused, nothing stopped.
        let refused = try CLITests.phasekit(["services", "stop", "--site", site])
        #expect(refused.status == 4 && refused.error.contains("pass --yes"), "\(refused.error)")
        #expect(Self.servicePids(of: site).count == started.count)
        let stopped = try CLITests.phasekit(["services", "stop", "--site", site, "--yes"])
        #expect(stopped.status == 0, "\(stopped.output) \(stopped.error)")
        #expect(stopped.output.contains("stopped aba on recovery2"), "\(stopped.output)")
        #expect(Self.servicePids(of: site).isEmpty, "left running: \(Self.servicePids(of: site))")
        let again = try CLITests.phasekit(["services", "stop", "--site", site, "--yes"])
        #expect(again.status == 0 && again.output.contains("No service of this site is running."), "\(again.output)")
    }

    /// `services status|stop --json` print a `phasekit-services` document (``CLITests/phasekit(_:input:executable:directory:environment:)``
    /// validates it against docs/report.schema.json), and nothing else on standard output.
    @Test func servicesJSONIsOneVersionedDocument() throws {
        let site = TestScratch.path("phasekit-services").path
        defer { CrashRecoveryTests.dispose(site) }
        #expect(try CLITests.phasekit(["sample-site", site]).status == 0)
        func document(_ arguments: [String], status expected: Int32) throws -> [String: Any] {
            let result = try CLITests.phasekit(["services"] + arguments + ["--site", site, "--json"])
            #expect(result.status == expected, "\(arguments): \(result.output) \(result.error)")
            return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], "\(result.output)")
        }
        let status = try document(["status"], status: 0)
        #expect(status["format"] as? String == "phasekit-services" && status["version"] as? Int == 1 && status["phasekitVersion"] != nil)
        #expect((status["services"] as? [[String: Any]])?.contains { $0["name"] as? String == "cms-database" && $0["state"] as? String == "running" } == true)
        let refused = try document(["stop"], status: 4)
        #expect(refused["outcome"] as? String == "not-confirmed", "\(refused)")
        let stopped = try document(["stop", "--yes"], status: 0)
        #expect(stopped["outcome"] as? String == "stopped", "\(stopped)")
        #expect((stopped["services"] as? [[String: Any]])?.allSatisfy { $0["stopped"] as? Bool == true && $0["state"] as? String == "stopped" } == true)
        #expect(Self.servicePids(of: site).isEmpty, "left running: \(Self.servicePids(of: site))")
        #expect(try document(["stop", "--yes"], status: 0)["outcome"] as? String == "nothing-running")
        let noSite = try CLITests.phasekit(["services", "status", "--site", site + "/nowhere", "--json"])
        #expect(noSite.status == 1 && noSite.output.contains("\"outcome\" : \"error\""), "an error is a report too: \(noSite.output)")
    }

    @Test func aSiteGivenAsItsSiteYAMLFileNamesTheFolderToGive() throws {
        let site = try CLITests.makeSite()
        defer { try? FileManager.default.removeItem(atPath: site) }
        let result = try CLITests.phasekit(["run", "sync", "--site", site + "/site.yaml"])
        #expect(result.status == 1)
        #expect(result.error.contains("is a file, not a site directory") && result.error.contains("(--site \(site))"), "\(result.error)")
    }

    @Test func anUnterminatedQuoteIsReportedOnTheLineWhereItStarts() throws {
        let site = try CLITests.makeSite("name: test\ndatabase: \"sqlite:cms.db\nvolumes:\n  backend: dir\n  path: volumes\n")
        defer { try? FileManager.default.removeItem(atPath: site) }
        let result = try CLITests.phasekit(["run", "sync", "--site", site])
        #expect(result.status == 1)
        #expect(result.error.contains("site.yaml:2: while scanning a quoted scalar that starts here"), "\(result.error)")
    }

    @Test func noSubcommandIsAUsageError() throws {
        let result = try CLITests.phasekit([])
        #expect(result.status == 64)
        #expect(result.error.contains("USAGE: phasekit <subcommand>"), "\(result.error)")
        #expect(try CLITests.phasekit(["--help"]).status == 0)
    }
}
