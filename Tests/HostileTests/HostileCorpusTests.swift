import Foundation
import PhaseKit
import Testing

/// Every script of `Corpus/` attacks the analyze/execute policy; none may change the world.
@Suite("Hostile scripts leave the world as it was")
struct HostileCorpusTests {
    @Test func theCorpusHoldsAtLeastFortyDeclaredAttacks() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: CorpusScript.directory).filter { $0.hasSuffix(".lua") }
        #expect(CorpusScript.all.count == files.count, "every corpus file declares its attack and expectation")
        #expect(CorpusScript.all.count >= 40)
        #expect(CorpusScript.executed.count >= 10)
    }

    @Test("In analysis, a hostile script ends in a clean error or only planned changes, and the world is untouched",
          arguments: CorpusScript.all)
    func analysisLeavesTheWorldUntouched(script: CorpusScript) throws {
        let site = try HostileSite()
        defer { site.tearDown() }
        let before = try WorldSnapshot(of: site)
        let report = site.run(script: script.path, mode: .analyze, limits: HostileSite.limits(for: script.analyze))
        expect(report, meets: script.analyze, script: script)
        #expect(!report.changes.contains { $0.status == .applied }, "\(script.name): analysis applied a change")
        try expectUnchanged(site, since: before, script: script)
    }

    @Test("In execution, sandbox escapes, path traversal and transaction control are refused and change nothing",
          arguments: CorpusScript.executed)
    func executionRefusesTheAttack(script: CorpusScript) throws {
        let site = try HostileSite()
        defer { site.tearDown() }
        let before = try WorldSnapshot(of: site)
        let report = site.run(script: script.path, mode: .execute, limits: HostileSite.limits(for: script.execute))
        if let expectation = script.execute { expect(report, meets: expectation, script: script) }
        try expectUnchanged(site, since: before, script: script)
    }

    private func expectUnchanged(_ site: HostileSite, since before: WorldSnapshot, script: CorpusScript) throws {
        let after = try WorldSnapshot(of: site)
        let unchanged = after == before
        #expect(unchanged, "\(script.name): \(script.attack)\n\(after.differences(from: before))")
    }

    private func expect(_ report: RunReport, meets expectation: CorpusScript.Expectation, script: CorpusScript) {
        let message = report.error?.message ?? ""
        #expect(report.outcome.rawValue == expectation.outcome, "\(script.name): \(report.outcome) — \(message)")
        if expectation.outcome == "error" {
            #expect(!message.isEmpty, "\(script.name): an error without a message")
        }
        if let kind = expectation.errorKind {
            #expect(report.error?.kind.rawValue == kind, "\(script.name): error kind \(report.error?.kind.rawValue ?? "none") — \(message)")
        }
        let said = ([message] + report.steps.flatMap(\.log)).joined(separator: "\n")
        #expect(!said.contains("ESCAPED"), "\(script.name): \(said)")
    }
}
