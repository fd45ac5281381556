public import Foundation

/// What a journal says about its run.
public struct JournalSummary: Sendable {
    public var procedure: String
    public var mode: RunMode
    public var rows: [String]
    public var finished: [String: String]
    public var inFlight: Set<String>
    public var titles: [String: String]
    /// Changes applied by each finished row.
    public var applied: [String: Int]
    /// The changes planned but not confirmed when the run ended unconfirmed (its run-finished record).
    public var notConfirmed = 0
    /// Whether the run was confirmed before it started (``Journal/Entry/confirmedUpFront``).
    public var confirmedUpFront: Bool
    /// Rows the operator confirmed (confirmed records, a resume's `confirmedBefore`, and every row that started).
    public var confirmed: Set<String> = []
    public var outcome: String?
    public var pid: Int32?
    /// When the run started, and when its last entry was written.
    public var startedAt: Date
    public var lastEntryAt: Date
    /// The execution this one resumes, if it is a resume.
    public var resumes: String?
    /// Rows that ended with remote writes in doubt (a lost connection), and those writes.
    public var inDoubt: [String: [String]] = [:]
    /// The run (a resume) stopped before a phase nobody confirmed, with no terminal to ask on.
    public var awaitingConfirmation = false
    /// The time spent waiting at prompts (from a question to the record answering it: ``Journal/Entry/askedAt``).
    public var waitedAtPrompts: TimeInterval = 0

    public init?(_ entries: [Journal.Entry]) {
        guard let start = entries.first(where: { $0.event == .runStarted }), let procedure = start.procedure, let mode = start.mode else { return nil }
        self.procedure = procedure
        self.mode = mode
        self.rows = start.rows ?? []
        self.pid = start.pid
        self.startedAt = start.at
        self.lastEntryAt = entries.last?.at ?? start.at
        self.resumes = start.resumes
        self.confirmedUpFront = start.confirmedUpFront ?? false
        confirmed.formUnion(start.confirmedBefore ?? [])
        // Rows a resume passed over are finished in this execution too (its own records come after).
        var finished = Dictionary((start.finishedBefore ?? []).map { ($0, "done") }, uniquingKeysWith: { first, _ in first })
        var started: Set<String> = []
        var titles: [String: String] = [:]
        var applied: [String: Int] = [:]
        for (row, title) in zip(start.rows ?? [], start.rowTitles ?? []) { titles[row] = title }
        var outcome: String?
        for entry in entries {
            if let asked = entry.askedAt { waitedAtPrompts += max(0, entry.at.timeIntervalSince(asked)) }
            guard let step = entry.step else {
                if entry.event == .runFinished {
                    outcome = entry.state
                    notConfirmed = entry.notConfirmed ?? 0
                    awaitingConfirmation = entry.awaitingConfirmation ?? false
                }
                if entry.event == .confirmed { confirmed.formUnion(entry.rows ?? []) }
                continue
            }
            let key = Journal.key(step: step, server: entry.server)
            if let title = entry.title { titles[key] = title }
            if entry.event == .stepStarted { started.insert(key) }
            if entry.event == .stepFinished {
                finished[key] = entry.state ?? "done"
                applied[key] = entry.applied
                if let doubtful = entry.inDoubt, !doubtful.isEmpty { inDoubt[key] = doubtful }
            }
        }
        self.finished = finished
        self.inFlight = started.subtracting(finished.keys)
        confirmed.formUnion(started)
        self.titles = titles
        self.applied = applied
        self.outcome = outcome
    }

    /// How long the run executed: from its start to its last record (or `now` while it runs), less
    /// the time it waited at prompts that were answered.
    public func executionTime(until now: Date? = nil) -> TimeInterval {
        max(0, (now ?? lastEntryAt).timeIntervalSince(startedAt) - waitedAtPrompts)
    }

    /// Whether the run ended (any outcome) rather than being cut off.
    public var isComplete: Bool { outcome != nil }
    /// Whether `resume` has something to finish: the run was cut off, it ended with remote writes
    /// in doubt, or it was a resume that stopped before a phase it had no terminal to ask for.
    public var needsResume: Bool { !isComplete || !inDoubt.isEmpty || awaitingConfirmation }
    /// Rows finished successfully (done, or skipped as not applicable).
    public var completedRows: Set<String> { Set(finished.filter { $0.value == "done" || $0.value == "skipped" }.keys) }
}
