import Foundation
import PhaseKit
public import Replication
public import Volumes

/// A sample replication group for the `configure` procedure: group `payroll` initialized on
/// `production` and `recovery1`, with a pending edit that adds volume `lv_invoices`, removes
/// `lv_archive` and adds the recovery server `recovery2`.
///
/// ``write(to:)`` lays out the servers' roots under `servers/` as the saved configuration left
/// them; ``serversYAML`` is the `servers:` section of the site's site.yaml that goes with it.
public enum ReplicationSample {
    /// `replication/servers.yaml` of the sample data: the `servers:` section for the sample site's site.yaml: roots, dir volume pools, and the
    /// send (`lca`) and apply (`aba`) processes as `process` services.
    public static var serversYAML: String {
        get throws { try SampleResources.text("replication/servers.yaml") }
    }

    /// `replication/saved.yaml` of the sample data: the configuration last initialized.
    public static var savedYAML: String {
        get throws { try SampleResources.text("replication/saved.yaml") }
    }

    /// `replication/new.yaml` of the sample data: the operator's pending edit.
    public static var newYAML: String {
        get throws { try SampleResources.text("replication/new.yaml") }
    }

    /// The server root directories, relative to the site.
    public static let serverRoots = ["production": "servers/production", "recovery1": "servers/recovery1",
                                     "recovery2": "servers/recovery2"]

    /// Writes the servers' roots (volume pools, configuration copies, device special files,
    /// drivers, failover contexts, process reset records) as the saved configuration left them,
    /// and `replication/saved.yaml` and `replication/new.yaml` in the production root.
    ///
    /// - Throws: when a file or volume cannot be written, or the sample does not parse.
    public static func write(to siteDirectory: String) throws {
        let savedText = try savedYAML
        let saved = try ReplicationConfiguration.parse(savedText, file: "replication/saved.yaml")
        for name in serverRoots.keys.sorted() {
            guard let relative = serverRoots[name] else { continue }
            let root = siteDirectory + "/" + relative
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            let pool = try DirVolumePool(directory: URL(fileURLWithPath: root + "/volumes"))
            _ = try pool.list(VolumeFilter())
            guard let server = saved.server(named: name) else { continue }
            try populate(root: root, pool: pool, server: server, in: saved, savedText: savedText)
        }
        guard let production = serverRoots["production"] else { return }
        try put(savedText, at: siteDirectory + "/" + production + "/replication/saved.yaml")
        try put(try newYAML, at: siteDirectory + "/" + production + "/replication/new.yaml")
    }

    /// Lays out one server as the saved configuration left it: its volumes and containers in
    /// `pool`, device files, the configuration copy (`savedText`), drivers, the process's record
    /// and the failover context. Also used by the benchmark to build groups of any size.
    public static func populate(
        root: String, pool: DirVolumePool, server: ReplicationConfiguration.Server, in configuration: ReplicationConfiguration,
        savedText: String
    ) throws {
        let tag = configuration.layoutTag(of: server)
        for volume in server.volumes {
            try pool.create(Volume(name: volume.name, group: volume.group, role: .data, size: volume.size, tags: ["replicated"]))
            try put("replicated logical volume \(volume.name) of group \(configuration.group)\n", at: root + "/dev/rLV_\(volume.name)")
        }
        var containers: [(ReplicationConfiguration.Volume, VolumeRole, [String])] = [
            (server.replicationContainer, VolumeRole("replication_container"), [tag]),
            (server.logRecordContainer, VolumeRole("log_record_container"), [tag]),
        ]
        if let volume = server.internalVolume { containers.append((volume, VolumeRole("internal"), [tag])) }
        if let container = server.snapshotContainer { containers.append((container, VolumeRole("snapshot_container"), [])) }
        containers += server.snapshots.map { ($0.volume, VolumeRole("snapshot"), [tag]) }
        for (volume, role, tags) in containers {
            try pool.create(Volume(name: volume.name, group: volume.group, role: role, size: volume.size, tags: tags))
        }
        try put(savedText, at: root + "/etc/replication/group.yaml")
        for (position, driver) in server.drivers.enumerated() {
            try put("loaded for group \(configuration.group) (position \(position + 1))\n", at: root + "/drivers/\(driver).loaded")
        }
        try put("\(configuration.signature)\n", at: root + "/run/\(server.process.service).config")
        let recovery = configuration.servers.filter { $0.role == .recovery }.map { "\"\($0.name)\"" }.joined(separator: ", ")
        let volumes = server.volumes.map { "\"\($0.name)\"" }.joined(separator: ", ")
        try put("""
            {"group": "\(configuration.group)", "configuration": "\(configuration.failoverTag(of: server))", \
            "production": "\(configuration.production.name)", "recovery": [\(recovery)], "volumes": [\(volumes)]}

            """, at: root + "/failover/context.json")
    }

    private static func put(_ text: String, at path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
