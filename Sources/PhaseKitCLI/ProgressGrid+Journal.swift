import Foundation
import PhaseKit

extension ProgressGrid {
    /// The grid of a journaled execution, as `status` shows it from another terminal: finished
    /// rows with their marks, the row in flight running (or cut off when its process is gone),
    /// the rest pending.
    init(journal summary: JournalSummary, alive: Bool) {
        let rows = RunHistory.rows(summary, alive: alive)
        // The journal keeps each row's own title ("Copy configuration to production"); a line of
        // the grid stands for every server of its step.
        self.init(rows: rows.map { row in
            let title = row.server.flatMap { server in
                StepDefinition.title(row.title, names: server) ? row.title.replacingOccurrences(of: server, with: "each server") : nil
            } ?? row.title
            return (step: row.step, title: title, server: row.server)
        })
        for row in rows {
            let mark: Mark = switch row.state {
            case "running": .running
            case "in flight": .interrupted
            case "not run": .pending
            default: Mark(journalState: row.state)
            }
            set(step: row.step, server: row.server, to: mark)
        }
    }

    /// How long a journaled execution has run: until now while it runs, else until its last
    /// record; the waits at its answered prompts not counted (``JournalSummary/executionTime(until:)``).
    static func elapsed(_ summary: JournalSummary, alive: Bool) -> TimeInterval {
        summary.executionTime(until: alive && !summary.isComplete ? Date() : nil)
    }
}
