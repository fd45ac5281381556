import Foundation
import Testing

/// The model itself, on the rows of docs/policy.md's table (no process runs here), and the
/// picker's determinism: a seed names one case.
@Suite("The interruption model and the case picker")
struct InterruptionModelTests {
    static let machine = Capabilities(ssh: true, smallDisk: true, postgres: false, faultPoints: true)

    static func fault(_ procedure: Procedure, _ confirmation: Confirmation, _ interruption: Interruption, _ moment: Moment) -> FaultCase {
        FaultCase(seed: 0, procedure: procedure, placement: .local, confirmation: confirmation, interruption: interruption,
                  moment: moment, host: 1, crashResume: false)
    }

    @Test("Ctrl-C, SIGTERM, SIGHUP, end of input and n at a prompt: exit 4, the confirmed prefix, nothing to resume",
          arguments: [Interruption.ctrlC, .sigterm, .sighup, .endOfInput, .no])
    func atAPrompt(interruption: Interruption) throws {
        let outcomes = InterruptionModel.outcomes(of: Self.fault(.sync, .interactive, interruption, .prompt(2)), confirmed: 1, landed: true)
        let outcome = try #require(outcomes.first)
        #expect(outcomes.count == 1 && outcome.exits == [.code(4)] && outcome.world == .prefix(1) && outcome.status == .finished("not-confirmed"))
        #expect(outcome.historyCounts == 1 && outcome.startedRows == 1 && outcome.reportsApplied == 1)
        #expect(outcome.wayOn.map(\.action) == [.resume, .runAgain])
    }

    @Test func sigkillOfAnInteractiveRunResumesOnlyWhatWasConfirmed() throws {
        let outcome = try #require(InterruptionModel.outcomes(of: Self.fault(.sync, .interactive, .sigkill, .journal(6)), confirmed: 2, landed: true).first)
        #expect(outcome.exits == [.signal(SIGKILL)] && outcome.status == .interrupted)
        #expect(outcome.wayOn.map(\.action) == [.resume, .resumeOnTerminal])
        #expect(outcome.wayOn.first?.exits == [.code(4)] && outcome.wayOn.first?.world == .prefix(2))
        let upFront = try #require(InterruptionModel.outcomes(of: Self.fault(.sync, .yes, .sigkill, .journal(6)), confirmed: 5, landed: true).first)
        #expect(upFront.wayOn.map(\.action) == [.resume] && upFront.wayOn.first?.world == .end)
    }

    @Test func aSignalDuringTheAnalysisOfARunWithYesChangesNothing() throws {
        let outcomes = InterruptionModel.outcomes(of: Self.fault(.sync, .yes, .sighup, .analysis), confirmed: 5, landed: true)
        #expect(outcomes.count == 1 && outcomes.first?.world == .prefix(0) && outcomes.first?.historyCounts == 0)
        #expect(outcomes.first?.exits == [.code(4)] && outcomes.first?.startedRows == 0)
    }

    @Test func configureDefersSignalsOnceItApplies() throws {
        let outcomes = InterruptionModel.outcomes(of: Self.fault(.configure, .yes, .ctrlC, .journal(20)), confirmed: 1, landed: true)
        #expect(outcomes.count == 1 && outcomes.first?.exits == [.code(0)] && outcomes.first?.world == .end)
        #expect(outcomes.first?.says == ["the signal is deferred"])
    }

    @Test func aMissedInterruptionExpectsAnUninterruptedRun() {
        let outcomes = InterruptionModel.outcomes(of: Self.fault(.configure, .yes, .killedAgent, .journal(90)), confirmed: 1, landed: false)
        #expect(outcomes.map(\.name) == ["uninterrupted"])
    }

    @Test func aSeedNamesOneCase() {
        for seed in UInt64(0)..<200 {
            let first = CasePicker.pick(seed: seed, on: Self.machine), again = CasePicker.pick(seed: seed, on: Self.machine)
            #expect(first.description == again.description)
            if first.interruption.isConnectionLoss { #expect(first.placement == .ssh && first.procedure == .configure) }
            if first.interruption.isAnswer, case .prompt(let number) = first.moment { #expect(number <= first.procedure.prompts) }
        }
    }
}
