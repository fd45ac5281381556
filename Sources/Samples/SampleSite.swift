import Databases
import Foundation
import PhaseKit

/// A complete sample site for `phasekit run sync`: a management server just restored from a backup.
///
/// The database (`cms.db`) holds the world as it was when the backup was taken; the sources of
/// truth under `inventory/` and `exports/` hold the world as it is now. Every phase of the
/// post-restore synchronization finds work on a fresh sample site. The content is fixed (no
/// randomness), so two sites written with the same arguments are byte-identical except for the
/// SQLite file header's change counters. See docs/sample-site.md for the schema and the story.
///
/// Writing a sample site starts no process; `phasekit sample-site` starts the services afterwards.
public enum SampleSite {
    /// When the backup the database was restored from was taken.
    public static let backupTime = "2026-03-14T02:00:00Z"
    /// When the management server was restored (the operator's statement, in `site.yaml`).
    public static let restoredAt = "2026-03-16T09:30:00Z"
    /// When the inventory was read from the live infrastructure.
    public static let inventoryTime = "2026-03-16T09:10:00Z"
    /// When the RM configuration was exported from the recovery site's RM server.
    public static let exportTime = "2026-03-16T09:05:00Z"

    /// Writes a sample site into `directory` (created if missing; existing sample files are replaced).
    ///
    /// - Parameters:
    ///   - directory: the site directory.
    ///   - addresses: how many IP addresses the address pools hold (250 per pool), at least 100.
    ///   - inUse: how many of them the live inventory shows in use; at least 10 and at most half
    ///     of `addresses`. Two in five of them were allocated after the backup.
    /// - Throws: ``PhaseKitError/configuration(_:)`` for impossible sizes; file and database errors.
    /// - Parameter database: a `postgres://` URL to hold the management database instead of the
    ///   site's `cms.db` (SQLite); the site's `database:` then names it.
    public static func write(to directory: String, addresses: Int = 2000, inUse: Int = 300, database url: String? = nil) throws {
        guard addresses >= 100 else {
            throw PhaseKitError.configuration("a sample site needs at least 100 addresses, not \(addresses)")
        }
        guard inUse >= 10, inUse * 2 <= addresses else {
            throw PhaseKitError.configuration("a sample site needs 10 to \(addresses / 2) addresses in use, not \(inUse)")
        }
        let data = try SampleData.load()
        let plan = SampleAddressPlan(total: addresses, inUse: inUse, services: data.ioServices)
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        let manager = FileManager.default
        for folder in ["", "inventory", "exports", "volumes"] {
            try manager.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try write(try siteYAML(database: url ?? "sqlite:cms.db"), to: root.appendingPathComponent("site.yaml"))
        if let url {
            let connection = try openDatabase(url: url, relativeTo: root.path)
            defer { connection.close() }
            // A server database may hold an earlier sample: replace its tables.
            for table in tables { _ = try connection.execute("DROP TABLE IF EXISTS \(table)", []) }
            try writeDatabase(into: connection, data: data, addresses: plan)
        } else {
            let database = root.appendingPathComponent("cms.db").path
            for suffix in ["", "-journal", "-wal", "-shm"] where manager.fileExists(atPath: database + suffix) {
                try manager.removeItem(atPath: database + suffix)
            }
            try writeDatabase(at: database, data: data, addresses: plan)
        }
        try write(servicesInventory(data), to: root.appendingPathComponent("inventory/services.json"))
        try write(addressInventory(plan), to: root.appendingPathComponent("inventory/addresses.csv"))
        try write(rmExport(data), to: root.appendingPathComponent("exports/rm-config.json"))
    }

    static func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url, options: .atomic)
    }

    /// `site.yaml` (the sample data's template): services of the management suite, the database, and the sync parameters.
    static func siteYAML(database: String) throws -> String {
        try SampleResources.text("site.yaml").replacingOccurrences(of: "@BACKUP_TIME@", with: backupTime)
            .replacingOccurrences(of: "@RESTORED_AT@", with: restoredAt).replacingOccurrences(of: "@DATABASE@", with: database)
    }
}
