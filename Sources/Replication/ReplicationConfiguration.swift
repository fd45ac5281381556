import Foundation
import PhaseKit

/// A replication group's configuration: one production server whose logical volumes are
/// replicated to one or two recovery servers, with the containers, snapshots, drivers and
/// send/apply process each server needs.
///
/// Read from YAML (`replication/saved.yaml`, `replication/new.yaml`) with ``load(file:)`` or
/// ``parse(_:file:)``; every error names the file, the line and the key path. See docs/configure.md.
public struct ReplicationConfiguration: Sendable {
    /// A logical volume the configuration asks for: a data volume or a container.
    public struct Volume: Sendable, Hashable {
        public var name: String
        public var group: String
        /// Bytes.
        public var size: Int64
    }

    /// A snapshot on a recovery server: a point-in-time copy of one of its data volumes.
    public struct Snapshot: Sendable, Hashable {
        public var volume: Volume
        /// The data volume it copies.
        public var source: String
    }

    /// The send (LCA, production) or apply (ABA, recovery) process.
    public struct Process: Sendable, Hashable {
        /// The site service that runs it (`lca` or `aba` by default).
        public var service: String
        /// The port it listens on or sends to, when configured.
        public var port: Int?
    }

    /// A server's part in the group.
    public enum Role: String, Sendable, Hashable {
        /// The server whose volumes are replicated (exactly one).
        case production
        /// A server the volumes are replicated to.
        case recovery
    }

    /// One server of the group.
    public struct Server: Sendable, Hashable {
        public var name: String
        public var role: Role
        public var volumeGroups: [String]
        /// The data volumes to replicate.
        public var volumes: [Volume]
        public var replicationContainer: Volume
        public var logRecordContainer: Volume
        /// Production only: the group's internal bookkeeping volume.
        public var internalVolume: Volume?
        /// Recovery only, optional.
        public var snapshotContainer: Volume?
        /// Recovery only.
        public var snapshots: [Snapshot]
        /// Kernel modules to load, in order.
        public var drivers: [String]
        public var process: Process
    }

    /// The group name.
    public var group: String
    /// Servers in file order.
    public var servers: [Server]
    /// The file the configuration was read from.
    public var file: String
    /// The line of each server and volume (`servers.NAME`, `servers.NAME.volumes.VOLUME`), for
    /// errors found after parsing (by the diff).
    public var lines: [String: Int] = [:]

    /// The production server (validation guarantees exactly one).
    public var production: Server {
        servers.first { $0.role == .production } ?? servers[0]
    }

    /// The server named `name`, if it is in the group.
    public func server(named name: String) -> Server? {
        servers.first { $0.name == name }
    }

    /// Reads and validates a configuration file.
    ///
    /// - Throws: ``PhaseKitError/configuration(_:)`` as `file:line: path: message`.
    public static func load(file: String) throws -> ReplicationConfiguration {
        try parse(YAMLNode.load(file: file))
    }

    /// Parses and validates YAML text; `file` is used in error messages.
    public static func parse(_ text: String, file: String) throws -> ReplicationConfiguration {
        try parse(YAMLNode.parse(text, file: file))
    }

    static func parse(_ root: YAMLNode) throws -> ReplicationConfiguration {
        let top = try root.mapping(allowed: ["group", "servers"])
        guard let groupNode = top["group"] else { throw root.error("the configuration needs a group name (group: NAME)") }
        let group = try name(groupNode, what: "group name")
        guard let serversNode = top["servers"] else { throw root.error("the configuration needs a servers list") }
        var configuration = ReplicationConfiguration(group: group, servers: [], file: root.file)
        let entries = try serversNode.sequence()
        for entry in entries {
            let server = try parseServer(entry, lines: &configuration.lines)
            if configuration.servers.contains(where: { $0.name == server.name }) {
                throw entry.error("server '\(server.name)' is listed twice")
            }
            configuration.servers.append(server)
        }
        let productions = configuration.servers.filter { $0.role == .production }
        let recoveries = configuration.servers.filter { $0.role == .recovery }
        guard productions.count == 1 else {
            throw serversNode.error("a group has exactly one production server (found \(productions.count))")
        }
        guard (1...2).contains(recoveries.count) else {
            throw serversNode.error("a group has one or two recovery servers (found \(recoveries.count))")
        }
        try checkReplicas(configuration, entries: entries, production: productions[0])
        return configuration
    }

