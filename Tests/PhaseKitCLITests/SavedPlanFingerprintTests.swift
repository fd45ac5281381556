import Foundation
import Testing

/// A script's saved plan fingerprints what it reads (`RunIntent.stagedExecution(fingerprinted:)`),
/// and `--execute --plan` refuses the plan once that state has changed.
@Suite("saved plans of a script fingerprint its reads", .serialized)
struct SavedPlanFingerprintTests {
    static func fingerprint(_ path: String) throws -> String? {
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let steps = try #require(plan["steps"] as? [[String: Any]])
        return steps.first?["stateFingerprint"] as? String
    }

    @Test func aPlanKeepsItsFingerprintAndAChangedReadIsRefused() throws {
        let site = try AnalysisIntegrityTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let script = try CLITests.script("""
            local count = db.value("SELECT count(*) FROM io_requests")
            db.exec("UPDATE io_requests SET requested_by = 'planned' WHERE id = 1")
            print(count)
            """)
        let change = try CLITests.script("db.exec(\"DELETE FROM io_requests WHERE id = (SELECT min(id) FROM io_requests)\")\n")
        let analyzed = site + "-analyzed.json"
        defer { for path in [script, change, analyzed] { try? FileManager.default.removeItem(atPath: path) } }

        let analysis = try CLITests.phasekit(["run", script, "--site", site, "--plan-out", analyzed])
        #expect(analysis.status == 2, "\(analysis.output)")
        #expect(try Self.fingerprint(analyzed) != nil, "the analysis's plan has no fingerprint")
        // A second plan of the unchanged site reads the same state: the same fingerprint.
        let again = site + "-again.json"
        defer { try? FileManager.default.removeItem(atPath: again) }
        #expect(try CLITests.phasekit(["run", script, "--site", site, "--plan-out", again]).status == 2)
        #expect(try Self.fingerprint(again) == Self.fingerprint(analyzed))

        #expect(try CLITests.phasekit(["run", change, "--site", site, "--execute", "--yes"]).status == 0)
        let refused = try CLITests.phasekit(["run", script, "--site", site, "--execute", "--plan", analyzed])
        #expect(refused.status != 0)
        #expect(refused.error.contains("the state it reads changed since the plan was made"), "\(refused.error)")
    }
}
