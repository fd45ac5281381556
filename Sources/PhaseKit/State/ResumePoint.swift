import Foundation

/// Where an interrupted execution stopped, from the site's newest journal.
public struct ResumePoint: Sendable {
    /// The procedure it ran.
    public var procedure: String
    /// The journal's run ID (its file name without extension), which the resume names.
    public var runID: String
    /// Rows (`step@server`) that finished: the resume passes them over.
    public var completed: Set<String>
    /// Every row of the execution.
    public var rows: [String]
    /// Unfinished rows the operator confirmed (the one in flight among them): the resume applies
    /// them without asking. Any other row that plans changes is asked for again.
    public var confirmed: Set<String> = []
    /// The interrupted execution was confirmed before it started (`--yes`, a saved plan): the
    /// resume asks for nothing.
    public var confirmedUpFront = false

    /// What the newest journal of a site says about resuming.
    public enum Finding {
        /// Nothing to resume: the newest execution finished, or none was journaled.
        case nothing(JournalSummary?, journal: String?)
        case resume(ResumePoint)
    }

    /// Reads the site's newest journal.
    ///
    /// - Throws: ``PhaseKitError/configuration(_:)`` when the journal cannot be read;
    ///   ``PhaseKitError/refused(_:)`` when the execution it records is still running.
    public static func find(site: SiteConfiguration) throws -> Finding {
        let latest: (path: String, entries: [Journal.Entry])?
        switch Journal.read(stateDirectory: site.stateDirectory) {
        case .none: latest = nil
        case .unreadable(let journal, let reason):
            throw PhaseKitError.configuration("the journal \(journal) cannot be read (\(reason)); refusing to guess what is left to do. Check the site by hand.")
        case .entries(let found, let read): latest = (found, read)
        }
        guard let (path, entries) = latest, let summary = JournalSummary(entries), summary.needsResume else {
            return .nothing(latest.flatMap { JournalSummary($0.entries) }, journal: latest?.path)
        }
        if let pid = summary.pid, pid != getpid(), kill(pid, 0) == 0 {
            throw PhaseKitError.refused("The execution is still running (pid \(pid)); see phasekit status --site \(site.directory).")
        }
        let completed = summary.completedRows
        return .resume(ResumePoint(procedure: summary.procedure, runID: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent,
                                   completed: completed, rows: summary.rows, confirmed: summary.confirmed.subtracting(completed),
                                   confirmedUpFront: summary.confirmedUpFront))
    }
}
