import Foundation
import PhaseKit
import Synchronization

/// Shows a procedure's run as a live ``ProgressGrid`` on a terminal: the engine's events set the
/// marks, ``LiveGrid`` draws them.
///
/// Analysis shows the grid from the start (cells turn planned, done or not chosen). Execution of a
/// procedure that confirms once first analyzes on one status line, prints the plan and asks, then
/// shows the grid seeded from the plan (planned, not chosen, pending) while the rows apply. Called
/// from the runner's threads one event at a time; its own state is behind a `Mutex`.
final class GridPresenter: Sendable {
    /// Draws the frames; also prints messages (a deferred signal's) above the grid, not inside it.
    let live: LiveGrid
    private let renderer: ReportRenderer
    private let procedureTitle: String
    private let mode: RunMode
    private let rows: [(step: String, title: String, server: String?)]
    /// What the events change.
    private struct State {
        /// The grid as the execution starts: the plan's marks, finished rows of a resume done.
        var seed: ProgressGrid
        var analyzed = 0
        var showingGrid = false
    }
    private let state: Mutex<State>

    /// Whether a run gets the grid: a terminal that can be redrawn, not `--json`, a procedure with
    /// steps that run per server (others have one column: their plain lines say as much), and no
    /// prompt between phases (analysis, or a procedure that confirms once).
    static func wanted(json: Bool, runner: ProcedureRunner) -> Bool {
        !json && LiveGrid.terminalCanRedraw && runner.rows.contains { $0.server != nil }
            && (runner.options.mode == .analyze || runner.procedure.confirmOnce)
    }

    init(runner: ProcedureRunner, completed: Set<String>, color: Bool, live: LiveGrid? = nil) {
        self.live = live ?? LiveGrid(color: color)
        renderer = ReportRenderer(color: color)
        procedureTitle = runner.procedure.title
        mode = runner.options.mode
        // A line stands for every server of its step: "Copy configuration to each server".
        rows = runner.rows.map { (step: $0.step.id, title: $0.step.title(for: nil), server: $0.server) }
        var seed = ProgressGrid(rows: rows)
        for row in rows where completed.contains(Journal.key(step: row.step, server: row.server)) {
            seed.set(step: row.step, server: row.server, to: .done)
        }
        var showingGrid = false
        if mode == .analyze {
            var grid = seed
            grid.isAnalysis = true
            self.live.start(grid, heading: "\(procedureTitle): analysis (nothing is changed)")
            showingGrid = true
        } else {
            self.live.status("\(procedureTitle): analyzing before execution… 0/\(rows.count)")
        }
        state = Mutex(State(seed: seed, showingGrid: showingGrid))
    }

    /// Takes one event of the runner.
    func handle(_ event: ProcedureRunner.Event) {
        state.withLock { state in handle(event, state: &state) }
    }

    private func handle(_ event: ProcedureRunner.Event, state: inout State) {
        switch event {
        case .stepStarted(let step, let server):
            if state.showingGrid { live.update { $0.set(step: step.id, server: server, to: .running) } }
        case .stepFinished(let report):
            if state.showingGrid {
                live.update { $0.set(step: report.id, server: report.server, to: ProgressGrid.Mark(report.state)) }
            } else {
                // The execution's own analysis: its marks seed the grid.
                let mark: ProgressGrid.Mark = switch report.state {
                case .done: .pending
                case .skipped: .notChosen
                default: ProgressGrid.Mark(report.state)
                }
                if state.seed.mark(step: report.id, server: report.server) != .done { state.seed.set(step: report.id, server: report.server, to: mark) }
                state.analyzed += 1
                live.status("\(procedureTitle): analyzing before execution… \(state.analyzed)/\(rows.count)")
            }
        case .phasePlanned, .procedureStarted, .stepWarned:
            // The grid's warnings follow its final frame, with the report's.
            break
        case .procedurePlanned(let plan):
            live.clear()
            print(renderer.renderPlan(plan), terminator: "")
            fflush(nil)
        case .executionStarted:
            live.clear()
            live.start(state.seed, heading: "\(procedureTitle): execution")
            state.showingGrid = true
        }
    }

    /// Leaves the final frame on screen, then the details of the rows that have some (changes,
    /// issues, log lines, errors): the grid already says how every row ended.
    func finish(_ report: RunReport) {
        live.finish()
        // A plan not confirmed was shown in full before its prompt: only the closing line follows.
        guard report.outcome != .notConfirmed else { return }
        let detailed = report.steps.filter { !$0.changes.isEmpty || !$0.issues.isEmpty || !$0.log.isEmpty || $0.error != nil }
        guard !detailed.isEmpty else { return }
        print("")
        for step in detailed { print(renderer.render(step).joined(separator: "\n")) }
    }
}
