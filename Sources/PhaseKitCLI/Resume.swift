import ArgumentParser
import Foundation
import PhaseKit

extension PhaseKitCommand {
    /// `phasekit resume --site DIR`: finishes an execution that was cut off (SIGKILL, power loss).
    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Continue an interrupted execution from its first unfinished step and server.",
            discussion: "Finishes the phase that was in flight and the phases the operator confirmed, without asking. A later phase with changes is asked for again on a terminal; without one, resume stops before it (exit 4) and the execution stays resumable, unless it was started with --yes. With nothing to resume it says so and exits 0; a journal it cannot read is refused (exit 1)."
        )

        @OptionGroup var siteOptions: SiteOptions
        @OptionGroup var limitOptions: LimitOptions
        @OptionGroup var reportOptions: ReportOptions

        func run() throws {
            let site = try siteOptions.requireSite()
            switch try ResumePoint.find(site: site) {
            case .nothing(let summary, let journal):
                // Nothing ran: the newest execution's state, as status --json gives it.
                if siteOptions.json { return Output.json(StatusDocument(summary: summary, journal: journal, alive: false)) }
                print("Nothing to resume: the last execution finished (or none was journaled).")
            case .resume(let point):
                let remaining = point.rows.filter { !point.completed.contains($0) }
                if !siteOptions.json { print(TerminalText.line("Resuming \(point.procedure) (\(point.runID)): \(remaining.count) of \(point.rows.count) step row(s) left.")) }
                var request = limitOptions.request(.procedure(point.procedure), site: site)
                request.mode = .execute
                // What the operator confirmed before the interruption is applied without asking;
                // a later phase is asked for again (and, without a terminal, not applied), unless
                // the execution was confirmed up front (--yes, a saved plan).
                request.confirmedUpFront = point.confirmedUpFront
                request.resume = point
                let report = try RunPrinter(json: siteOptions.json, verbose: reportOptions.verbose).run(request)
                throw ExitCode(report.exitCode)
            }
        }
    }
}
