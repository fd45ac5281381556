import ArgumentParser
import Foundation
import LuaRuntime
import PhaseKit

extension PhaseKitCommand {
    /// `phasekit resume --site DIR`: finishes an execution that was cut off (SIGKILL, power loss).
    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Continue an interrupted execution from its first unfinished step and server.",
            discussion: "The operator confirmed when the execution started; resume does not ask again. With nothing to resume it says so and exits 0; a journal it cannot read is refused (exit 1)."
        )

        @OptionGroup var siteOptions: SiteOptions
        @OptionGroup var limitOptions: LimitOptions

        func run() throws {
            let site = try siteOptions.requireSite()
            let latest: (path: String, entries: [Journal.Entry])?
            switch Journal.read(stateDirectory: site.stateDirectory) {
            case .none: latest = nil
            case .unreadable(let journal, let reason):
                throw PhaseKitError.configuration("the journal \(journal) cannot be read (\(reason)); refusing to guess what is left to do. Check the site by hand.")
            case .entries(let found, let read): latest = (found, read)
            }
            guard let (path, entries) = latest, let summary = JournalSummary(entries), !summary.isComplete else {
                if siteOptions.json {
                    // Nothing ran: the newest execution's state, as status --json gives it.
                    return Output.json(StatusDocument(summary: latest.flatMap { JournalSummary($0.entries) }, journal: latest?.path, alive: false))
                }
                print("Nothing to resume: the last execution finished (or none was journaled).")
                return
            }
            if let pid = summary.pid, pid != getpid(), kill(pid, 0) == 0 {
                throw PhaseKitError.refused("The execution is still running (pid \(pid)); see phasekit status --site \(site.directory).")
            }
            let remaining = summary.rows.filter { !summary.completedRows.contains($0) }
            if !siteOptions.json { print("Resuming \(summary.procedure) (\(URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)): \(remaining.count) of \(summary.rows.count) step row(s) left.") }
            let report = try ProcedureCommand.run(
                procedureName: summary.procedure, site: site, mode: .execute, limits: limitOptions.limits(site: site),
                json: siteOptions.json, completed: summary.completedRows,
                resumes: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent, confirm: { _, _ in true })
            throw ExitCode(report.exitCode)
        }
    }
}
