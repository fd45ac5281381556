import PhaseKit
import Synchronization

/// The rows of an execution's own analysis, held back: a plan that is confirmed shows them
/// (`phasekit: plan of ...`), so printed as they finish they would be printed twice. Dropped when
/// the plan is shown or the execution starts; printed at the end when the analysis stopped the run.
final class AnalysisRows: Sendable {
    private let held = Mutex<(analyzing: Bool, rows: [String])>((false, []))

    /// Whether `event` is held back (or dropped) rather than shown.
    func holds(_ event: ProcedureRunner.Event, renderer: ReportRenderer) -> Bool {
        held.withLock { state in
            switch event {
            case .procedureStarted(_, let mode):
                state.analyzing = mode == .execute
                return false
            case .stepFinished(let step) where state.analyzing:
                state.rows.append(renderer.render(step).joined(separator: "\n"))
                return true
            case .stepWarned where state.analyzing:
                // The plan lists its warnings after its rows; the report keeps them.
                return true
            case .procedurePlanned, .executionStarted:
                state = (false, [])
                return false
            default:
                return false
            }
        }
    }

    /// The rows still held, which are then no longer held.
    func release() -> [String] {
        held.withLock { state in
            defer { state = (false, []) }
            return state.rows
        }
    }
}
