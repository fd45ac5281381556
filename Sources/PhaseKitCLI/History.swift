import ArgumentParser
import Foundation
import PhaseKit

extension PhaseKitCommand {
    /// `phasekit history --site DIR [ID]`: the runs of a site, or one of them.
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a site's past runs, or show one.")

        @Option(name: .long, help: "The site directory.")
        var site: String

        @Argument(help: "A run's ID (from the list) to show.")
        var id: String?

        func run() throws {
            let configuration = try SiteConfiguration.load(directory: site)
            if let id {
                guard let summary = ReportArchive.summary(id: id, stateDirectory: configuration.stateDirectory) else {
                    throw ValidationError("no stored run '\(id)' (see phasekit history --site \(site))")
                }
                print(summary, terminator: "")
                return
            }
            let runs = ReportArchive.list(stateDirectory: configuration.stateDirectory)
            if runs.isEmpty { print("No runs recorded for this site yet.") }
            for (id, report) in runs {
                print("\(id)\t\(report.outcome.rawValue)\texit \(report.exitCode)\t\(report.changes(report.mode == .analyze ? .planned : .applied).count) change(s)\t\(report.issues.count) issue(s)")
            }
        }
    }
}
