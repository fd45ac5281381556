public import Foundation

/// What stays of a run's report once its full report is rotated away (``ReportArchive``): enough
/// for `history` to list the run and for `show` to tell which script its steps ran, without its
/// changes, diffs and logs. Kept as `state/reports/ID.summary.json`; the journal keeps every row.
public struct ReportSummary: Codable, Sendable {
    /// A step row as the summary keeps it.
    public struct Step: Codable, Sendable {
        public var id: String
        public var server: String?
        public var state: RunReport.Step.State
        public var script: RunReport.ScriptIdentity?
        /// How many changes the row made (planned, applied, failed, refused or not confirmed).
        public var changes: Int
    }

    public var format = "phasekit-report-summary"
    public var version = RunReport.formatVersion
    public var phasekitVersion: String?
    public var resumes: String?
    public var target: String
    public var site: String?
    public var mode: RunMode
    public var startedAt: Date
    public var finishedAt: Date
    public var outcome: RunReport.Outcome
    public var exitCode: Int32
    public var counts: RunHistory.ChangeCounts
    public var issues: Int
    public var manual: Int
    public var steps: [Step]
    /// When the full report was removed.
    public var rotatedAt: Date

    /// The summary of `report`, rotated away now.
    public init(_ report: RunReport, rotatedAt: Date = Date()) {
        phasekitVersion = report.phasekitVersion
        resumes = report.resumes
        target = report.target
        site = report.site
        mode = report.mode
        startedAt = report.startedAt
        finishedAt = report.finishedAt
        outcome = report.outcome
        exitCode = report.exitCode
        counts = RunHistory.ChangeCounts(report)
        issues = report.issues.count
        manual = report.issues.filter { $0.resolution == .manual }.count
        steps = report.steps.map { Step(id: $0.id, server: $0.server, state: $0.state, script: $0.script, changes: $0.changes.count) }
        self.rotatedAt = rotatedAt
    }
}
