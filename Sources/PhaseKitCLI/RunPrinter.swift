import Foundation
import PhaseKit

/// Runs a request through the engine (``TargetRunner``) with the terminal as its operator: asks
/// `Proceed?`, shows a procedure's rows as they finish, handles signals, and prints the report.
struct RunPrinter {
    var json: Bool

    func run(_ request: RunRequest) throws -> RunReport {
        let live = !json
        let renderer = ReportRenderer(color: ReportRenderer.terminalWantsColor)
        let signals = SignalsHolder()
        var hooks = RunHooks()
        hooks.canConfirm = Output.hasTerminal
        hooks.note = Output.note
        hooks.executionStarting = { execution in
            signals.value = RunSignals(deferWhileApplying: !execution.interruptible, progress: execution.progress,
                                       beforeExit: execution.markRefused)
        }
        hooks.willApply = { signals.value?.startApplying() }
        if case .script = request.target {
            hooks.planned = { plan in if live { Output.report(plan, json: false) } }
            hooks.confirm = { confirmation in
                guard Output.hasTerminal else {
                    Output.note("Refusing to execute without a terminal to confirm on; pass --yes.")
                    return false
                }
                guard Output.confirm("Apply \(confirmation.changes) change(s)? Proceed?") else {
                    Output.note("Not confirmed: nothing was changed.")
                    return false
                }
                return true
            }
        } else {
            hooks.confirm = { confirmation in
                Output.confirm("Apply \(confirmation.changes) change(s) of \(confirmation.title ?? "the plan")? Proceed?")
            }
            hooks.onEvent = { event in if live { Self.show(event, renderer: renderer) } }
        }
        let report = try TargetRunner.run(request, hooks: hooks)
        signals.value = nil
        switch request.target {
        case .script:
            // A declined script says so on standard error; its (empty) report only under --json.
            let declined = report.outcome == .refused && report.mode == .execute && report.steps.isEmpty
            if json || !declined { Output.report(report, json: json) }
        case .procedure where request.planOut != nil:
            Output.report(report, json: json)
        case .procedure:
            if json {
                Output.report(report, json: true)
            } else {
                for warning in report.warnings { print(renderer.paintWarning(warning)) }
                print("")
                print(renderer.summary(report))
            }
        }
        return report
    }

    /// One event of a procedure, as its live output shows it.
    static func show(_ event: ProcedureRunner.Event, renderer: ReportRenderer) {
        switch event {
        case .procedureStarted(let procedure, let mode):
            print("phasekit: \(mode == .execute ? "execution" : "analysis (nothing is changed)") of \(procedure.title)")
        case .stepStarted(let step, let server):
            if ReportRenderer.terminalWantsColor { print("  … \(step.title)\(server.map { " [\($0)]" } ?? "")") }
        case .stepFinished(let step): print(renderer.render(step).joined(separator: "\n"))
        case .phasePlanned(let step):
            print("  plan for \(step.title)\(step.server.map { " [\($0)]" } ?? ""):")
            for change in step.changes(.planned) { print("      + \(change.summary)") }
        case .procedurePlanned(let plan):
            print(renderer.render(plan), terminator: "")
        }
    }
}

/// The run's signal handling, armed when an execution starts and released when the run ends.
private final class SignalsHolder {
    var value: RunSignals?
}
