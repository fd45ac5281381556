import Foundation
import PhaseKit
import Synchronization

/// Runs a request through the engine (``TargetRunner``) with the terminal as its operator: asks
/// `Proceed?`, shows a procedure's rows as they finish, handles signals, and prints the report.
struct RunPrinter {
    var json: Bool
    /// Show each change's raw binding call and `file:line` (`--verbose`).
    var verbose = false

    func run(_ request: RunRequest) throws -> RunReport {
        let live = !json
        let renderer = ReportRenderer(color: ReportRenderer.terminalWantsColor, verbose: verbose)
        let signals = SignalsHolder()
        let grid = GridHolder()
        let analysis = AnalysisRows()
        let shownWarnings = ShownWarnings()
        var hooks = RunHooks()
        hooks.canConfirm = Output.hasTerminal
        hooks.note = Output.note
        // The reports are stored while the report is printed (the command waits for them at exit).
        hooks.archivesInBackground = true
        hooks.executionStarting = { execution in
            signals.value = RunSignals(deferWhileApplying: !execution.interruptible, progress: execution.progress,
                                       beforeExit: execution.markNotConfirmed)
        }
        hooks.willApply = { signals.value?.startApplying() }
        if case .script = request.target {
            // The plan about to be applied, not an analysis report ("apply with --execute").
            hooks.planned = { plan in if live { print(renderer.renderPlan(plan), terminator: "") } }
            hooks.confirm = { confirmation in
                guard Output.hasTerminal else {
                    Output.note("Refusing to execute without a terminal to confirm on; pass --yes.")
                    return false
                }
                guard Self.ask("Apply \(confirmation.changes) change(s)? Proceed?", signals: signals) else {
                    Output.note("Not confirmed: nothing was changed.")
                    return false
                }
                return true
            }
        } else {
            hooks.confirm = { confirmation in
                // A procedure that cannot be stopped says so before it is started.
                let warning = confirmation.interruptible ? "" : " Once started, this procedure cannot be stopped."
                return Self.ask("Apply \(confirmation.changes) change(s) of \(confirmation.title ?? "the plan")?\(warning) Proceed?", signals: signals)
            }
            // On a terminal, a procedure with per-server steps is drawn as a live grid.
            let completed = request.resume?.completed ?? []
            hooks.procedureReady = { runner in
                guard GridPresenter.wanted(json: json, runner: runner) else { return }
                let presenter = GridPresenter(runner: runner, completed: completed, color: ReportRenderer.terminalWantsColor)
                grid.value = presenter
                let live = presenter.live
                signals.value?.announce { live.note($0) }
            }
            hooks.onEvent = { event in
                // The plan shown before the prompt lists its warnings: the end does not repeat them.
                if case .procedurePlanned(let plan) = event, !json { shownWarnings.add(plan.warnings) }
                if let presenter = grid.value { return presenter.handle(event) }
                guard live else { return }
                // An execution's own analysis is shown once: as the plan before it is confirmed.
                guard !analysis.holds(event, renderer: renderer) else { return }
                if case .stepWarned(let warnings) = event { shownWarnings.add(warnings) }
                Self.show(event, renderer: renderer)
            }
        }
        // The servers a procedure declares are reached before any step runs (one that is not is
        // exit 3); the others, and a script's, at their first use (RemoteConnect).
        try RemoteConnect.connect(site: request.site, mode: request.mode, limits: request.limits, json: json, target: request.target.name,
                                  declared: request.target)
        let report = try TargetRunner.run(request, hooks: hooks)
        signals.value = nil
        // The report prints while it is stored: a signal meanwhile waits for the store.
        ArchiveSignals.arm()
        switch request.target {
        case .script:
            // A declined script says so on standard error; its (empty) report only under --json.
            let declined = report.outcome == .notConfirmed
            if json || !declined { Output.report(report, json: json, verbose: verbose) }
        case .procedure where request.planOut != nil:
            Output.report(report, json: json, verbose: verbose)
        case .procedure:
            if json {
                Output.report(report, json: true, verbose: verbose)
            } else {
                // An analysis that stopped the execution (an error, a finding) before any plan.
                for row in analysis.release() { print(row) }
                grid.value?.finish(report)
                // Those shown under their step are not said again.
                for warning in shownWarnings.notShown(report.warnings) { print(renderer.paintWarning(warning)) }
                print("")
                print(renderer.summary(report))
                // Its reader gone (`| tee log` ended by the terminal's Ctrl-C), the closing line
                // still reaches the operator, on standard error.
                if Output.standardOutputReaderIsGone { Output.note(renderer.summary(report)) }
            }
        }
        return report
    }

    /// Asks on the terminal; a signal while it waits is the answer no (see ``RunSignals``).
    private static func ask(_ question: String, signals: SignalsHolder) -> Bool {
        // Whatever the run printed comes before the question, also through a pipe.
        Output.flushBeforeAsking()
        guard let armed = signals.value else { return Output.confirm(question) }
        let (answer, interrupted) = armed.asking { Output.confirm(question) }
        return answer && !interrupted
    }

    /// One event of a procedure, as its live output shows it.
    static func show(_ event: ProcedureRunner.Event, renderer: ReportRenderer) {
        switch event {
        case .procedureStarted(let procedure, let mode):
            print("phasekit: \(mode == .execute ? "execution" : "analysis (nothing is changed)") of \(TerminalText.line(procedure.title))")
        case .stepStarted(let step, let server):
            if ReportRenderer.terminalWantsColor { print("  … " + TerminalText.line("\(step.title(for: server))\(server.map { StepDefinition.title(step.title(for: $0), names: $0) ? "" : " [\($0)]" } ?? "")")) }
        case .stepFinished(let step): print(renderer.render(step).joined(separator: "\n"))
        case .stepWarned(let warnings):
            for warning in warnings { print(renderer.paintWarning(warning, margin: "      ")) }
        case .phasePlanned(let step):
            // What the phase will change and why (its findings), before Proceed? [y/N].
            print("  plan of this phase:")
            print(renderer.render(step).joined(separator: "\n"))
        case .procedurePlanned(let plan):
            print(renderer.renderPlan(plan), terminator: "")
        case .executionStarted:
            break
        }
    }
}

/// The run's signal handling, armed when an execution starts and released when the run ends.
private final class SignalsHolder: Sendable {
    private let held = Mutex<RunSignals?>(nil)
    var value: RunSignals? {
        get { held.withLock { $0 } }
        set { held.withLock { $0 = newValue } }
    }
}

/// The live grid of a procedure's run, when it has one.
private final class GridHolder: Sendable {
    private let held = Mutex<GridPresenter?>(nil)
    var value: GridPresenter? {
        get { held.withLock { $0 } }
        set { held.withLock { $0 = newValue } }
    }
}
