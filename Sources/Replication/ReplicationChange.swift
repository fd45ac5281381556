import Foundation
public import LuaRuntime
import PhaseKit

/// The pending change of a site's replication group: the operator's edit
/// (`replication/new.yaml`) against the configuration last initialized (`replication/saved.yaml`).
///
/// The `replication/` directory lives in the root of the site's production server (the first
/// server with `role: production` in site.yaml; for a site without servers, the site directory),
/// so that the steps can read and promote it through the `files` binding. The table `load`
/// returns is `ctx.change` of the `configure` steps and the first argument of their `applies`;
/// docs/configure.md describes every field.
public enum ReplicationChange {
    /// The directory holding `saved.yaml` and `new.yaml`, and the site server whose root holds it.
    ///
    /// - Throws: ``PhaseKitError/configuration(_:)`` when site.yaml cannot be read.
    public static func location(siteDirectory: String) throws -> (directory: String, server: String) {
        let site = try SiteConfiguration.load(directory: siteDirectory)
        let home = site.servers.first { $0.role == ReplicationConfiguration.Role.production.rawValue } ?? site.defaultServer
        return (home.root + "/replication", home.name)
    }

    /// The change to initialize, or `nil` when there is no `new.yaml` or it says what the saved
    /// configuration says.
    ///
    /// - Throws: ``PhaseKitError/configuration(_:)`` naming file and line when either file is
    ///   invalid, or when the edit cannot be initialized (production server changed, volume moved).
    public static func load(siteDirectory: String) throws -> LuaTable? {
        let (directory, home) = try location(siteDirectory: siteDirectory)
        let newPath = directory + "/new.yaml"
        let savedPath = directory + "/saved.yaml"
        guard let newData = FileManager.default.contents(atPath: newPath) else { return nil }
        let savedData = FileManager.default.contents(atPath: savedPath)
        if savedData == newData { return nil }
        let new = try ReplicationConfiguration.load(file: newPath)
        let saved = try savedData.map { _ in try ReplicationConfiguration.load(file: savedPath) }
        let diff = try ReplicationDiff(saved: saved, new: new)
        if diff.kinds.isEmpty { return nil }
        return table(diff: diff, new: new, saved: saved, home: home,
                     newText: String(decoding: newData, as: UTF8.self),
                     savedText: savedData.map { String(decoding: $0, as: UTF8.self) })
    }

    static func table(
        diff: ReplicationDiff, new: ReplicationConfiguration, saved: ReplicationConfiguration?, home: String,
        newText: String, savedText: String?
    ) -> LuaTable {
        var servers = LuaTable()
        for server in diff.servers { servers[server.name] = .table(ReplicationDiff.luaTable(of: server)) }
        let kinds = LuaTable(Dictionary(uniqueKeysWithValues: diff.kinds.map { ($0, LuaValue.boolean(true)) }))
        return LuaTable([
            "group": .text(new.group), "home": .text(home), "production": .text(new.production.name),
            "initial": .boolean(saved == nil), "kinds": .table(kinds), "servers": .table(servers),
            "added_servers": .table(LuaTable(array: diff.servers.filter { $0.status == .added }.map { .text($0.name) })),
            "removed_servers": .table(LuaTable(array: diff.servers.filter { $0.status == .removed }.map { .text($0.name) })),
            "summary": .table(LuaTable(array: diff.summary.map { .text($0) })),
            "new": .table(new.luaTable), "saved": saved.map { .table($0.luaTable) } ?? .nil,
            "new_text": .text(newText), "saved_text": savedText.map(LuaValue.text) ?? .nil,
        ])
    }
}
