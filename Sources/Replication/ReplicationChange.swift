import Foundation
public import LuaRuntime
public import PhaseKit

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
        let home = self.home(of: try SiteConfiguration.load(directory: siteDirectory))
        return (home.root + "/replication", home.name)
    }

    /// The server whose root holds `replication/`.
    static func home(of site: SiteConfiguration) -> ServerConfiguration {
        site.servers.first { $0.role == ReplicationConfiguration.Role.production.rawValue } ?? site.defaultServer
    }

    /// The change of the site in `siteDirectory` (see ``load(site:files:)``).
    public static func load(siteDirectory: String) throws -> LuaTable? {
        let site = try SiteConfiguration.load(directory: siteDirectory)
        return try load(site: site, files: SiteFiles(site: site))
    }

    /// The change to initialize, or `nil` when there is no `new.yaml` or it says what the saved
    /// configuration says. Both files are read through `files`: on the production server's own
    /// host when it has one.
    ///
    /// - Throws: ``PhaseKitError/configuration(_:)`` naming file and line when either file is
    ///   invalid, or when the edit cannot be initialized (production server changed, volume moved).
    public static func load(site: SiteConfiguration, files: SiteFiles) throws -> LuaTable? {
        let home = self.home(of: site)
        // As messages name them: the path on the server's host, and the server when it is remote.
        let shown = { (name: String) in home.root + "/replication/" + name + (home.host.map { " on \(home.name) (\($0))" } ?? "") }
        guard let newBytes = try files.read("replication/new.yaml", server: home.name) else { return nil }
        let savedBytes = try files.read("replication/saved.yaml", server: home.name)
        if savedBytes == newBytes { return nil }
        let newText = String(decoding: newBytes, as: UTF8.self)
        let savedText = savedBytes.map { String(decoding: $0, as: UTF8.self) }
        let new = try ReplicationConfiguration.parse(newText, file: shown("new.yaml"))
        let saved = try savedText.map { try ReplicationConfiguration.parse($0, file: shown("saved.yaml")) }
        let diff = try ReplicationDiff(saved: saved, new: new)
        if diff.kinds.isEmpty { return nil }
        return table(diff: diff, new: new, saved: saved, home: home.name, newText: newText, savedText: savedText)
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
