import Foundation
import PhaseKit

/// `GET /api/runs/{id}` and `GET /api/plan`: one run's report (or a saved plan) in operator terms:
/// its changes with their diffs, its findings, its steps, and who ran it when.
struct ReportDocument: Encodable, Sendable {
    /// A change: what it does in operator terms, what became of it, and a file's diff.
    struct Change: Encodable, Sendable {
        var step: String?
        var server: String?
        /// `planned`, `applied`, `failed`, `refused` or `not-confirmed`.
        var status: String
        var text: String
        var diff: String?
        var error: String?
    }

    /// A finding of a step.
    struct Finding: Encodable, Sendable {
        var step: String?
        var server: String?
        var text: String
        var detail: String?
        /// `planned` or `manual`.
        var resolution: String
    }

    /// A step row of the run.
    struct Step: Encodable, Sendable {
        var step: String
        var title: String
        var server: String?
        var state: String
        var error: String?
        /// The step's `phase.log` lines (at most ``maxLogLines``, each cut).
        var log: [String]
    }

    /// A row of an execution known by its journal: how it ended (`done`, `failed`, `in flight`, `not run`).
    struct Row: Encodable, Sendable {
        var step: String
        var server: String?
        var title: String
        var state: String
        var applied: Int?
    }

    /// Who ran it: the host and process of its journal (executions only).
    struct RanBy: Encodable, Sendable {
        var host: String?
        var pid: Int32?
    }

    /// Log lines kept per step.
    static let maxLogLines = 200

    var id: String
    var procedure: String
    var mode: String
    var outcome: String
    var exitCode: Int32?
    var startedAt: Date
    var finishedAt: Date?
    var ranBy: RanBy?
    var resumes: String?
    var changes: [Change]
    var findings: [Finding]
    var steps: [Step]
    var warnings: [String]
    /// For an execution with no stored report (interrupted): its rows from the journal.
    var rows: [Row]?
    var error: String?

}

extension ReportDocument {
    /// The document of a history entry (with its report when one was stored).
    init(entry: RunHistory.Entry, ranBy: RanBy?, cap: TextCap) {
        id = entry.id
        procedure = cap.cut(entry.target)
        mode = entry.mode.rawValue
        outcome = entry.outcome
        exitCode = entry.exitCode
        startedAt = entry.startedAt
        finishedAt = entry.finishedAt
        self.ranBy = ranBy
        resumes = entry.resumes
        let report = entry.report
        changes = (report?.changes ?? []).map { Self.change($0, cap: cap) }
        findings = (report?.issues ?? []).map {
            Finding(step: cap.cut($0.step), server: cap.cut($0.server), text: cap.cut($0.summary), detail: cap.cut($0.detail), resolution: $0.resolution.rawValue)
        }
        steps = (report?.steps ?? []).map { step in
            Step(step: cap.cut(step.id), title: cap.cut(step.title), server: cap.cut(step.server), state: step.state.rawValue,
                 error: cap.cut(step.error?.message), log: step.log.prefix(Self.maxLogLines).map(cap.cut))
        }
        warnings = (report?.warnings ?? []).map(cap.cut)
        rows = entry.rows.map { rows in
            rows.map { Row(step: cap.cut($0.step), server: cap.cut($0.server), title: cap.cut($0.title), state: $0.state, applied: $0.applied) }
        }
        error = cap.cut(report?.error?.message)
    }

    /// The document of a saved plan (`--plan-out`): its planned changes by step.
    init(plan: SavedPlan, file: String, cap: TextCap) {
        id = cap.cut(file)
        procedure = cap.cut(plan.target)
        mode = "plan"
        outcome = "planned"
        exitCode = nil
        startedAt = plan.createdAt
        finishedAt = nil
        ranBy = nil
        resumes = nil
        changes = plan.steps.flatMap { step in step.changes.map { Self.change($0, cap: cap) } }
        findings = []
        steps = plan.steps.map { Step(step: cap.cut($0.id), title: cap.cut($0.id), server: cap.cut($0.server), state: "planned", error: nil, log: []) }
        warnings = []
        rows = nil
        error = nil
    }

    static func change(_ change: PhaseKit.Change, cap: TextCap) -> Change {
        Change(step: cap.cut(change.step), server: cap.cut(change.row ?? change.server), status: change.status.rawValue,
               text: cap.cut(change.headline), diff: cap.cut(change.diff), error: cap.cut(change.error))
    }
}
