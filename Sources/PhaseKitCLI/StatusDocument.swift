import Foundation
import PhaseKit

/// `status --json`: the newest execution's rows from its journal.
struct StatusDocument: Encodable {
    var format = "phasekit-status"
    var version = RunReport.formatVersion
    var phasekitVersion = PhaseKitVersion.current
    /// `none`, `running`, `interrupted` or `finished`, as the text form says it: `interrupted`
    /// whenever `resume` has something to finish (``JournalSummary/needsResume``) and the run's
    /// process is gone, even when the run ended (``outcome``).
    var state: String
    var procedure: String?
    var outcome: String?
    var pid: Int32?
    var journal: String?
    var resumes: String?
    var startedAt: Date?
    var done: Int
    var total: Int
    /// Seconds since the run started: until now while it runs, else until its last record.
    var elapsedSeconds: Double?
    var rows: [RunHistory.Row]

    init(summary: JournalSummary?, journal: String?, alive: Bool) {
        state = summary.map { !$0.needsResume ? "finished" : (alive ? "running" : "interrupted") } ?? "none"
        procedure = summary?.procedure
        outcome = summary?.outcome
        pid = summary?.pid
        self.journal = journal
        resumes = summary?.resumes
        startedAt = summary?.startedAt
        rows = summary.map { RunHistory.rows($0, alive: alive) } ?? []
        done = rows.filter { $0.state == "done" || $0.state == "skipped" }.count
        total = rows.count
        elapsedSeconds = summary.map { (ProgressGrid.elapsed($0, alive: alive) * 1000).rounded() / 1000 }
    }
}
