import Foundation
import PhaseKit

/// `GET /api/site`: which site this window shows, its procedures and servers, and when the
/// journal was last written.
struct SiteDocument: Encodable, Sendable {
    /// A server of the site, as site.yaml lists it.
    struct Server: Encodable, Sendable {
        var name: String
        var role: String
        /// The server's own host (`host:` in site.yaml); nil for a server on this machine.
        var host: String?
        /// Local servers: whether their root exists; servers on their own hosts: nil (serve does
        /// not connect to them; the summary tells what the last analysis reached).
        var reachable: Bool?
    }

    var site: String
    var sitePath: String
    var version = PhaseKitVersion.current
    var procedures: [String]
    var servers: [Server]
    var lastJournalAt: Date?

    init(site: SiteConfiguration, procedures: [String], lastJournalAt: Date?, cap: TextCap) {
        self.site = cap.cut(site.name)
        sitePath = site.directory
        self.procedures = procedures.map(cap.cut)
        servers = site.servers.map { server in
            Server(name: cap.cut(server.name), role: server.role, host: cap.cut(server.host),
                   reachable: server.host == nil ? FileManager.default.fileExists(atPath: server.root) : nil)
        }
        self.lastJournalAt = lastJournalAt
    }
}
