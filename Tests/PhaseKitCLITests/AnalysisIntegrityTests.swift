import Foundation
import Testing

/// Analysis shows what execution does, end to end on the built binary: one step cannot hide
/// another's writes, a saved plan holds every change execution makes, failed writes are not
/// planned changes, and output converts values as Lua's `tostring` does.
@Suite("Analysis shows what execution does", .serialized)
struct AnalysisIntegrityTests {
    static func sampleSite() throws -> String {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-integrity-\(UUID().uuidString)").path
        #expect(try CLITests.phasekit(["sample-site", site]).status == 0)
        return site
    }

    static func plannedCount(_ output: String) -> Int? {
        guard let range = output.range(of: #"(\d+) changes? planned; "#, options: .regularExpression) else { return nil }
        return Int(output[range].split(separator: " ")[0])
    }

    static func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    static func changes(of document: [String: Any]) -> [[String: Any]] {
        (document["steps"] as? [[String: Any]] ?? []).flatMap { $0["changes"] as? [[String: Any]] ?? [] }
    }

    @Test func aStepThatRawsetsModulesHidesNoWriteOfTheNextStep() throws {
        let site = try Self.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let baseline = try CLITests.phasekit(["run", "sync", "--site", site])
        let expected = try #require(Self.plannedCount(baseline.output))
        #expect(expected > 0)
        try SiteCustomizationTests.write("""
            return { title = "Poison", section = "io", order = 0, description = "A hostile site step.",
              run = function(ctx)
                pcall(rawset, db, "exec", function() return 1 end)
                pcall(rawset, phase, "mode", "execute")
                pcall(rawset, string, "format", function() return "poisoned" end)
                leaked = "yes"
              end }
            """, to: site + "/scripts/sync/io/0_poison.lua")
        try SiteCustomizationTests.write("""
            return { title = "Witness", section = "io", order = 0, description = "Logs what it sees.",
              run = function(ctx) phase.log("witness", phase.mode, string.format("%d", 7), tostring(rawget(_G, "leaked"))) end }
            """, to: site + "/scripts/sync/io/0_witness.lua")
        let poisoned = try CLITests.phasekit(["run", "sync", "--site", site])
        #expect(poisoned.status == 2)
        #expect(Self.plannedCount(poisoned.output) == expected, "\(poisoned.output.suffix(300))")
        #expect(poisoned.output.contains("witness\tanalyze\t7\tnil"), "\(poisoned.output)")
    }

    @Test func aSavedPlanHoldsThePreCheckStopsAndExecutionAppliesExactlyIt() throws {
        let site = try Self.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let planPath = site + "/../" + URL(fileURLWithPath: site).lastPathComponent + "-plan.json"
        defer { try? FileManager.default.removeItem(atPath: planPath) }
        let analysis = try CLITests.phasekit(["run", "sync", "--site", site, "--plan-out", planPath])
        #expect(analysis.status == 2)
        #expect(analysis.output.contains("+ stop service io-orchestrator on cms"), "the pre-check's stops are shown where they happen")
        let plan = try Self.json(String(decoding: try Data(contentsOf: URL(fileURLWithPath: planPath)), as: UTF8.self))
        let planned = Self.changes(of: plan)
        #expect(planned.contains { $0["binding"] as? String == "services.stop" })
        #expect(Self.plannedCount(analysis.output) == planned.count)

        // A plan for another site, or with a step row listed twice, is refused before anything changes.
        let before = try CrashRecoveryTests.world(of: site)
        var other = plan
        other["site"] = site + "-elsewhere"
        var duplicated = plan
        duplicated["steps"] = (plan["steps"] as? [Any] ?? []) + [(plan["steps"] as? [Any] ?? [])[1]]
        for (name, document) in [("other", other), ("duplicated", duplicated)] {
            let path = planPath + "." + name
            defer { try? FileManager.default.removeItem(atPath: path) }
            try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: path))
            let refused = try CLITests.phasekit(["run", "sync", "--site", site, "--execute", "--plan", path])
            #expect(refused.status == 4, "\(name): \(refused.output.suffix(300)) \(refused.error)")
            #expect(try CrashRecoveryTests.world(of: site) == before, "\(name): the world changed")
        }

