import Databases
import Foundation
import LuaRuntime
import PhaseKit
import Services
import Volumes

/// A temporary two-server site on real backends, built to be attacked: an SQLite database, a dir
/// volume pool per server with a volume in it, process services (one running), a files root with
/// a symlink pointing out of it and a symlinked parent directory (in both servers' roots), and an `outside` directory
/// beside the site that no script may ever touch. phasekit's own files are there too (`scripts/lib/`,
/// `state/planted/`), with links that lead to them (`self` -> the root, `dblink`, `yamllink`,
/// `statelink`, `scriptslink`, the hard link `conf/db-hardlink`) and broken and looping links.
///
/// Service commands carry a marker unique to the fixture, so every process a run could have
/// started is found in `/proc`.
final class HostileSite {
    let base: String
    let directory: String
    let outside: String
    let marker: String
    let site: SiteConfiguration
    static let servers = ["prod", "recovery1"]

    init() throws {
        let fileManager = FileManager.default
        marker = "phasekit-hostile-\(UUID().uuidString)"
        base = fileManager.temporaryDirectory.appendingPathComponent(marker).path
        directory = base + "/site"
        outside = base + "/outside"
        try fileManager.createDirectory(atPath: outside + "/sub", withIntermediateDirectories: true)
        try fileManager.createDirectory(atPath: directory + "/conf", withIntermediateDirectories: true)
        try fileManager.createDirectory(atPath: directory + "/servers/recovery1", withIntermediateDirectories: true)
        try Data("secret\n".utf8).write(to: URL(fileURLWithPath: outside + "/secret.txt"))
        try Data("deep\n".utf8).write(to: URL(fileURLWithPath: outside + "/sub/deep.txt"))
        try Data("port = 5433\n".utf8).write(to: URL(fileURLWithPath: directory + "/conf/app.conf"))
        try fileManager.createSymbolicLink(atPath: directory + "/escape", withDestinationPath: outside)
        try fileManager.createSymbolicLink(atPath: directory + "/conf/linked", withDestinationPath: outside + "/sub")
        try fileManager.createDirectory(atPath: directory + "/servers/recovery1/conf", withIntermediateDirectories: true)
        try fileManager.createSymbolicLink(atPath: directory + "/servers/recovery1/escape", withDestinationPath: outside)
        try fileManager.createSymbolicLink(atPath: directory + "/servers/recovery1/conf/linked", withDestinationPath: outside + "/sub")
        try Self.yaml(marker: marker).write(toFile: directory + "/site.yaml", atomically: true, encoding: .utf8)
        // phasekit's own files beside the managed ones, and links and names that lead to them.
        try fileManager.createDirectory(atPath: directory + "/scripts/lib", withIntermediateDirectories: true)
        try fileManager.createDirectory(atPath: directory + "/state/planted", withIntermediateDirectories: true)
        try Data("return {}\n".utf8).write(to: URL(fileURLWithPath: directory + "/scripts/lib/helper.lua"))
        try Data("kept\n".utf8).write(to: URL(fileURLWithPath: directory + "/state/planted/keep.txt"))
        try Data("port = 6543\n".utf8).write(to: URL(fileURLWithPath: directory + "/servers/recovery1/conf/x.conf"))
        for (link, target) in [("self", "."), ("dblink", "cms.db"), ("yamllink", "site.yaml"), ("statelink", "state"),
                               ("scriptslink", "scripts"), ("loop1", "loop2"), ("loop2", "loop1"), ("broken", "nowhere/file")] {
            try fileManager.createSymbolicLink(atPath: directory + "/" + link, withDestinationPath: target)
        }

        let connection = try SQLiteConnection(path: directory + "/cms.db")
        _ = try connection.execute("CREATE TABLE addresses (ip TEXT PRIMARY KEY, state TEXT NOT NULL)", [])
        _ = try connection.execute("INSERT INTO addresses VALUES ('10.0.0.1', 'free'), ('10.0.0.2', 'allocated')", [])
        _ = try connection.execute("CREATE TABLE secrets (k TEXT, v BLOB)", [])
        _ = try connection.execute("INSERT INTO secrets VALUES ('token', x'00ff00')", [])
        connection.close()
        try fileManager.linkItem(atPath: directory + "/cms.db", toPath: directory + "/conf/db-hardlink")

        try DirVolumePool(directory: URL(fileURLWithPath: directory + "/volumes"))
            .create(Volume(name: "lv_data", group: "vg0", role: .data, size: 1 << 20, tags: ["keep"]))
        try DirVolumePool(directory: URL(fileURLWithPath: directory + "/servers/recovery1/volumes"))
            .create(Volume(name: "lv_snap", group: "vg0", role: VolumeRole("snapshot"), size: 1 << 20))

        site = try SiteConfiguration.load(directory: directory)
        try manager(server: "prod").start("db")
    }

    static func yaml(marker: String) -> String {
        let services = """
                  backend: process
                  wait_seconds: 2
                  definitions:
                    - name: db
                      command: ["/bin/sh", "-c", "exec sleep 600", "\(marker)"]
                      required_for: [sync]
                    - name: agent
                      command: ["/bin/sh", "-c", "exec sleep 600", "\(marker)"]
            """
        return """
            name: hostile
            database: sqlite:cms.db
            servers:
              - name: prod
                role: production
                volumes: { backend: dir, path: volumes }
                services:
            \(services)
              - name: recovery1
                role: recovery
                root: servers/recovery1
                services:
            \(services)

            """
    }

    /// The process manager of a server's services, as the engine builds it (same pidfiles).
    func manager(server: String) throws -> ProcessServiceManager {
        let definitions = ["db", "agent"].map {
            ProcessServiceDefinition(name: $0, command: ["/bin/sh", "-c", "exec sleep 600", marker])
        }
        return try ProcessServiceManager(
            stateDirectory: directory + "/state/services/" + server, services: definitions,
            waitLimit: .seconds(5), startGrace: .milliseconds(50), terminationGrace: .seconds(2))
    }

    /// Runs a script file in `mode` under tight limits; `phase.params` tells it where the site and
    /// the outside directory are, so attacks can aim at real paths.
    func run(script: String, mode: RunMode, limits: LuaLimits = HostileSite.limits) -> RunReport {
        var options = RunOptions(intent: RunIntent(mode), limits: limits, site: site, procedure: "sync")
        options.parameters = LuaTable(["site": .text(directory), "outside": .text(outside), "marker": .text(marker)])
        return ScriptRunner.run(path: script, options: options).checkedAgainstSchema
    }

    static let limits = LuaLimits(time: .seconds(2), memoryBytes: 64 << 20)

    /// The limits for a script expected to end as `expectation` says: 2 s for the scripts that
    /// must hit the time limit, 30 s for the rest. The deadline watchdog is exact, so a script
    /// that legitimately moves 10 MB strings around would trip a 2 s limit on a loaded machine.
    static func limits(for expectation: CorpusScript.Expectation?) -> LuaLimits {
        var limits = Self.limits
        if expectation?.errorKind != "limit:time" { limits.time = .seconds(30) }
        return limits
    }

    /// Stops what the fixture started and removes its directories.
    func tearDown() {
        for server in Self.servers {
            guard let manager = try? manager(server: server) else { continue }
            for service in ["db", "agent"] { try? manager.stop(service) }
        }
        try? FileManager.default.removeItem(atPath: base)
    }
}
