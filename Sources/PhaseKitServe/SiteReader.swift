import Foundation
import PhaseKit
import Synchronization

/// Reads everything the window shows from the site, synchronously and read-only: site.yaml, the
/// newest journal, the stored reports, a saved plan. Called on an ``EngineQueue``, never on an
/// event loop. The pending-change analysis is ``SummaryReader``'s.
final class SiteReader: Sendable {
    let options: ServeOptions
    let cap: TextCap
    /// Per procedure: whether it may be stopped (`interruptible`); per finished run: its report.
    private struct Memo {
        var interruptible: [String: Bool] = [:]
        var reports: [String: RunReport] = [:]
    }

    private let memo = Mutex(Memo())

    init(options: ServeOptions) {
        self.options = options
        cap = TextCap(maxBytes: options.maxTextBytes)
    }

    /// site.yaml, read again each time (it is small; an edit shows at once).
    func site() throws -> SiteConfiguration {
        try SiteConfiguration.load(directory: options.siteDirectory)
    }

    /// `GET /api/site`.
    func siteDocument() throws -> SiteDocument {
        let site = try site()
        let catalog = try TargetRunner.catalog(site: site, limits: RunRequest.limits(timeSeconds: nil, memoryMegabytes: nil, site: site))
        let last = Journal.latest(stateDirectory: site.stateDirectory)?.entries.last?.at
        return SiteDocument(site: site, procedures: catalog.procedureNames(), lastJournalAt: last, cap: cap)
    }

    /// `GET /api/run`: the newest journal as a grid (state `none` when there is none).
    func runDocument() throws -> RunDocument { try runState().document }

    /// The `/api/run` document, and the pid of the run's process while it runs.
    func runState() throws -> (document: RunDocument, runningPid: Int32?) {
        let site = try site()
        let path: String, entries: [Journal.Entry]
        switch Journal.read(stateDirectory: site.stateDirectory) {
        case .none: return (.none(), nil)
        case .unreadable(let journal, let reason):
            return (.none(error: cap.cut("the journal \(journal) cannot be read (\(reason)); refusing to guess what the last execution did")), nil)
        case .entries(let found, let read): (path, entries) = (found, read)
        }
        let runID = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        guard let summary = JournalSummary(entries), let start = entries.first else {
            return (.none(error: "the journal \(path) has no run-started record"), nil)
        }
        let alive = summary.pid.map { kill($0, 0) == 0 } ?? false
        guard let grid = RunGrid(entries, alive: alive) else { return (.none(), nil) }
        let report = summary.isComplete ? try storedReport(runID: runID, site: site) : nil
        let document = RunDocument(runID: runID, grid: grid, alive: alive, interruptible: interruptible(summary.procedure, site: site),
                                   report: report, site: site.directory, cap: cap)
        return (document, document.state == "running" ? start.pid : nil)
    }

    /// `GET /api/history`: what `phasekit history --json` prints.
    func historyDocument() throws -> HistoryDocument {
        // As `history --json`: runs whose files cannot be read are not in the document (`history`
        // names them on its standard error); a directory that cannot be listed fails the request.
        HistoryDocument(runs: try RunHistory(stateDirectory: try site().stateDirectory).entries)
    }

    /// `GET /api/runs/{id}`: one run's report; nil when no run has that ID.
    func reportDocument(id: String) throws -> ReportDocument? {
        let state = try site().stateDirectory
        let history = try RunHistory(stateDirectory: state)
        guard history.entries.contains(where: { $0.id == id }) else { return nil }
        let entry = try history.entry(matching: id, stateDirectory: state)
        var ranBy: ReportDocument.RanBy?
        if let journal = entry.journal, let start = Journal.decode(path: state + "/journal/\(journal).jsonl").records?.first {
            ranBy = ReportDocument.RanBy(host: cap.cut(start.host), pid: start.pid)
        }
        return ReportDocument(entry: entry, ranBy: ranBy, cap: cap)
    }

    /// `GET /api/plan`: the `--plan` file's plan; nil when serve was given none.
    func planDocument() throws -> ReportDocument? {
        guard let file = options.planFile else { return nil }
        return ReportDocument(plan: try SavedPlan.read(from: file), file: file, cap: cap)
    }

    /// Whether `procedure` may be stopped once it applies (looked up once per procedure).
    private func interruptible(_ procedure: String, site: SiteConfiguration) -> Bool {
        if let known = memo.withLock({ $0.interruptible[procedure] }) { return known }
        // A procedure that no longer loads (renamed, broken) is shown as stoppable: the banner
        // is only added for what the manifest says cannot be stopped.
        let value = (try? TargetRunner.catalog(site: site, limits: RunRequest.limits(timeSeconds: nil, memoryMegabytes: nil, site: site)).procedure(named: procedure))?.interruptible ?? true
        memo.withLock { $0.interruptible[procedure] = value }
        return value
    }

    /// The stored report of a finished execution (its findings and errors), looked up once.
    /// A report that exists and cannot be read is an error (the document says so), not "no report".
    private func storedReport(runID: String, site: SiteConfiguration) throws -> RunReport? {
        if let known = memo.withLock({ $0.reports[runID] }) { return known }
        let id = try RunHistory(stateDirectory: site.stateDirectory).entries.first { $0.journal == runID && $0.id != runID }?.id
        let report = try id.flatMap { try ReportArchive.report(id: $0, stateDirectory: site.stateDirectory) }
        // The report is archived just after the run-finished record: not there yet is asked again.
        if report != nil { memo.withLock { $0.reports[runID] = report } }
        return report
    }
}
