import ArgumentParser
import Foundation
import PhaseKit

extension PhaseKitCommand {
    /// `phasekit history --site DIR [ID]`: the runs of a site, or one of them.
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a site's past runs, or show one.",
            discussion: "Lists every run: analyses, executions (interrupted ones too, with the rows they finished) and resumes. A run is named by its ID or any unique prefix of it."
        )

        @OptionGroup var siteOptions: SiteOptions
        @OptionGroup var reportOptions: ReportOptions

        @Argument(help: "A run's ID, or a unique prefix of it, to show.")
        var id: String?

        func run() throws {
            let site = try siteOptions.requireSite()
            let history = try RunHistory(stateDirectory: site.stateDirectory)
            // Runs the history cannot show are named, on standard error, never left out in silence.
            for file in history.unreadable { Output.note("phasekit: warning: not listed, cannot be read: \(file)") }
            if let id {
                let entry = try history.entry(matching: id, stateDirectory: site.stateDirectory)
                if siteOptions.json { return Output.json(HistoryDocument(runs: [entry])) }
                print(HistoryText.heading(entry))
                if reportOptions.verbose, let report = try ReportArchive.report(id: entry.id, stateDirectory: site.stateDirectory) {
                    // Rendered again from the stored JSON, with every change's raw call and file:line.
                    print("")
                    print(ReportRenderer(color: false, verbose: true).render(report), terminator: "")
                } else if let text = try ReportArchive.summary(id: entry.id, stateDirectory: site.stateDirectory) {
                    print("")
                    print(TerminalText.block(text), terminator: "")
                } else {
                    if entry.rotated == true {
                        print("\nIts full report was rotated away: this site keeps the last \(site.reports.keep) "
                              + "(reports.keep in site.yaml); this is its summary" + (entry.rows == nil ? "." : ", and its journal's rows:"))
                    }
                    for row in entry.rows ?? [] { print(HistoryText.row(row)) }
                    if entry.outcome == "interrupted" && entry.resumedBy == nil {
                        print("\nFinish it with: phasekit resume --site \(TerminalText.line(site.directory))")
                    }
                }
                return
            }
            if siteOptions.json { return Output.json(HistoryDocument(runs: history.entries)) }
            if history.entries.isEmpty { print("No runs recorded for this site yet.") }
            let width = history.entries.map(\.id.count).max() ?? 0
            for entry in history.entries { print(HistoryText.line(entry, idWidth: width)) }
        }
    }
}
