public import LuaRuntime
import PhaseKit

extension ReplicationConfiguration {
    /// A digest of everything the configuration says (16 hex digits); the failover context and
    /// the process reset records name it, so a step can tell whether they describe this configuration.
    public var signature: String {
        var lines = ["group \(group)"]
        for server in servers.sorted(by: { $0.name < $1.name }) {
            lines.append("server \(server.name) \(server.role.rawValue) groups \(server.volumeGroups.joined(separator: ","))")
            for volume in server.volumes.sorted(by: { $0.name < $1.name }) { lines.append("volume \(Self.describe(volume))") }
            lines.append("replication_container \(Self.describe(server.replicationContainer))")
            lines.append("log_record_container \(Self.describe(server.logRecordContainer))")
            if let volume = server.internalVolume { lines.append("internal_volume \(Self.describe(volume))") }
            if let container = server.snapshotContainer { lines.append("snapshot_container \(Self.describe(container))") }
            for snapshot in server.snapshots.sorted(by: { $0.volume.name < $1.volume.name }) {
                lines.append("snapshot \(Self.describe(snapshot.volume)) of \(snapshot.source)")
            }
            lines.append("drivers \(server.drivers.joined(separator: ","))")
            lines.append("process \(server.process.service) \(server.process.port.map(String.init) ?? "-")")
        }
        return String(SHA256.hex(Array(lines.joined(separator: "\n").utf8)).prefix(16))
    }

    /// The tag a server's containers, snapshots and internal volume carry (`cfg=` and 12 hex
    /// digits): a digest of the group's servers and this server's data volumes (not the group name). A container whose
    /// tag differs was built for another volume set or topology and must be rebuilt.
    public func layoutTag(of server: Server) -> String {
        var lines = servers.map { "server \($0.name) \($0.role.rawValue)" }.sorted()
        lines += server.volumes.map { "volume \(Self.describe($0))" }.sorted()
        return "cfg=" + String(SHA256.hex(Array(lines.joined(separator: "\n").utf8)).prefix(12))
    }

    /// What a server's failover context must name (`fo=` and 12 hex digits): a digest of the
    /// group name, its servers, and this server's volumes, containers, snapshots and process.
    /// Drivers are left out: loading another driver does not change how the server takes over.
    public func failoverTag(of server: Server) -> String {
        var lines = ["group \(group)"] + servers.map { "server \($0.name) \($0.role.rawValue)" }.sorted()
        lines += server.volumes.map { "volume \(Self.describe($0))" }.sorted()
        lines.append("replication_container \(Self.describe(server.replicationContainer))")
        lines.append("log_record_container \(Self.describe(server.logRecordContainer))")
        if let volume = server.internalVolume { lines.append("internal_volume \(Self.describe(volume))") }
        if let volume = server.snapshotContainer { lines.append("snapshot_container \(Self.describe(volume))") }
        lines += server.snapshots.map { "snapshot \(Self.describe($0.volume)) of \($0.source)" }.sorted()
        lines.append("process \(server.process.service) \(server.process.port.map(String.init) ?? "-")")
        return "fo=" + String(SHA256.hex(Array(lines.joined(separator: "\n").utf8)).prefix(12))
    }

    static func describe(_ volume: Volume) -> String {
        "\(volume.name) \(volume.group) \(volume.size)"
    }

    /// The configuration as the Lua table steps see (`change.new`, `change.saved`); see docs/configure.md.
    public var luaTable: LuaTable {
        var byName = LuaTable()
        var list: [LuaValue] = []
        for server in servers {
            let table = LuaValue.table(luaTable(of: server))
            byName[server.name] = table
            list.append(table)
        }
        return LuaTable([
            "group": .text(group), "signature": .text(signature), "file": .text(file),
            "production": .text(production.name),
            "recovery": .table(LuaTable(array: servers.filter { $0.role == .recovery }.map { .text($0.name) })),
            "servers": .table(LuaTable(array: list)), "by_name": .table(byName),
        ])
    }

    private func luaTable(of server: Server) -> LuaTable {
        var table = LuaTable([
            "name": .text(server.name), "role": .text(server.role.rawValue),
            "volume_groups": .table(LuaTable(array: server.volumeGroups.map { .text($0) })),
            "volumes": .table(LuaTable(array: server.volumes.map { .table(Self.luaTable(of: $0)) })),
            "replication_container": .table(Self.luaTable(of: server.replicationContainer)),
            "log_record_container": .table(Self.luaTable(of: server.logRecordContainer)),
            "snapshots": .table(LuaTable(array: server.snapshots.map { snapshot in
                var entry = Self.luaTable(of: snapshot.volume)
                entry["of"] = .text(snapshot.source)
                return .table(entry)
            })),
            "drivers": .table(LuaTable(array: server.drivers.map { .text($0) })),
            "process": .table(LuaTable(["service": .text(server.process.service),
                                        "port": server.process.port.map { .integer(Int64($0)) } ?? .nil])),
            "layout_tag": .text(layoutTag(of: server)), "failover_tag": .text(failoverTag(of: server)),
        ])
        if let volume = server.internalVolume { table["internal_volume"] = .table(Self.luaTable(of: volume)) }
        if let container = server.snapshotContainer { table["snapshot_container"] = .table(Self.luaTable(of: container)) }
        return table
    }

    static func luaTable(of volume: Volume) -> LuaTable {
        LuaTable(["name": .text(volume.name), "group": .text(volume.group), "size": .integer(volume.size)])
    }
}
