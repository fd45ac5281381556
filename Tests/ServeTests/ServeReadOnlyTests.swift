import Foundation
import TestSupport
import Testing

/// A browsing session changes nothing: every file of the site (its state directory included: no
/// lock taken, no report stored), each file's modification time, and the database's content.
@Suite("phasekit serve: read-only")
struct ServeReadOnlyTests {
    /// Every file under the site with its content and modification time, and the database dump.
    static func fingerprint(_ site: String) throws -> [String: String] {
        var print = try SiteWorld.files(under: site)
        let enumerator = FileManager.default.enumerator(atPath: site)
        while let relative = enumerator?.nextObject() as? String {
            var status = stat()
            guard lstat(site + "/" + relative, &status) == 0 else { continue }
            print["mtime:" + relative] = "\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec) \(status.st_size)"
        }
        print["database"] = try SiteWorld.sqlite(site, ".dump").joined(separator: "\n")
        return print
    }

    @Test func aBrowsingSessionLeavesTheSiteAndTheDatabaseAsTheyWere() throws {
        let site = try ServeSite.make()
        defer { ServeSite.dispose(site) }
        // A history to browse: an analysis and an execution of sync, an analysis of configure.
        try ServeSite.run(["run", "configure", "--site", site])
        let plan = site + "/../" + URL(fileURLWithPath: site).lastPathComponent + "-plan.json"
        defer { try? FileManager.default.removeItem(atPath: plan) }
        try ServeSite.run(["run", "configure", "--site", site, "--plan-out", plan])
        try ServeSite.run(["run", "sync", "--site", site, "--execute", "--yes"])
        let before = try Self.fingerprint(site)
        let serve = try ServeProcess(site: site, arguments: ["--plan", plan])
        let events = try EventReader(port: serve.port)
        for _ in 0..<3 {
            for target in ["/", "/app.js", "/app.css", "/api/site", "/api/summary", "/api/run", "/api/history", "/api/plan"] {
                let response = try serve.get(target)
                #expect(response.status == 200, "\(target): \(response.status) \(response.text.prefix(300))")
            }
            let history = try #require(try JSONSerialization.jsonObject(with: serve.get("/api/history").body) as? [String: Any])
            for run in (history["runs"] as? [[String: Any]]) ?? [] {
                let id = try #require(run["id"] as? String)
                let report = try serve.get("/api/runs/\(id)")
                #expect(report.status == 200, "\(id): \(report.text.prefix(200))")
            }
            _ = try serve.get("/api/summary", method: "HEAD")
        }
        #expect(Wait.until(10) { !events.received.isEmpty })
        // /api/history is the document of history --json.
        let served = try JSONSerialization.jsonObject(with: serve.get("/api/history").body) as? NSDictionary
        let printed = try JSONSerialization.jsonObject(with: Data(ServeSite.run(["history", "--site", site, "--json"]).output.utf8)) as? NSDictionary
        #expect(served != nil && served == printed)
        events.close()
        serve.stop()
        let after = try Self.fingerprint(site)
        let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
        #expect(changed.isEmpty, "changed by browsing: \(changed)")
    }
}
