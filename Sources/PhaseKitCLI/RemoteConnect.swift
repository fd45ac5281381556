import ArgumentParser
import Foundation
import LuaRuntime
import PhaseKit

/// Reaches a site's remote servers before a run: any that cannot be reached stops the run before
/// any step, as an unmet precondition (exit 3).
enum RemoteConnect {
    static func connect(site: SiteConfiguration?, mode: RunMode, limits: LuaLimits, json: Bool, target: String) throws {
        guard let site, site.hasRemoteServers else { return }
        do {
            try RemoteWorld.connectAll(site, readOnly: mode == .analyze, timeout: limits.time)
        } catch PhaseKitError.precondition(let message) {
            if json {
                var report = RunReport.make(RunReport.Heading(target: target, site: site.directory, mode: mode, startedAt: Date()),
                                            steps: [], blocked: true)
                report.error = RunReport.ErrorDetail(PhaseKitError.precondition(message))
                Output.report(report, json: true)
            } else {
                Output.note("phasekit: \(message)")
            }
            throw ExitCode(RunReport.Outcome.blocked.exitCode)
        }
    }
}
