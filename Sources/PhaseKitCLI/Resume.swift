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
            guard let site = try siteOptions.loadSite() else { throw ValidationError("resume needs --site") }
            var entries: [Journal.Entry] = []
            switch Journal.read(stateDirectory: site.stateDirectory) {
            case .none: break
            case .unreadable(let journal, let reason):
                Output.note("phasekit: the journal \(journal) cannot be read (\(reason)); refusing to guess what is left to do. Check the site by hand.")
                throw ExitCode(1)
            case .entries(_, let read): entries = read
            }
            guard let summary = JournalSummary(entries), !summary.isComplete else {
                print("Nothing to resume: the last execution finished (or none was journaled).")
                return
            }
            if let pid = summary.pid, pid != getpid(), kill(pid, 0) == 0 {
                Output.note("The execution is still running (pid \(pid)); see phasekit status --site \(site.directory).")
                throw ExitCode(RunReport.Outcome.refused.exitCode)
            }
            let remaining = summary.rows.filter { !summary.completedRows.contains($0) }
            if !siteOptions.json { print("Resuming \(summary.procedure): \(remaining.count) of \(summary.rows.count) step row(s) left.") }
            let report = try ProcedureCommand.run(
                procedureName: summary.procedure, site: site, mode: .execute, limits: limitOptions.limits(site: site),
                json: siteOptions.json, completed: summary.completedRows, confirm: { _ in true })
            throw ExitCode(report.exitCode)
        }
    }
}
