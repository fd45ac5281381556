import Foundation
import PhaseKit

/// `phasekit hosts check --json`: what every server's host answered (docs/report.md).
struct HostsDocument: Encodable {
    var format = "phasekit-hosts"
    var version = RunReport.formatVersion
    var phasekitVersion = PhaseKitVersion.current
    var site: String
    /// One entry per server of the site, in its order.
    var hosts: [RemoteWorld.HostCheck]
}
