import Foundation
import LuaRuntime
@testable import PhaseKit
import TestSupport
import Testing

/// The engine's one run API on a site procedure of its own: its change provider and its roles.
@Suite("TargetRunner", .serialized)
struct TargetRunnerTests {
    /// A change provider that says which servers changed.
    struct Changed: ChangeProvider {
        var servers: [String]
        func change(site: SiteConfiguration, files: SiteFiles) throws -> LuaTable? {
            LuaTable(["servers": .table(LuaTable(array: servers.map { .text($0) }))])
        }
    }

    /// A site with servers a (role alpha), b (role beta) and m (role other), and a procedure
    /// `audit` that names the `changed` provider, acts on alpha and beta, and logs per row.
    static func makeSite(manifest: String) throws -> SiteConfiguration {
        let directory = TestScratch.path("phasekit-target").path
        let procedure = directory + "/scripts/audit"
        try FileManager.default.createDirectory(atPath: procedure, withIntermediateDirectories: true)
        var yaml = "name: target\nservers:\n"
        for (name, role) in [("a", "alpha"), ("b", "beta"), ("m", "other")] {
            try FileManager.default.createDirectory(atPath: directory + "/" + name, withIntermediateDirectories: true)
            yaml += "  - name: \(name)\n    role: \(role)\n    root: \(name)\n"
        }
        try yaml.write(toFile: directory + "/site.yaml", atomically: true, encoding: .utf8)
        try manifest.write(toFile: procedure + "/procedure.lua", atomically: true, encoding: .utf8)
        try """
            return { title = "Each", description = "Logs.", order = 1, scope = "each",
              applies = function(change, ctx) for _, s in ipairs(change.servers) do if s == ctx.server then return true end end return false end,
              run = function(ctx) phase.log("ran on " .. ctx.server) end }
            """.write(toFile: procedure + "/1_each.lua", atomically: true, encoding: .utf8)
        return try SiteConfiguration.load(directory: directory)
    }

    @Test func theNamedChangeProviderFeedsAppliesAndEachRunsOnTheProcedureRolesOnly() throws {
        let site = try Self.makeSite(manifest: "return { title = 'Audit', sections = { 'audit' }, change = 'changed', roles = { 'alpha', 'beta' } }\n")
        defer { try? FileManager.default.removeItem(atPath: site.directory) }
        var request = RunRequest(target: .procedure("audit"), site: site)
        request.changeProviders = ["changed": Changed(servers: ["a", "m"])]
        let report = try TargetRunner.run(request, hooks: RunHooks())
        // Rows for a and b (m's role is not the procedure's); only a changed.
        #expect(report.steps.map { $0.server ?? "" } == ["a", "b"], "\(report.steps.map(\.server))")
        #expect(report.steps.flatMap(\.log) == ["ran on a"], "\(report.steps.flatMap(\.log))")
    }

    @Test func aProcedureNamingAnUnregisteredProviderIsRefusedBeforeAnyStep() throws {
        let site = try Self.makeSite(manifest: "return { title = 'Audit', sections = { 'audit' }, change = 'changed' }\n")
        defer { try? FileManager.default.removeItem(atPath: site.directory) }
        let error = #expect(throws: PhaseKitError.self) { try TargetRunner.run(RunRequest(target: .procedure("audit"), site: site), hooks: RunHooks()) }
        #expect(error?.description.contains("change provider 'changed' is not part of this phasekit") == true, "\(String(describing: error))")
    }

    @Test func errorKindsAreWrittenAsTheReportsAlwaysWroteThem() throws {
        let kinds: [ErrorKind] = [.limit(.time), .precondition, .refused, .other, .syntax]
        let encoded = try JSONEncoder().encode(kinds)
        #expect(String(decoding: encoded, as: UTF8.self) == #"["limit:time","precondition","refused","error","syntax"]"#)
        #expect(try JSONDecoder().decode([ErrorKind].self, from: encoded) == kinds)
    }
}
