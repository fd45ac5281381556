import Foundation
import PhaseKit

extension ProgressGrid {
    /// The grid of a journaled execution, as `status` shows it from another terminal: finished
    /// rows with their marks, the row in flight running (or cut off when its process is gone),
    /// the rest pending.
    init(journal summary: JournalSummary, alive: Bool) {
        let rows = RunHistory.rows(summary, alive: alive)
        self.init(rows: rows.map { (step: $0.step, title: $0.title, server: $0.server) })
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

    /// How long a journaled execution has run: until now while it runs, else until its last record.
    static func elapsed(_ summary: JournalSummary, alive: Bool) -> TimeInterval {
        (alive && !summary.isComplete ? Date() : summary.lastEntryAt).timeIntervalSince(summary.startedAt)
    }
}
