import LuaRuntime
import PhaseKit

/// What differs between the saved configuration and the operator's edit, server by server, with
/// the change kinds that choose the initialization steps (docs/configure.md lists them).
struct ReplicationDiff {
    /// One server's differences.
    struct ServerDiff {
        enum Status: String { case added, removed, kept }

        var name: String
        var role: ReplicationConfiguration.Role
        var status: Status
        var kinds: Set<String> = []
        var volumesAdded: [ReplicationConfiguration.Volume] = []
        var volumesRemoved: [ReplicationConfiguration.Volume] = []
        /// (name, saved size, new size)
        var volumesResized: [(String, Int64, Int64)] = []
        /// Which of replication_container, log_record_container, internal_volume changed.
        var containersChanged: [String] = []
        /// Snapshot names added, removed or changed, and `snapshot_container` when it changed.
        var snapshotsChanged: [String] = []
        var driversAdded: [String] = []
        var driversRemoved: [String] = []
        var processChanged = false
        var summary: [String] = []
    }

    static let allKinds = [
        "volume_added", "volume_removed", "volume_resized", "server_added", "server_removed", "container_changed",
        "snapshot_changed", "driver_changed", "process_changed", "group_renamed",
    ]

    var servers: [ServerDiff] = []
    var kinds: Set<String> = []
    var summary: [String] = []

    /// Compares `new` with `saved` (`nil` for a group initialized for the first time).
    ///
    /// - Throws: ``PhaseKitError/configuration(_:)`` for edits initialization cannot make: a
    ///   different production server, or a data volume moved to another volume group.
    init(saved: ReplicationConfiguration?, new: ReplicationConfiguration) throws {
        if let saved {
            if saved.production.name != new.production.name {
                throw PhaseKitError.configuration("\(new.file):\(new.lines["servers.\(new.production.name)"] ?? 1): servers: "
                    + "the production server changes from '\(saved.production.name)' to '\(new.production.name)'; "
                    + "a configuration change cannot switch production (fail over instead, or create a new group)")
            }
            if saved.group != new.group {
                kinds.insert("group_renamed")
                summary.append("group renamed from \(saved.group) to \(new.group)")
            }
        }
        for server in new.servers {
            if let old = saved?.server(named: server.name) {
                servers.append(try Self.compare(old, server, in: new))
            } else {
                var diff = ServerDiff(name: server.name, role: server.role, status: .added, kinds: ["server_added"])
                diff.summary.append("\(server.name): \(server.role.rawValue) server added to the group")
                servers.append(diff)
            }
        }
        for server in saved?.servers ?? [] where new.server(named: server.name) == nil {
            var diff = ServerDiff(name: server.name, role: server.role, status: .removed, kinds: ["server_removed"])
            diff.summary.append("\(server.name): \(server.role.rawValue) server removed from the group")
            servers.append(diff)
        }
        for server in servers {
            kinds.formUnion(server.kinds)
            summary += server.summary
        }
    }

