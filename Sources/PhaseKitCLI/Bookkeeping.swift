import ArgumentParser
import Foundation
import PhaseKit

/// What every run on a site does around its work: hold the site's lock, keep its report.
enum Bookkeeping {
    /// Takes the site's lock: a held lock is a refusal (``PhaseKitError/refused(_:)``, exit 4)
    /// naming the holder; a site whose state cannot be written is an error (exit 1).
    static func lock(_ site: SiteConfiguration?) throws -> SiteLock? {
        guard let site else { return nil }
        return try SiteLock(stateDirectory: site.stateDirectory, command: CommandLine.arguments.joined(separator: " "))
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
