import Databases
import Foundation
import Services

/// Everything a run could change, read from the Swift side: every table of the database (and its
/// schema), every file of the site outside `state/` (and the fixture's files in `state/planted/`)
/// and of the outside directory byte for byte
/// (symlinks by their target), the state and pidfile of every service, and the processes
/// carrying the fixture's marker.
struct WorldSnapshot: Equatable {
    var schema: [[DatabaseValue]] = []
    var tables: [String: [[DatabaseValue]]] = [:]
    var files: [String: Data] = [:]
    var services: [String: [ServiceInfo]] = [:]
    var pidfiles: [String: Data] = [:]
    var processes: Set<Int32> = []

    init(of site: HostileSite) throws {
        let connection = try SQLiteConnection(path: site.directory + "/cms.db")
        defer { connection.close() }
        schema = try Self.rows(connection, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")
        for row in schema where row.first == .text("table") {
            guard case .text(let name) = row[1] else { continue }
            tables[name] = try Self.rows(connection, "SELECT * FROM \"\(name)\" ORDER BY 1")
        }
        Self.walk(site.directory, prefix: "site/", skipping: "state", into: &files)
        // state/ is phasekit's bookkeeping, which runs write; the fixture's own files there must stay.
        Self.walk(site.directory + "/state/planted", prefix: "site/state/planted/", skipping: nil, into: &files)
        Self.walk(site.outside, prefix: "outside/", skipping: nil, into: &files)
        for server in HostileSite.servers {
            let manager = try site.manager(server: server)
            services[server] = try manager.list()
            for service in ["db", "agent"] {
                pidfiles["\(server)/\(service)"] = FileManager.default.contents(atPath: manager.pidFilePath(for: service))
            }
        }
        processes = Self.processes(marked: site.marker)
    }

    static func rows(_ connection: SQLiteConnection, _ sql: String) throws -> [[DatabaseValue]] {
        let cursor = try connection.prepare(sql, [])
        defer { cursor.close() }
        var rows: [[DatabaseValue]] = []
        while let row = try cursor.next() { rows.append(row) }
        return rows
    }

    /// Files by relative path; directories as empty data, symlinks as `-> target`, never followed.
    static func walk(_ root: String, prefix: String, skipping: String?, into files: inout [String: Data]) {
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: root) else { return }
        for name in names where name != skipping {
            let path = root + "/" + name
            let type = (try? fileManager.attributesOfItem(atPath: path)[.type]) as? FileAttributeType
            if type == .typeSymbolicLink {
                files[prefix + name] = Data("-> \((try? fileManager.destinationOfSymbolicLink(atPath: path)) ?? "?")".utf8)
            } else if type == .typeDirectory {
                files[prefix + name + "/"] = Data()
                walk(path, prefix: prefix + name + "/", skipping: nil, into: &files)
            } else {
                files[prefix + name] = fileManager.contents(atPath: path) ?? Data("<unreadable>".utf8)
            }
        }
    }

    /// Pids of live processes whose command line contains `marker`.
    static func processes(marked marker: String) -> Set<Int32> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var pids: Set<Int32> = []
        for name in names {
            guard let pid = Int32(name), let data = FileManager.default.contents(atPath: "/proc/\(name)/cmdline") else { continue }
            if String(decoding: data, as: UTF8.self).contains(marker) { pids.insert(pid) }
        }
        return pids
    }
}

extension WorldSnapshot {
    /// What differs from an earlier snapshot, for failure messages.
    func differences(from earlier: WorldSnapshot) -> String {
        var lines: [String] = []
        if schema != earlier.schema { lines.append("schema: \(earlier.schema) -> \(schema)") }
        for name in Set(tables.keys).union(earlier.tables.keys) where tables[name] != earlier.tables[name] {
            lines.append("table \(name): \(earlier.tables[name].map { "\($0.count) rows" } ?? "absent") -> \(tables[name].map { "\($0.count) rows" } ?? "absent")")
        }
        for path in Set(files.keys).union(earlier.files.keys).sorted() where files[path] != earlier.files[path] {
            lines.append("file \(path): \(earlier.files[path].map { "\($0.count) bytes" } ?? "absent") -> \(files[path].map { "\($0.count) bytes" } ?? "absent")")
        }
        if services != earlier.services { lines.append("services: \(earlier.services) -> \(services)") }
        if pidfiles != earlier.pidfiles { lines.append("pidfiles changed") }
        if processes != earlier.processes { lines.append("processes: \(earlier.processes.sorted()) -> \(processes.sorted())") }
        return lines.joined(separator: "\n")
    }
}
