import Foundation
import PhaseKit
import Replication

/// The normal Configuration Summary: the replication group as last initialized
/// (`replication/saved.yaml` on the production server), server by server.
enum GroupSummary {
    /// The group.
    struct Group: Encodable, Sendable {
        var name: String
        /// Where the saved configuration was read (its path on the production server).
        var configuration: String
    }

    /// A logical volume: a data volume, or a container (`kind` says which).
    struct Volume: Encodable, Sendable {
        var name: String
        var group: String
        var sizeBytes: Int64
        /// Containers: `replication`, `log-record`, `internal`, `snapshot-container`, `snapshot`.
        var kind: String?
        /// Snapshots: the data volume they copy.
        var of: String?
    }

    /// The send (production) or apply (recovery) process.
    struct Process: Encodable, Sendable {
        var service: String
        var port: Int?
    }

    /// One server of the group.
    struct Server: Encodable, Sendable {
        var name: String
        var role: String
        var host: String?
        /// Local servers: whether their root exists; servers on their own hosts: whether the last
        /// analysis read them (nil when it did not say).
        var reachable: Bool?
        var volumes: [Volume]
        var containers: [Volume]
        var drivers: [String]
        var processes: [Process]
    }

    /// Reads the saved configuration through the site's files (on the production server's own
    /// host when it has one); nil when the group was never initialized.
    ///
    /// - Throws: what reading or parsing `saved.yaml` throws (named file and line).
    static func load(site: SiteConfiguration, reached: Bool?, cap: TextCap) throws -> (group: Group, servers: [Server])? {
        let home = site.servers.first { $0.role == ReplicationConfiguration.Role.production.rawValue } ?? site.defaultServer
        guard let bytes = try SiteFiles(site: site).read("replication/saved.yaml", server: home.name) else { return nil }
        let file = home.root + "/replication/saved.yaml"
        let saved = try ReplicationConfiguration.parse(String(decoding: bytes, as: UTF8.self), file: file)
        let servers = saved.servers.map { server in
            let configured = site.servers.first { $0.name == server.name }
            let reachable: Bool? = configured.map { $0.host == nil ? FileManager.default.fileExists(atPath: $0.root) : reached } ?? nil
            return Server(name: cap.cut(server.name), role: server.role.rawValue, host: cap.cut(configured?.host), reachable: reachable,
                          volumes: server.volumes.map { volume($0, kind: nil, cap: cap) }, containers: containers(server, cap: cap),
                          drivers: server.drivers.map(cap.cut), processes: [Process(service: cap.cut(server.process.service), port: server.process.port)])
        }
        return (Group(name: cap.cut(saved.group), configuration: cap.cut(file)), servers)
    }

    /// A server's containers and snapshots, in the order of the configuration.
    static func containers(_ server: ReplicationConfiguration.Server, cap: TextCap) -> [Volume] {
        var list = [volume(server.replicationContainer, kind: "replication", cap: cap),
                    volume(server.logRecordContainer, kind: "log-record", cap: cap)]
        if let internalVolume = server.internalVolume { list.append(volume(internalVolume, kind: "internal", cap: cap)) }
        if let container = server.snapshotContainer { list.append(volume(container, kind: "snapshot-container", cap: cap)) }
        for snapshot in server.snapshots {
            var entry = volume(snapshot.volume, kind: "snapshot", cap: cap)
            entry.of = cap.cut(snapshot.source)
            list.append(entry)
        }
        return list
    }

    static func volume(_ volume: ReplicationConfiguration.Volume, kind: String?, cap: TextCap) -> Volume {
        Volume(name: cap.cut(volume.name), group: cap.cut(volume.group), sizeBytes: volume.size, kind: kind, of: nil)
    }
}