    /// Every recovery server must hold a replica of each production data volume, of the same size.
    private static func checkReplicas(_ configuration: ReplicationConfiguration, entries: [YAMLNode], production: Server) throws {
        for (server, entry) in zip(configuration.servers, entries) where server.role == .recovery {
            let names = Set(server.volumes.map(\.name))
            for volume in production.volumes {
                guard let replica = server.volumes.first(where: { $0.name == volume.name }) else {
                    throw entry.error("recovery server '\(server.name)' has no replica of production volume '\(volume.name)'")
                }
                guard replica.size == volume.size else {
                    throw entry.error("volume '\(volume.name)' is \(replica.size) bytes on '\(server.name)' but \(volume.size) on production")
                }
            }
            for extra in names.subtracting(production.volumes.map(\.name)).sorted() {
                throw entry.error("volume '\(extra)' on '\(server.name)' is not a production volume")
            }
        }
    }

    private static func parseServer(_ entry: YAMLNode, lines: inout [String: Int]) throws -> Server {
        let fields = try entry.mapping(allowed: [
            "name", "role", "volume_groups", "volumes", "replication_container", "log_record_container",
            "internal_volume", "snapshot_container", "snapshots", "drivers", "process",
        ])
        guard let nameNode = fields["name"] else { throw entry.error("a server needs a name") }
        let serverName = try name(nameNode, what: "server name")
        guard let roleNode = fields["role"] else { throw entry.error("server '\(serverName)' needs a role (production or recovery)") }
        let roleText = try roleNode.string()
        guard let role = Role(rawValue: roleText) else {
            // A site's management server is no member of a group.
            throw roleNode.error(roleText == "management" ? "a replication group has production and recovery servers only"
                                                           : "role must be production or recovery")
        }
        lines["servers.\(serverName)"] = entry.line
        guard let groupsNode = fields["volume_groups"] else { throw entry.error("server '\(serverName)' needs volume_groups") }
        let groups = try groupsNode.sequence().map { try name($0, what: "volume group") }
        guard !groups.isEmpty else { throw groupsNode.error("list at least one volume group") }
        guard Set(groups).count == groups.count else { throw groupsNode.error("a volume group is listed twice") }

        var taken: Set<String> = []
        func volume(_ node: YAMLNode, extra: Set<String> = []) throws -> (Volume, [String: YAMLNode]) {
            let item = try node.mapping(allowed: Set(["name", "size", "group"]).union(extra))
            guard let nameNode = item["name"], let sizeNode = item["size"], let groupNode = item["group"] else {
                throw node.error("a volume needs name, size and group")
            }
            let volumeName = try name(nameNode, what: "volume name")
            guard taken.insert(volumeName).inserted else { throw nameNode.error("volume name '\(volumeName)' is used twice on this server") }
            let group = try groupNode.string()
            guard groups.contains(group) else {
                throw groupNode.error("volume group '\(group)' is not in this server's volume_groups (\(groups.joined(separator: ", ")))")
            }
            lines["servers.\(serverName).volumes.\(volumeName)"] = node.line
            return (Volume(name: volumeName, group: group, size: try size(sizeNode)), item)
        }
        func required(_ key: String) throws -> Volume {
            guard let node = fields[key] else { throw entry.error("server '\(serverName)' needs a \(key)") }
            return try volume(node).0
        }

        guard let volumesNode = fields["volumes"] else { throw entry.error("server '\(serverName)' needs volumes (the logical volumes to replicate)") }
        let volumes = try volumesNode.sequence().map { try volume($0).0 }
        guard !volumes.isEmpty else { throw volumesNode.error("list at least one volume to replicate") }
        let replication = try required("replication_container")
        let log = try required("log_record_container")

        let extras = try roleVolumes(role, fields: fields, entry: entry, dataVolumes: volumes,
                                     volume: { try volume($0, extra: $1) }, required: required)
        return Server(
            name: serverName, role: role, volumeGroups: groups, volumes: volumes, replicationContainer: replication,
            logRecordContainer: log, internalVolume: extras.internalVolume, snapshotContainer: extras.snapshotContainer,
            snapshots: extras.snapshots, drivers: try drivers(fields), process: try process(fields, role: role)
        )
    }