        let execution = try CLITests.phasekit(["run", "sync", "--site", site, "--execute", "--plan", planPath, "--json"])
        #expect(execution.status == 0, "\(execution.error)")
        let applied = Self.changes(of: try Self.json(execution.output))
        #expect(applied.allSatisfy { $0["status"] as? String == "applied" })
        #expect(applied.map { [$0["binding"] as? String, "\($0["arguments"] ?? "")"] }
                == planned.map { [$0["binding"] as? String, "\($0["arguments"] ?? "")"] }, "applied one for one")
    }

    @Test func aWriteOutsideTheSavedPlanIsRefusedBeforeItLands() throws {
        let site = try Self.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        // Plans one write, and makes another only when it really executes.
        try SiteCustomizationTests.write("""
            return { title = "Sneaky", section = "io", order = 0, description = "Writes more when it executes.",
              run = function(ctx)
                db.exec("UPDATE io_requests SET requested_by = 'sneaky' WHERE id = 1")
                if phase.mode == "execute" then pcall(db.exec, "DELETE FROM io_requests") end
              end }
            """, to: site + "/scripts/sync/io/0_sneaky.lua")
        let planPath = site + "-plan.json"
        defer { try? FileManager.default.removeItem(atPath: planPath) }
        #expect(try CLITests.phasekit(["run", "sync", "--site", site, "--plan-out", planPath]).status == 2)
        let execution = try CLITests.phasekit(["run", "sync", "--site", site, "--execute", "--plan", planPath])
        #expect(execution.status == 4, "\(execution.output.suffix(600))")
        #expect(execution.output.contains("is not in the saved plan"), "\(execution.output.suffix(600))")
        let count = try CLITests.script("print(db.value(\"SELECT count(*) FROM io_requests\"), db.value(\"SELECT requested_by FROM io_requests WHERE id = 1\"))\n")
        defer { try? FileManager.default.removeItem(atPath: count) }
        let after = try CLITests.phasekit(["run", count, "--site", site])
        #expect(after.output.contains("| 16\t"), "the unplanned DELETE landed: \(after.output)")
        #expect(!after.output.contains("sneaky"), "the refused row's planned write was rolled back with it")
    }

    @Test func aFailedWriteIsNotAPlannedChange() throws {
        let site = try Self.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let script = try CLITests.script("pcall(services.stop, \"nosuch\")\n")
        defer { try? FileManager.default.removeItem(atPath: script) }
        let analysis = try CLITests.phasekit(["run", script, "--site", site])
        #expect(analysis.status == 0, "\(analysis.output)")
        #expect(!analysis.output.contains("changes planned") && !analysis.output.contains("change planned"))
        #expect(analysis.output.contains("1 failed write"))
        #expect(analysis.output.contains("Nothing to change. (1 write failed: not changes)"))
        let json = try Self.json(try CLITests.phasekit(["run", script, "--site", site, "--json"]).output)
        #expect(json["outcome"] as? String == "clean")
        #expect(Self.changes(of: json).map { $0["status"] as? String } == ["failed"])
    }

    @Test func printLogAndErrorsConvertWithTostringUnderTheLimits() throws {
        let script = try CLITests.script("""
            local object = setmetatable({}, { __tostring = function() return "an object" end })
            print(object, 1.0, 2, nil, true)
            phase.log("log:", object)
            phase.warn("warn:", object)
            error(setmetatable({}, { __tostring = function() return "a custom error" end }))
            """)
        defer { try? FileManager.default.removeItem(atPath: script) }
        let run = try CLITests.phasekit(["run", script])
        #expect(run.status == 1)
        #expect(run.output.contains("| an object\t1.0\t2\tnil\ttrue"), "\(run.output)")
        #expect(run.output.contains("| log:\tan object"))
        #expect(run.output.contains("warning: warn:\tan object"))
        #expect(run.output.contains("error: a custom error"))

        let looping = try CLITests.script("print(setmetatable({}, { __tostring = function() while true do end end }))\n")
        defer { try? FileManager.default.removeItem(atPath: looping) }
        let limited = try CLITests.phasekit(["run", looping, "--time-limit", "1"])
        #expect(limited.status == 1)
        #expect(limited.output.contains("time limit exceeded"))
        let erroring = try CLITests.script("error(setmetatable({}, { __tostring = function() while true do end end }))\n")
        defer { try? FileManager.default.removeItem(atPath: erroring) }
        let limitedError = try CLITests.phasekit(["run", erroring, "--time-limit", "1"])
        #expect(limitedError.status == 1)
        #expect(limitedError.output.contains("time limit exceeded"), "\(limitedError.output)")
    }
}
