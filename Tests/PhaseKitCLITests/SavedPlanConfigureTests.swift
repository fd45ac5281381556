import Foundation
import Testing
import TestSupport

/// Issue 24 item 5: a plan of an unchanged site is the same plan apart from its time, and
/// `--execute --plan` applies it one for one, for configure, locally and over ssh.
@Suite("saved plans of configure", .serialized, SSHHosts.Scope())
struct SavedPlanConfigureTests {
    /// Each step row's fingerprint in a saved plan, by `step@server`.
    static func fingerprints(_ path: String) throws -> [String: String] {
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let steps = try #require(plan["steps"] as? [[String: Any]])
        var found: [String: String] = [:]
        for step in steps {
            let key = "\(step["id"] as? String ?? "")@\(step["server"] as? String ?? "")"
            found[key] = step["stateFingerprint"] as? String ?? "none"
        }
        return found
    }

    /// Two plans of the untouched site agree row for row; the first is then applied.
    static func planTwiceThenApply(site: String) throws {
        let first = site + "/plan1.json", second = site + "/plan2.json"
        let saved = try RemoteHostsTests.run(["run", "configure", "--plan-out", first], site: site)
        #expect(saved.status == 2, "\(saved.output.suffix(1500)) \(saved.error)")
        #expect(try RemoteHostsTests.run(["run", "configure", "--plan-out", second], site: site).status == 2)
        let one = try fingerprints(first), two = try fingerprints(second)
        #expect(!one.isEmpty)
        for key in Set(one.keys).union(two.keys).sorted() {
            #expect(one[key] == two[key], "\(key): the fingerprints of two plans of the same site differ")
        }
        let applied = try RemoteHostsTests.run(["run", "configure", "--execute", "--yes", "--plan", first], site: site)
        #expect(applied.status == 0, "\(applied.output.suffix(2000)) \(applied.error)")
        #expect(try RemoteHostsTests.run(["run", "configure"], site: site).status == 0)
    }

    @Test("configure on the local sample site: plan twice, the same plan; --execute --plan applies it")
    func local() throws {
        let site = TestScratch.path("plan-local").path
        defer { CrashRecoveryTests.dispose(site) }
        let written = try CLITests.phasekit(["sample-site", site])
        try #require(written.status == 0, "\(written.error)")
        try Self.planTwiceThenApply(site: site)
    }

    @Test("configure with every server over ssh: plan twice, the same plan; --execute --plan applies it")
    func overSSH() throws {
        let hosts = try #require(SSHHosts.Scope.current)
        let site = try RemoteHostsTests.site(hosts)
        defer { CrashRecoveryTests.dispose(site) }
        try Self.planTwiceThenApply(site: site)
    }
}