    /// A volume reader of ``parseServer(_:lines:)``: a volume item with extra allowed keys, read as a
    /// volume with the item's fields.
    private typealias VolumeReader = (YAMLNode, Set<String>) throws -> (Volume, [String: YAMLNode])

    /// The volumes only one role has: the production server's internal volume, a recovery server's
    /// snapshot container and snapshots; each refused on the other role.
    private static func roleVolumes(
        _ role: Role, fields: [String: YAMLNode], entry: YAMLNode, dataVolumes volumes: [Volume],
        volume: VolumeReader, required: (String) throws -> Volume
    ) throws -> (internalVolume: Volume?, snapshotContainer: Volume?, snapshots: [Snapshot]) {
        switch role {
        case .production:
            for key in ["snapshot_container", "snapshots"] where fields[key] != nil {
                throw fields[key].map { $0.error("only recovery servers have snapshots") } ?? entry.error(key)
            }
            return (try required("internal_volume"), nil, [])
        case .recovery:
            if let node = fields["internal_volume"] { throw node.error("only the production server has an internal volume") }
            let snapshotContainer = try fields["snapshot_container"].map { try volume($0, []).0 }
            var snapshots: [Snapshot] = []
            for node in try fields["snapshots"]?.sequence() ?? [] {
                let (snapshot, item) = try volume(node, ["of"])
                guard let ofNode = item["of"] else { throw node.error("a snapshot needs 'of' (the data volume it copies)") }
                let source = try ofNode.string()
                guard volumes.contains(where: { $0.name == source }) else {
                    throw ofNode.error("'\(source)' is not a data volume of this server")
                }
                snapshots.append(Snapshot(volume: snapshot, source: source))
            }
            if !snapshots.isEmpty, snapshotContainer == nil, let node = fields["snapshots"] {
                throw node.error("snapshots need a snapshot_container on the same server")
            }
            return (nil, snapshotContainer, snapshots)
        }
    }

    /// The kernel modules of a server's `drivers`, each once.
    private static func drivers(_ fields: [String: YAMLNode]) throws -> [String] {
        let drivers = try fields["drivers"].map { node in try node.sequence().map { try name($0, what: "driver name") } } ?? []
        if let node = fields["drivers"], Set(drivers).count != drivers.count { throw node.error("a driver is listed twice") }
        return drivers
    }

    /// A server's `process`: `lca` on production, `aba` on recovery unless named, with an optional port.
    private static func process(_ fields: [String: YAMLNode], role: Role) throws -> Process {
        var process = Process(service: role == .production ? "lca" : "aba", port: nil)
        if let node = fields["process"] {
            let item = try node.mapping(allowed: ["service", "port"])
            if let service = item["service"] { process.service = try name(service, what: "service name") }
            if let portNode = item["port"] {
                let port = try portNode.integer()
                guard (1...65535).contains(port) else { throw portNode.error("port must be 1 to 65535") }
                process.port = port
            }
        }
        return process
    }

    /// A name usable for volumes, groups, servers and files: letters, digits, `_ . + -`.
    private static func name(_ node: YAMLNode, what: String) throws -> String {
        let text = try node.string()
        guard text.range(of: "^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$", options: .regularExpression) != nil else {
            throw node.error("\(what) '\(text)' must be 1 to 64 letters, digits, '_', '.', '+' or '-', starting with a letter or digit")
        }
        return text
    }

    /// A size: bytes, or a number with K, M, G or T.
    private static func size(_ node: YAMLNode) throws -> Int64 {
        let text = try node.string().trimmingCharacters(in: .whitespaces)
        if let bytes = Int64(text) {
            guard bytes > 0 else { throw node.error("size must be positive") }
            return bytes
        }
        let units: [Character: Int64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        if let last = text.last, let unit = units[Character(last.uppercased())], let number = Int64(text.dropLast()) {
            guard number > 0 else { throw node.error("size must be positive") }
            let (bytes, overflow) = number.multipliedReportingOverflow(by: unit)
            if !overflow { return bytes }
        }
        throw node.error("size must be a positive number of bytes or a number with K, M, G or T (like 512M), got '\(text)'")
    }
}
