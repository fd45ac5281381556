import ArgumentParser
import Foundation
import PhaseKit

/// What every run on a site does around its work: hold the site's lock, keep its report.
enum Bookkeeping {
    /// Takes the site's lock; a held lock is a refusal (exit 4) naming the holder.
    static func lock(_ site: SiteConfiguration?) throws -> SiteLock? {
        guard let site else { return nil }
        do {
            return try SiteLock(stateDirectory: site.stateDirectory, command: CommandLine.arguments.joined(separator: " "))
        } catch let error as PhaseKitError {
            Output.note("phasekit: \(error.description)")
            throw ExitCode(RunReport.Outcome.refused.exitCode)
        }
    }

    /// Stores the report under the site's `state/reports/` (plain text, no colour).
    static func archive(_ report: RunReport, site: SiteConfiguration?) {
        guard let site else { return }
        do {
            try ReportArchive.store(report, human: ReportRenderer(color: false).render(report), stateDirectory: site.stateDirectory)
        } catch {
            Output.note("phasekit: warning: could not store the run's report in \(site.stateDirectory)/reports (\(FileErrorText.reason(of: error)))")
        }
    }
}
