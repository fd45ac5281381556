public import Foundation

/// Every run of a site, from its stored reports and its execution journals.
///
/// A run that ended has a report under `state/reports/`; an execution that was cut off (SIGKILL,
/// power loss) has only its journal under `state/journal/`, and appears as `interrupted` with the
/// rows it finished. A `resume` is labelled with the run it continues. Oldest first.
public struct RunHistory: Sendable {
    /// One run in the history.
    public struct Entry: Sendable, Codable {
        /// The report's ID, or the journal's run ID for an interrupted execution.
        public var id: String
        public var target: String
        public var mode: RunMode
        public var startedAt: Date
        /// Nil while running or when interrupted.
        public var finishedAt: Date?
        /// The report's outcome, or `interrupted` / `running` from the journal.
        public var outcome: String
        public var exitCode: Int32?
        /// What reached the world: the changes an execution applied (or an analysis planned).
        public var changes: Int
        /// The run's writes by what became of them, counted apart: only `applied` reached the world.
        public var counts: ChangeCounts
        public var issues: Int
        /// How many of the findings need manual action (absent for journal-only runs).
        public var manual: Int? = nil
        /// The execution this run resumed (its journal run ID).
        public var resumes: String?
        /// The run that resumed this interrupted one.
        public var resumedBy: String?
        /// The execution's journal run ID.
        public var journal: String?
        /// From the journal: every row and how it ended (`done`, `failed`, `in flight`, `not run`).
        public var rows: [Row]?
        /// The full report, when one was stored (only filled by ``entry(matching:)``).
        public var report: RunReport?
        /// True when only the run's summary is kept: its full report was rotated away
        /// (``ReportArchive/rotate(stateDirectory:keep:)``).
        public var rotated: Bool?
    }

    /// The entry of a run whose full report is stored.
    static func entry(id: String, report: RunReport) -> Entry {
        let counts = ChangeCounts(report)
        return Entry(id: id, target: report.target, mode: report.mode, startedAt: report.startedAt, finishedAt: report.finishedAt,
                     outcome: report.outcome.rawValue, exitCode: report.exitCode,
                     changes: report.mode == .execute ? counts.applied : counts.planned, counts: counts,
                     issues: report.issues.count, manual: report.issues.filter { $0.resolution == .manual }.count,
                     resumes: report.resumes)
    }

    /// The entry of a run whose full report was rotated away: its summary.
    static func entry(id: String, summary: ReportSummary) -> Entry {
        Entry(id: id, target: summary.target, mode: summary.mode, startedAt: summary.startedAt, finishedAt: summary.finishedAt,
              outcome: summary.outcome.rawValue, exitCode: summary.exitCode,
              changes: summary.mode == .execute ? summary.counts.applied : summary.counts.planned, counts: summary.counts,
              issues: summary.issues, manual: summary.manual, resumes: summary.resumes, rotated: true)
    }

    /// A run's writes by what became of them.
    public struct ChangeCounts: Sendable, Codable, Equatable {
        /// Planned by an analysis (or by the plan of an execution, before it applied).
        public var planned = 0
        /// Applied to the world.
        public var applied = 0
        /// Failed: no change, though the world may be partly changed (see the report).
        public var failed = 0
        /// Refused by the host before they reached the world.
        public var refused = 0
        /// Planned for a phase the operator did not confirm: never applied.
        public var notConfirmed = 0

        public init() {}

        /// The counts of a report's changes.
        public init(_ report: RunReport) {
            for change in report.changes {
                switch change.status {
                case .planned: planned += 1
                case .applied: applied += 1
                case .failed: failed += 1
                case .refused: refused += 1
                case .notConfirmed: notConfirmed += 1
                }
            }
        }
    }

    /// A step row of an execution as its journal tells.
    public struct Row: Sendable, Codable {
        public var step: String
        public var server: String?
        public var title: String
        public var state: String
        /// The changes the row applied, when it finished.
        public var applied: Int?
    }

    public var entries: [Entry]
    /// The stored reports and journals that could not be read, each as its path and why: runs
    /// the history cannot show, said rather than left out.
    public var unreadable: [String]

