import Foundation
import PhaseKit
import Services

/// Creates the sample site: the restored management server (``SampleSite``), the replication
/// group, and the running services a freshly restored server has.
public enum SampleSiteBuilder {
    public static func create(at directory: String, addresses: Int, inUse: Int, startServices: Bool, database: String? = nil) throws {
        try SampleSite.write(to: directory, addresses: addresses, inUse: inUse, database: database)
        try ReplicationSample.write(to: directory)
        // One site.yaml for both: the management server (first, so sync acts on it by default)
        // and the replication group's servers.
        let groupServers = try ReplicationSample.serversYAML.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
        let yaml = try SampleSite.siteYAML(database: database ?? "sqlite:cms.db") + SampleResources.text("management-server.yaml") + groupServers + "\n"
        try yaml.write(toFile: directory + "/site.yaml", atomically: true, encoding: .utf8)
        guard startServices else { return }
        let site = try SiteConfiguration.load(directory: directory)
        for server in site.servers {
            guard let configuration = server.services, !configuration.definitions.isEmpty else { continue }
            let manager = try ServiceWorld.manager(for: configuration, server: server, site: site)
            // Everything runs, as on a server just brought back: the required services and the
            // non-required ones the synchronization will want stopped.
            for definition in configuration.definitions { try manager.start(definition.name) }
        }
    }
}
