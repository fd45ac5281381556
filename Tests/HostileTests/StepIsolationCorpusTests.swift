import Foundation
import LuaRuntime
import PhaseKit
import Testing

/// Every step, and every row of a per-server step, starts from a pristine environment: a
/// poisoning script of the corpus runs as a step on each server row, each followed by the
/// witness step (`Corpus/witness/pristine_environment.lua`), in one session as a procedure's
/// analysis runs them. The witness must find nothing of the poison, and in analysis its own write
/// must be planned; the world stays as it was in both modes.
@Suite("A hostile step cannot change what later steps see")
struct StepIsolationCorpusTests {
    static let witnessDirectory = CorpusScript.directory + "/witness"
    static let witness = witnessDirectory + "/pristine_environment.lua"

    @Test func theCorpusHoldsPoisoningSteps() {
        #expect(CorpusScript.poisoning.count >= 13)
    }

    @Test("In analysis, a poisoned step hides no later write and changes nothing", arguments: CorpusScript.poisoning)
    func analysisAfterAPoisonedStep(script: CorpusScript) throws {
        let site = try HostileSite()
        defer { site.tearDown() }
        let before = try WorldSnapshot(of: site)
        let steps = try Self.run(script, then: Self.witness, on: site, mode: .analyze)
        for step in steps where step.id == "witness" {
            #expect(step.error == nil, "\(script.name) [\(step.server ?? "")]: \(step.error?.message ?? "")")
            #expect(step.changes.map(\.status) == [.planned], "\(script.name) [\(step.server ?? "")]: the witness's write was not planned")
        }
        for step in steps where step.id == "poison" {
            #expect(!step.changes.contains { $0.status == .planned || $0.status == .applied }, "\(script.name): the poison planned a change")
            let message = step.error?.message ?? ""
            #expect(!message.contains("ESCAPED"), "\(script.name): \(message)")
        }
        #expect(try WorldSnapshot(of: site) == before, "\(script.name): analysis changed the world")
    }

    @Test("In execution, a poisoned step reaches no later step and phasekit's files stay intact", arguments: CorpusScript.poisoning)
    func executionAfterAPoisonedStep(script: CorpusScript) throws {
        let site = try HostileSite()
        defer { site.tearDown() }
        let before = try WorldSnapshot(of: site)
        let yaml = FileManager.default.contents(atPath: site.directory + "/site.yaml")
        let steps = try Self.run(script, then: Self.witness, on: site, mode: .execute)
        for step in steps where step.id == "witness" {
            #expect(step.error == nil, "\(script.name) [\(step.server ?? "")]: \(step.error?.message ?? "")")
            #expect(step.changes.isEmpty)
        }
        #expect(!steps.contains { $0.changes.contains { $0.status == .applied } }, "\(script.name): a change was applied")
        #expect(try WorldSnapshot(of: site) == before, "\(script.name): execution changed the world")
        #expect(FileManager.default.contents(atPath: site.directory + "/site.yaml") == yaml)
    }

    /// Runs `poison` then `witness` on each server row, all in one session (one world, one
    /// dispatcher), the way a procedure's analysis runs its steps.
    static func run(_ poison: CorpusScript, then witness: String, on site: HostileSite, mode: RunMode) throws -> [RunReport.Step] {
        var options = RunOptions(intent: RunIntent(mode), limits: LuaLimits(time: .seconds(30), memoryBytes: 64 << 20), site: site.site,
                                 searchPath: [witnessDirectory], procedure: "sync")
        options.parameters = LuaTable(["site": .text(site.directory), "outside": .text(site.outside), "marker": .text(site.marker)])
        let session = try RunSession(options: options)
        defer { session.finish() }
        var steps: [RunReport.Step] = []
        for server in HostileSite.servers {
            steps.append(session.runScript(path: poison.path, id: "poison", title: "poison", server: server))
            steps.append(session.runScript(path: witness, id: "witness", title: "witness", server: server))
        }
        return steps
    }
}
