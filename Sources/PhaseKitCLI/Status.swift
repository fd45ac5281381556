import ArgumentParser
import Foundation
import PhaseKit

extension PhaseKitCommand {
    /// `phasekit status --site DIR`: the current or last execution's progress, from its journal.
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the progress of the current or last execution (works from another terminal while it runs)."
        )

        @OptionGroup var siteOptions: SiteOptions

        func run() throws {
            let configuration = try siteOptions.requireSite()
            let site = configuration.directory
            let path: String, entries: [Journal.Entry]
            switch Journal.read(stateDirectory: configuration.stateDirectory) {
            case .none:
                if siteOptions.json { return Output.json(StatusDocument(summary: nil, journal: nil, alive: false)) }
                print("No execution has been journaled for this site.")
                return
            case .unreadable(let journal, let reason):
                throw PhaseKitError.configuration("the journal \(journal) cannot be read (\(reason)); refusing to guess what the last execution did. Check the site by hand.")
            case .entries(let found, let read):
                (path, entries) = (found, read)
            }
            guard let summary = JournalSummary(entries) else { throw ExitCode(1) }
            let alive = summary.pid.map { kill($0, 0) == 0 } ?? false
            if siteOptions.json { return Output.json(StatusDocument(summary: summary, journal: path, alive: alive)) }
            let state = !summary.needsResume ? "finished (\(summary.outcome ?? ""))" : (alive ? "running (pid \(summary.pid ?? 0))" : "interrupted: run phasekit resume --site \(site)")
            let grid = ProgressGrid(journal: summary, alive: alive)
            let elapsed = ProgressGrid.elapsed(summary, alive: alive)
            if LiveGrid.terminalCanRedraw {
                // On a terminal, the grid the run itself shows.
                let width = LiveGrid.terminalSize().columns
                print("journal: \(TerminalText.line(path))")
                print(grid.render(heading: "\(summary.procedure): \(state)", elapsed: elapsed, width: width, color: ReportRenderer.terminalWantsColor).joined(separator: "\n"))
                return
            }
            // The procedure, titles and servers come from the journal (data): neutralized.
            print(TerminalText.line("\(summary.procedure): \(state)  \(grid.doneCount)/\(grid.totalCount) done  elapsed \(ProgressGrid.clock(elapsed))"))
            print("journal: \(TerminalText.line(path))")
            for row in summary.rows {
                let marker: String
                if let finished = summary.finished[row] {
                    marker = finished == "done" ? "✓" : (finished == "skipped" ? "·" : (finished == "failed" ? "✗" : "!"))
                } else if summary.inFlight.contains(row) {
                    marker = alive ? "▸" : "?"
                } else {
                    marker = " "
                }
                let key = RowKey(parsing: row)
                let title = summary.titles[row] ?? key.step
                // A title that names its server (`Copy configuration to production`) needs no brackets.
                let server = key.server.map { StepDefinition.title(title, names: $0) ? "" : " [\($0)]" } ?? ""
                print("  \(marker) " + TerminalText.line("\(title)\(server)"))
            }
        }
    }
}