    /// Reads the site's reports and journals.
    ///
    /// - Throws: ``PhaseKitError/configuration(_:)`` when `state/reports/` or `state/journal/`
    ///   exists but cannot be listed.
    public init(stateDirectory: String) throws {
        var entries: [Entry] = []
        let stored = try ReportArchive.list(stateDirectory: stateDirectory)
        let rotated = try ReportArchive.summaries(stateDirectory: stateDirectory)
        let journaled = try Journal.all(stateDirectory: stateDirectory)
        unreadable = stored.unreadable + rotated.unreadable + journaled.unreadable
        var journals: [(String, JournalSummary)] = []
        for item in journaled.journals {
            if let summary = JournalSummary(item.entries) {
                journals.append((item.runID, summary))
            } else {
                unreadable.append("\(stateDirectory)/journal/\(item.runID).jsonl: it does not start with the run's run-started record")
            }
        }
        let entriesStored = stored.reports.map { Self.entry(id: $0.id, report: $0.report) }
            + rotated.summaries.map { Self.entry(id: $0.id, summary: $0.summary) }
        for var entry in entriesStored {
            // The journal of this execution: same process and procedure, started at the same time.
            if entry.mode == .execute, let pid = entry.id.split(separator: "-").last.flatMap({ Int32($0) }),
               let index = journals.firstIndex(where: { _, summary in
                   summary.pid == pid && summary.procedure == entry.target && abs(summary.startedAt.timeIntervalSince(entry.startedAt)) < 5
               }) {
                entry.journal = journals[index].0
                entry.resumes = entry.resumes ?? journals[index].1.resumes
                journals.remove(at: index)
            }
            entries.append(entry)
        }
        for (runID, summary) in journals {
            let alive = summary.pid.map { $0 == getpid() || kill($0, 0) == 0 } ?? false
            let outcome = summary.outcome ?? (alive ? "running" : "interrupted")
            var counts = ChangeCounts()
            counts.applied = summary.applied.values.reduce(0, +)
            counts.notConfirmed = summary.notConfirmed
            // A run that ended without a report (a signal before anything was applied) has its
            // outcome, and so its exit code, in the journal.
            let exitCode = summary.outcome.flatMap(RunReport.Outcome.init(rawValue:))?.exitCode
            entries.append(Entry(id: runID, target: summary.procedure, mode: summary.mode, startedAt: summary.startedAt,
                                 finishedAt: summary.isComplete ? summary.lastEntryAt : nil, outcome: outcome, exitCode: exitCode,
                                 changes: counts.applied, counts: counts, issues: 0, resumes: summary.resumes, journal: runID,
                                 rows: Self.rows(summary, alive: alive)))
        }
        for index in entries.indices {
            if let resumer = entries.first(where: { $0.resumes == entries[index].journal && entries[index].journal != nil }) {
                entries[index].resumedBy = resumer.id
            }
        }
        self.entries = entries.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
    }

    /// The one entry whose ID is `prefix` or starts with it, with its report or journal rows.
    ///
    /// - Throws: ``PhaseKitError/configuration(_:)`` when no run or several runs match.
    public func entry(matching prefix: String, stateDirectory: String) throws -> Entry {
        let matches = entries.filter { $0.id == prefix } + entries.filter { $0.id != prefix && $0.id.hasPrefix(prefix) }
        guard let first = matches.first else {
            throw PhaseKitError.configuration("no stored run '\(prefix)' (see phasekit history)")
        }
        if matches.count > 1 && first.id != prefix {
            throw PhaseKitError.configuration("'\(prefix)' matches \(matches.count) runs: \(matches.map(\.id).joined(separator: ", "))")
        }
        var entry = first
        entry.report = try ReportArchive.report(id: entry.id, stateDirectory: stateDirectory)
        if entry.rows == nil, let journal = entry.journal,
           let summary = Journal.decode(path: stateDirectory + "/journal/\(journal).jsonl").records.flatMap(JournalSummary.init) {
            entry.rows = Self.rows(summary, alive: false)
        }
        return entry
    }

    /// The rows of a journaled execution with their states; `alive` tells whether its process still runs.
    public static func rows(_ summary: JournalSummary, alive: Bool) -> [Row] {
        summary.rows.map { key in
            let row = RowKey(parsing: key)
            let state = summary.finished[key] ?? (summary.inFlight.contains(key) ? (alive ? "running" : "in flight") : "not run")
            return Row(step: row.step, server: row.server, title: summary.titles[key] ?? row.step, state: state, applied: summary.applied[key])
        }
    }
}
