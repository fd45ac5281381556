import Foundation
import LuaRuntime
import PhaseKit
import Synchronization

/// The Configuration Summary: the analyses of `configure` and `sync`, made read-only
/// (``TargetRunner/preview(_:)``: the analyze policy, no lock taken, no report archived), cached
/// until site.yaml, the replication files, the scripts or the journal change, and never made
/// while an execution runs (its journal then tells where the pending change stands).
final class SummaryReader: Sendable {
    /// The analyses, and the stamps of the files they were made from.
    private struct Analyses: Sendable {
        var stamps: FileStamps
        var madeAt = ContinuousClock.now
        var group: (group: GroupSummary.Group, servers: [GroupSummary.Server])?
        var groupError: String?
        var configure: RunReport?
        var change: [String]
        var configureError: String?
        var sync: RunReport?
        var syncError: String?
    }

    /// How long what was read on servers' own hosts is kept.
    static let remoteRefresh: Duration = .seconds(60)

    private let reader: SiteReader
    private let store = Mutex<Analyses?>(nil)

    init(reader: SiteReader) {
        self.reader = reader
    }

    /// `GET /api/summary`.
    func summaryDocument() throws -> SummaryDocument {
        let site = try reader.site()
        let journal = Journal.latest(stateDirectory: site.stateDirectory)
        let summary = journal.flatMap { JournalSummary($0.entries) }
        let live = summary.map { !$0.isComplete && ($0.pid.map { kill($0, 0) == 0 } ?? false) } ?? false
        let analyses = analyses(site: site, live: live)
        let cap = reader.cap
        var configure = SummaryDocument.Configure(
            pending: !analyses.change.isEmpty, changes: analyses.change.map(cap.cut),
            rows: Self.analysisRows(analyses.configure, cap: cap), group: nil, servers: [],
            analyzedAt: analyses.configure?.finishedAt, error: cap.cut(analyses.configureError ?? analyses.configure?.error?.message))
        // An execution of configure under way or left unfinished: its journal's rows are the ones
        // its analysis chose, and tell which are done.
        if let entries = journal?.entries, let summary, summary.procedure == "configure", summary.needsResume || live {
            configure.pending = true
            configure.rows = Self.journalRows(entries, alive: live, site: site.directory, cap: cap)
        }
        configure.group = analyses.group?.group
        configure.servers = analyses.group?.servers ?? []
        if let groupError = analyses.groupError { configure.error = configure.error ?? cap.cut(groupError) }
        return SummaryDocument(configure: configure, sync: SummaryDocument.sync(analyses.sync, error: analyses.syncError, cap: cap))
    }

    /// The cached analyses, made again when their files changed and no execution runs.
    private func analyses(site: SiteConfiguration, live: Bool) -> Analyses {
        let stamps = FileStamps(Self.watchedPaths(site))
        // Files on a server's own host have no stamp here: what was read there is read again after a minute.
        let remote = site.servers.contains { $0.host != nil }
        if let cached = store.withLock({ $0 }),
           live || (cached.stamps == stamps && !(remote && ContinuousClock.now - cached.madeAt > Self.remoteRefresh)) {
            return cached
        }
        var analyses = Analyses(stamps: stamps, change: [])
        if !live {
            do {
                let preview = try TargetRunner.preview(request(.procedure("configure"), site: site))
                analyses.configure = preview.report
                analyses.change = preview.change.map { Self.summaryLines($0) } ?? []
            } catch {
                analyses.configureError = "\(error)"
            }
            do {
                analyses.sync = try TargetRunner.preview(request(.procedure("sync"), site: site)).report
            } catch {
                analyses.syncError = "\(error)"
            }
        }
        do {
            analyses.group = try GroupSummary.load(site: site, reached: analyses.configure.map { $0.error == nil }, cap: reader.cap)
        } catch {
            analyses.groupError = "the saved configuration cannot be read: \(error)"
        }
        store.withLock { $0 = analyses }
        return analyses
    }

    private func request(_ target: RunTarget, site: SiteConfiguration) -> RunRequest {
        var request = RunRequest(target: target, site: site)
        request.changeProviders = reader.options.changeProviders
        request.command = "phasekit serve"
        return request
    }

    /// The files whose change makes the analyses stale.
    static func watchedPaths(_ site: SiteConfiguration) -> [String] {
        var paths = [site.file, site.scriptsDirectory, site.stateDirectory + "/journal/latest"]
        for server in site.servers where server.host == nil {
            paths += [server.root + "/replication/new.yaml", server.root + "/replication/saved.yaml"]
        }
        if let journal = JournalWatcher.journalPath(latest: site.stateDirectory + "/journal/latest") { paths.append(journal) }
        return paths
    }

    /// The change's `summary` lines (`ctx.change.summary`).
    static func summaryLines(_ change: LuaTable) -> [String] {
        change["summary"].tableValue?.array.compactMap(\.stringValue) ?? []
    }

    /// The rows the analysis chose (every row it did not pass over), pending until an execution runs them.
    static func analysisRows(_ report: RunReport?, cap: TextCap) -> [SummaryDocument.Row] {
        (report?.steps ?? []).filter { $0.state != .skipped }.map { step in
            let manual = step.issues.first { $0.resolution == .manual }
            let state = step.state == .failed ? "failed" : (manual != nil ? "needs-action" : "pending")
            return SummaryDocument.Row(step: cap.cut(step.id), title: cap.cut(step.title), server: cap.cut(step.server), state: state,
                                       detail: cap.cut(step.error?.message ?? manual?.summary))
        }
    }

    /// The rows of an execution of the change, with where each stands.
    static func journalRows(_ entries: [Journal.Entry], alive: Bool, site: String, cap: TextCap) -> [SummaryDocument.Row] {
        guard let grid = RunGrid(entries, alive: alive) else { return [] }
        return grid.cells.map { cell in
            let title = grid.summary.titles[Journal.key(step: cell.step, server: cell.server)] ?? cell.step
            let (state, detail): (String, String?) = switch cell.state {
            case "done", "skipped": ("done", nil)
            case "running": ("running", nil)
            case "not run": ("pending", nil)
            case "failed": ("failed", cell.message)
            case "in flight": ("needs-action", "cut off while it ran: finish it with phasekit resume --site \(site)")
            default: ("needs-action", cell.message)
            }
            return SummaryDocument.Row(step: cap.cut(cell.step), title: cap.cut(title), server: cap.cut(cell.server), state: state, detail: cap.cut(detail))
        }
    }
}
