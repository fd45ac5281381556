import Foundation
import TestSupport
import Testing

/// A site whose step titles, log lines and findings carry markup, script links and a 10 MB line:
/// every document stays valid JSON within its caps, and the text comes back exactly as data.
@Suite("phasekit serve: hostile site text")
struct ServeHostileSiteTests {
    static let markup = #"<script>alert(1)</script> "><img src=x onerror=alert(2)> <a href="javascript:alert(3)">x</a>"#

    /// A site procedure `audit` whose title, step title, log lines and finding carry ``markup``,
    /// plus a 10 MB log line and a 10 MB finding detail.
    static func hostileProcedure(in site: String) throws {
        let lua = markup.replacingOccurrences(of: "\"", with: "\\\"")
        try write("return { title = \"Audit \(lua)\", description = \"Hostile.\", sections = { \"audit\" } }\n",
                  to: site + "/scripts/audit/procedure.lua")
        try write("""
            return { title = "Check \(lua)", section = "audit", order = 1, needs = { "files" },
                     description = "Hostile step.",
                     run = function(ctx)
                       phase.log("log \(lua)")
                       phase.log(string.rep("A", 10 * 1024 * 1024))
                       local new = "new \(lua)\\n"
                       if files.read("etc/hostile.conf") ~= new then
                         phase.issue{ summary = "finding \(lua)", detail = string.rep("D", 10 * 1024 * 1024), resolution = "planned" }
                         files.write("etc/hostile.conf", new)
                       end
                     end }
            """ + "\n", to: site + "/scripts/audit/1_hostile.lua")
        try write("old \(markup)\n", to: site + "/etc/hostile.conf")
    }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func everyDocumentIsValidJSONWithinItsCapsAndKeepsTheTextAsData() throws {
        let site = try ServeSite.make()
        defer { ServeSite.dispose(site) }
        try Self.hostileProcedure(in: site)
        let analysis = try ServeSite.run(["run", "audit", "--site", site])
        #expect(analysis.status == 2, "\(analysis.output.prefix(2000))")
        let execution = try ServeSite.run(["run", "audit", "--site", site, "--execute", "--yes"])
        #expect([0, 2].contains(execution.status), "\(execution.output.prefix(2000))")
        let serve = try ServeProcess(site: site)
        defer { serve.stop() }

        var targets = ["/api/site", "/api/summary", "/api/run", "/api/history"]
        let history = try #require(try JSONSerialization.jsonObject(with: serve.get("/api/history").body) as? [String: Any])
        targets += ((history["runs"] as? [[String: Any]]) ?? []).compactMap { ($0["id"] as? String).map { "/api/runs/\($0)" } }
        #expect(targets.count >= 6)
        var seen = ""
        for target in targets {
            let response = try serve.get(target)
            #expect(response.status == 200, "\(target): \(response.status) \(response.text.prefix(300))")
            #expect(response.headers["content-type"] == "application/json; charset=utf-8")
            #expect(response.body.count <= 8 * 1024 * 1024, "\(target): \(response.body.count) bytes")
            let object = try JSONSerialization.jsonObject(with: response.body)
            seen += Self.strings(in: object).joined(separator: "\n")
            print("serve: \(target) is \(response.body.count) bytes")
        }
        #expect(seen.contains("Check " + Self.markup), "the title comes back exactly, as data")
        #expect(seen.contains("finding " + Self.markup))
        #expect(seen.contains("log " + Self.markup))
        #expect(seen.contains("bytes cut)"), "the 10 MB texts are cut")
        #expect(!seen.contains(String(repeating: "D", count: 20_000)))
    }

    /// Every string in a JSON value.
    static func strings(in value: Any) -> [String] {
        switch value {
        case let text as String: [text]
        case let list as [Any]: list.flatMap(strings(in:))
        case let object as [String: Any]: object.values.flatMap(strings(in:))
        default: []
        }
    }
}
