import Foundation
import PhaseKit

/// `GET /api/run` and each `event: run` of `/api/events`: the current or last execution as a grid
/// of steps by servers, read from its journal as `phasekit status` reads it.
struct RunDocument: Encodable, Sendable, Equatable {
    /// A finding of a cell (from the run's stored report, once it has one).
    struct Finding: Encodable, Sendable, Equatable {
        var text: String
        var detail: String?
        /// `planned` (the step's changes resolve it) or `manual` (an operator must act).
        var resolution: String
    }

    /// One row of the run on one server.
    struct Cell: Encodable, Sendable, Equatable {
        var step: String
        var server: String?
        /// `done`, `skipped`, `running`, `pending`, `failed`, `needs-action` or `interrupted`.
        var state: String
        var startedAt: Date?
        var finishedAt: Date?
        var findings: [Finding]
        var error: String?
    }

    var runId: String?
    var procedure: String?
    /// `none` (nothing journaled), `running`, `finished`, `failed`, `interrupted`,
    /// `not-confirmed` or `awaiting-confirmation`.
    var state: String
    /// The run-finished record's outcome (`applied`, `blocked`, `error`, `refused`, `not-confirmed`), nil until it ends.
    var outcome: String?
    var resumeCommand: String?
    /// The procedure defers SIGINT, SIGTERM and SIGHUP once it applies (`interruptible = false`).
    var cannotBeStopped: Bool
    var steps: [RunGrid.Step]
    var servers: [String]
    var cells: [Cell]
    var done: Int
    var total: Int
    var startedAt: Date?
    var elapsedSeconds: Double
    var lastJournalAt: Date?
    /// Set when the journal exists but cannot be read: nobody may guess what ran.
    var error: String?

    /// The document when no execution was journaled (or the journal is unreadable: `error`).
    static func none(error: String? = nil) -> RunDocument {
        RunDocument(runId: nil, procedure: nil, state: "none", outcome: nil, resumeCommand: nil, cannotBeStopped: false, steps: [], servers: [],
                    cells: [], done: 0, total: 0, startedAt: nil, elapsedSeconds: 0, lastJournalAt: nil, error: error)
    }

}

extension RunDocument {
    /// The run `grid` folds; `alive` whether its process still runs, `report` its stored report
    /// when it ended with one (for findings and errors), `site` the directory `resume` names.
    init(runID: String, grid: RunGrid, alive: Bool, interruptible: Bool, report: RunReport?, site: String, cap: TextCap) {
        let summary = grid.summary
        runId = runID
        procedure = cap.cut(summary.procedure)
        let state = Self.state(summary, alive: alive)
        self.state = state
        outcome = summary.outcome
        resumeCommand = ["interrupted", "awaiting-confirmation"].contains(state) ? "phasekit resume --site \(site)" : nil
        cannotBeStopped = !interruptible
        steps = grid.steps.map { RunGrid.Step(key: cap.cut($0.key), title: cap.cut($0.title)) }
        servers = grid.servers.map(cap.cut)
        cells = grid.cells.map { cell in
            let step = report?.steps.first { $0.id == cell.step && $0.server == cell.server }
            return Cell(step: cap.cut(cell.step), server: cap.cut(cell.server), state: Self.cellState(cell.state, step: step),
                        startedAt: cell.startedAt, finishedAt: cell.finishedAt,
                        findings: (step?.issues ?? []).map { Finding(text: cap.cut($0.summary), detail: cap.cut($0.detail), resolution: $0.resolution.rawValue) },
                        error: cap.cut(step?.error?.message ?? (cell.state == "failed" ? cell.message : nil)))
        }
        done = grid.doneCount
        total = grid.cells.count
        startedAt = summary.startedAt
        let end = alive && !summary.isComplete ? Date() : summary.lastEntryAt
        elapsedSeconds = (end.timeIntervalSince(summary.startedAt) * 1000).rounded() / 1000
        lastJournalAt = summary.lastEntryAt
    }

    /// The run's state, by the rule of `phasekit status`: a run `resume` has something to finish is
    /// running while its process lives and interrupted after.
    static func state(_ summary: JournalSummary, alive: Bool) -> String {
        if summary.needsResume {
            if alive && !summary.isComplete { return "running" }
            return summary.awaitingConfirmation ? "awaiting-confirmation" : "interrupted"
        }
        switch summary.outcome {
        case "applied", "clean", "changes": return "finished"
        case "not-confirmed": return "not-confirmed"
        default: return "failed"
        }
    }

    /// A journal row state as the window names it.
    static func cellState(_ state: String, step: RunReport.Step?) -> String {
        switch state {
        case "done", "skipped", "running", "failed": state
        case "not run": "pending"
        case "in flight": "interrupted"
        case "issues": "needs-action"
        default: step?.issues.contains { $0.resolution == .manual } == true ? "needs-action" : state
        }
    }
}