    private static func compare(
        _ old: ReplicationConfiguration.Server, _ new: ReplicationConfiguration.Server, in configuration: ReplicationConfiguration
    ) throws -> ServerDiff {
        var diff = ServerDiff(name: new.name, role: new.role, status: .kept)
        let name = new.name
        for volume in new.volumes {
            guard let before = old.volumes.first(where: { $0.name == volume.name }) else {
                diff.volumesAdded.append(volume)
                diff.summary.append("\(name): volume \(volume.name) added (\(ByteCount.format(volume.size)) in \(volume.group))")
                continue
            }
            if before.group != volume.group {
                let line = configuration.lines["servers.\(name).volumes.\(volume.name)"] ?? 1
                throw PhaseKitError.configuration("\(configuration.file):\(line): servers.\(name).volumes: volume '\(volume.name)' "
                    + "moves from volume group \(before.group) to \(volume.group); a replicated volume cannot move: "
                    + "remove it and add a volume with a new name")
            }
            if before.size != volume.size {
                diff.volumesResized.append((volume.name, before.size, volume.size))
                diff.summary.append("\(name): volume \(volume.name) resized from \(before.size) to \(volume.size) bytes")
            }
        }
        for volume in old.volumes where !new.volumes.contains(where: { $0.name == volume.name }) {
            diff.volumesRemoved.append(volume)
            diff.summary.append("\(name): volume \(volume.name) removed from replication")
        }
        let containers: [(String, ReplicationConfiguration.Volume?, ReplicationConfiguration.Volume?)] = [
            ("replication_container", old.replicationContainer, new.replicationContainer),
            ("log_record_container", old.logRecordContainer, new.logRecordContainer),
            ("internal_volume", old.internalVolume, new.internalVolume),
        ]
        for (key, before, after) in containers where before != after {
            diff.containersChanged.append(key)
            diff.summary.append("\(name): \(key) changed")
        }
        if old.snapshotContainer != new.snapshotContainer {
            diff.snapshotsChanged.append("snapshot_container")
            diff.summary.append("\(name): snapshot_container changed")
        }
        let snapshotNames = Set(old.snapshots.map(\.volume.name)).union(new.snapshots.map(\.volume.name)).sorted()
        for snapshot in snapshotNames {
            let before = old.snapshots.first { $0.volume.name == snapshot }
            let after = new.snapshots.first { $0.volume.name == snapshot }
            if before != after {
                diff.snapshotsChanged.append(snapshot)
                diff.summary.append("\(name): snapshot \(snapshot) \(before == nil ? "added" : after == nil ? "removed" : "changed")")
            }
        }
        diff.driversAdded = new.drivers.filter { !old.drivers.contains($0) }
        diff.driversRemoved = old.drivers.filter { !new.drivers.contains($0) }
        let driversReordered = diff.driversAdded.isEmpty && diff.driversRemoved.isEmpty && old.drivers != new.drivers
        if !diff.driversAdded.isEmpty || !diff.driversRemoved.isEmpty || driversReordered {
            diff.summary.append("\(name): drivers changed from [\(old.drivers.joined(separator: ", "))] to [\(new.drivers.joined(separator: ", "))]")
        }
        diff.processChanged = old.process != new.process
        if diff.processChanged { diff.summary.append("\(name): \(new.role == .production ? "send" : "apply") process settings changed") }

        if !diff.volumesAdded.isEmpty { diff.kinds.insert("volume_added") }
        if !diff.volumesRemoved.isEmpty { diff.kinds.insert("volume_removed") }
        if !diff.volumesResized.isEmpty { diff.kinds.insert("volume_resized") }
        if !diff.containersChanged.isEmpty { diff.kinds.insert("container_changed") }
        if !diff.snapshotsChanged.isEmpty { diff.kinds.insert("snapshot_changed") }
        if !diff.driversAdded.isEmpty || !diff.driversRemoved.isEmpty || driversReordered { diff.kinds.insert("driver_changed") }
        if diff.processChanged { diff.kinds.insert("process_changed") }
        if old.volumeGroups != new.volumeGroups, diff.kinds.isEmpty {
            // Volume groups matter only through the volumes and containers in them.
            diff.summary.append("\(name): volume_groups list changed (no volume moves)")
        }
        return diff
    }

    /// `change.servers[NAME]` for the steps.
    static func luaTable(of diff: ServerDiff) -> LuaTable {
        func names(_ list: [String]) -> LuaValue { .table(LuaTable(array: list.map { .text($0) })) }
        func set(_ items: Set<String>) -> LuaValue { .table(LuaTable(Dictionary(uniqueKeysWithValues: items.map { ($0, LuaValue.boolean(true)) }))) }
        return LuaTable([
            "name": .text(diff.name), "role": .text(diff.role.rawValue), "status": .text(diff.status.rawValue),
            "kinds": set(diff.kinds),
            "volumes_added": .table(LuaTable(array: diff.volumesAdded.map { .table(ReplicationConfiguration.luaTable(of: $0)) })),
            "volumes_removed": .table(LuaTable(array: diff.volumesRemoved.map { .table(ReplicationConfiguration.luaTable(of: $0)) })),
            "volumes_resized": .table(LuaTable(array: diff.volumesResized.map { name, from, to in
                .table(LuaTable(["name": .text(name), "from": .integer(from), "to": .integer(to)]))
            })),
            "containers_changed": names(diff.containersChanged), "snapshots_changed": names(diff.snapshotsChanged),
            "drivers_added": names(diff.driversAdded), "drivers_removed": names(diff.driversRemoved),
            "process_changed": .boolean(diff.processChanged), "summary": names(diff.summary),
        ])
    }
}
