import Foundation
import Testing
@testable import PhaseKit

/// A saved plan admits exactly its own writes, and refuses a plan for another site or with a
/// step row listed twice.
@Suite("Saved plans are exact")
struct PlannedWritesTests {
    static func change(_ sql: String, status: Change.Status = .planned) -> Change {
        Change(binding: "db.exec", arguments: [.string(sql)], status: status, location: nil, step: "p/one", server: "local")
    }

    static func step(_ id: String, server: String? = nil, _ changes: [Change]) -> RunReport.Step {
        RunReport.Step(id: id, title: id, section: nil, server: server, state: .planned, script: nil,
                       changes: changes, issues: [], log: [], error: nil)
    }

    static func plan(site: String?, steps: [RunReport.Step]) -> SavedPlan {
        SavedPlan(report: RunReport.make(RunReport.Heading(target: "p", site: site, mode: .analyze, startedAt: Date()), steps: steps))
    }

    @Test func writesAreAdmittedInThePlansOrderAndTheFirstOtherOneRefusesTheRest() throws {
        let first = Self.change("UPDATE a SET x = 1"), second = Self.change("UPDATE a SET x = 2")
        let writes = PlannedWrites(plan: Self.plan(site: nil, steps: [Self.step("p/one", [first, second])]))
        let key = PlannedWrites.key(step: "p/one", server: nil)
        try writes.admit(first, key: key)
        #expect(writes.remaining(key: key).map(\.summary) == [second.summary])
        #expect(throws: PhaseKitError.self) { try writes.admit(Self.change("DELETE FROM a"), key: key) }
        #expect(writes.violation != nil)
        #expect(throws: PhaseKitError.self) { try writes.admit(second, key: key) }
        #expect(throws: PhaseKitError.self) {
            try PlannedWrites(plan: Self.plan(site: nil, steps: [])).admit(first, key: key)
        }
    }

    @Test func aPlanForAnotherSiteOrWithADuplicatedRowIsRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("phasekit-plan-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: directory + "-link", withDestinationPath: directory)
        defer { [directory, directory + "-link"].forEach { try? FileManager.default.removeItem(atPath: $0) } }
        let steps = [Self.step("p/one", [Self.change("UPDATE a SET x = 1")])]
        let fresh = Self.plan(site: directory, steps: steps)
        #expect(Self.plan(site: directory + "/", steps: steps).differences(from: fresh).isEmpty)
        #expect(Self.plan(site: directory + "-link", steps: steps).differences(from: fresh).isEmpty, "one site, two spellings")
        #expect(Self.plan(site: directory + "-other", steps: steps).differences(from: fresh).contains { $0.contains("the plan is for the site") })
        #expect(Self.plan(site: directory, steps: steps + steps).differences(from: fresh).contains { $0.contains("listed more than once") })
    }

    @Test func aRowWhoseFreshPlanDiffersFromTheSavedOneDeparts() {
        let saved = Self.plan(site: nil, steps: [Self.step("p/one", server: "a", [Self.change("UPDATE a SET x = 1")])])
        #expect(ProcedureRunner.departure(of: Self.step("p/one", server: "a", [Self.change("UPDATE a SET x = 1")]), from: saved) == nil)
        #expect(ProcedureRunner.departure(of: Self.step("p/one", server: "a", [Self.change("UPDATE a SET x = 2")]), from: saved) != nil)
        #expect(ProcedureRunner.departure(of: Self.step("p/one", server: "b", [Self.change("UPDATE a SET x = 1")]), from: saved) != nil)
    }
}
