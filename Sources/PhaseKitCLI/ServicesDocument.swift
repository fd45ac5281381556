import Foundation
import PhaseKit
import Services

/// `phasekit services status|stop --json`: the site's services and, for `stop`, what became of
/// each one it stopped (docs/report.md).
struct ServicesDocument: Encodable {
    /// One service of one server.
    struct Service: Encodable {
        var server: String
        var name: String
        var backend: String
        /// Its state when listed (`status`), or after `stop` (`stopped`, or `running` when it was not stopped).
        var state: String
        /// `stop`: whether it stopped.
        var stopped: Bool?
        /// `stop`: why it did not stop.
        var error: String?

        init(_ entry: SiteServices.Entry, stopped: Bool? = nil, error: String? = nil) {
            (server, name, backend, state) = (entry.server, entry.name, entry.backend, entry.state.rawValue)
            (self.stopped, self.error) = (stopped, error)
        }
    }

    var format = "phasekit-services"
    var version = RunReport.formatVersion
    var phasekitVersion = PhaseKitVersion.current
    var site: String
    /// `status` or `stop`.
    var command: String
    /// `stop`: `stopped` (every service it was to stop did), `failed` (one did not), `not-confirmed`
    /// (nothing was stopped) or `nothing-running`.
    var outcome: String?
    /// `status`: every service of every server; `stop`: those it was to stop.
    var services: [Service]
}
