import Foundation
public import Volumes

/// A sample replication group for the `configure` procedure: group `payroll` initialized on
/// `production` and `recovery1`, with a pending edit that adds volume `lv_invoices`, removes
/// `lv_archive` and adds the recovery server `recovery2`.
///
/// ``write(to:)`` lays out the servers' roots under `servers/` as the saved configuration left
/// them; ``serversYAML`` is the `servers:` section of the site's site.yaml that goes with it.
public enum ReplicationSample {
    /// The `servers:` section for the sample site's site.yaml: roots, dir volume pools, and the
    /// send (`lca`) and apply (`aba`) processes as `process` services.
    public static let serversYAML = """
        servers:
          - name: production
            role: production
            root: servers/production
            services:
              backend: process
              definitions:
                - name: lca
                  command: ["/bin/sh", "-c", "exec sleep 2147483647"]
                  required_for: [configure]
          - name: recovery1
            role: recovery
            root: servers/recovery1
            services:
              backend: process
              definitions:
                - name: aba
                  command: ["/bin/sh", "-c", "exec sleep 2147483647"]
                  required_for: [configure]
          - name: recovery2
            role: recovery
            root: servers/recovery2
            services:
              backend: process
              definitions:
                - name: aba
                  command: ["/bin/sh", "-c", "exec sleep 2147483647"]
                  required_for: [configure]

        """

    /// `replication/saved.yaml`: the configuration last initialized.
    public static let savedYAML = """
        # Replication group payroll as last initialized (phasekit run configure keeps this file).
        group: payroll
        servers:
          - name: production
            role: production
            volume_groups: [vg_data]
            volumes:
              - { name: lv_orders, size: 64M, group: vg_data }
              - { name: lv_ledger, size: 32M, group: vg_data }
              - { name: lv_archive, size: 16M, group: vg_data }
            replication_container: { name: rc_payroll, size: 8M, group: vg_data }
            log_record_container: { name: lrc_payroll, size: 16M, group: vg_data }
            internal_volume: { name: int_payroll, size: 4M, group: vg_data }
            drivers: [mx_capture, mx_ioctl]
            process: { service: lca, port: 7101 }
          - name: recovery1
            role: recovery
            volume_groups: [vg_replica]
            volumes:
              - { name: lv_orders, size: 64M, group: vg_replica }
              - { name: lv_ledger, size: 32M, group: vg_replica }
              - { name: lv_archive, size: 16M, group: vg_replica }
            replication_container: { name: rc_payroll, size: 8M, group: vg_replica }
            log_record_container: { name: lrc_payroll, size: 16M, group: vg_replica }
            snapshot_container: { name: sc_payroll, size: 32M, group: vg_replica }
            snapshots:
              - { name: sn_orders, size: 16M, group: vg_replica, of: lv_orders }
            drivers: [mx_apply]
            process: { service: aba, port: 7101 }

        """

    /// `replication/new.yaml`: the operator's pending edit.
    public static let newYAML = """
        # Replication group payroll, edited: lv_invoices added, lv_archive removed, recovery2 added.
        group: payroll
        servers:
          - name: production
            role: production
            volume_groups: [vg_data]
            volumes:
              - { name: lv_orders, size: 64M, group: vg_data }
              - { name: lv_ledger, size: 32M, group: vg_data }
              - { name: lv_invoices, size: 24M, group: vg_data }
            replication_container: { name: rc_payroll, size: 8M, group: vg_data }
            log_record_container: { name: lrc_payroll, size: 16M, group: vg_data }
            internal_volume: { name: int_payroll, size: 4M, group: vg_data }
            drivers: [mx_capture, mx_ioctl]
            process: { service: lca, port: 7101 }
          - name: recovery1
            role: recovery
            volume_groups: [vg_replica]
            volumes:
              - { name: lv_orders, size: 64M, group: vg_replica }
              - { name: lv_ledger, size: 32M, group: vg_replica }
              - { name: lv_invoices, size: 24M, group: vg_replica }
            replication_container: { name: rc_payroll, size: 8M, group: vg_replica }
            log_record_container: { name: lrc_payroll, size: 16M, group: vg_replica }
            snapshot_container: { name: sc_payroll, size: 32M, group: vg_replica }
            snapshots:
              - { name: sn_orders, size: 16M, group: vg_replica, of: lv_orders }
            drivers: [mx_apply]
            process: { service: aba, port: 7101 }
          - name: recovery2
            role: recovery
            volume_groups: [vg_dr]
            volumes:
              - { name: lv_orders, size: 64M, group: vg_dr }
              - { name: lv_ledger, size: 32M, group: vg_dr }
              - { name: lv_invoices, size: 24M, group: vg_dr }
            replication_container: { name: rc_payroll, size: 8M, group: vg_dr }
            log_record_container: { name: lrc_payroll, size: 16M, group: vg_dr }
            drivers: [mx_apply]
            process: { service: aba, port: 7102 }

        """

    /// The server root directories, relative to the site.
    public static let serverRoots = ["production": "servers/production", "recovery1": "servers/recovery1",
                                     "recovery2": "servers/recovery2"]

    /// Writes the servers' roots (volume pools, configuration copies, device special files,
    /// drivers, failover contexts, process reset records) as the saved configuration left them,
    /// and `replication/saved.yaml` and `replication/new.yaml` in the production root.
    ///
    /// - Throws: when a file or volume cannot be written, or the sample does not parse.
    public static func write(to siteDirectory: String) throws {
        let saved = try ReplicationConfiguration.parse(savedYAML, file: "replication/saved.yaml")
        for name in serverRoots.keys.sorted() {
            guard let relative = serverRoots[name] else { continue }
            let root = siteDirectory + "/" + relative
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            let pool = try DirVolumePool(directory: URL(fileURLWithPath: root + "/volumes"))
            _ = try pool.list(VolumeFilter())
            guard let server = saved.server(named: name) else { continue }
            try populate(root: root, pool: pool, server: server, in: saved)
        }
        guard let production = serverRoots["production"] else { return }
        try put(savedYAML, at: siteDirectory + "/" + production + "/replication/saved.yaml")
        try put(newYAML, at: siteDirectory + "/" + production + "/replication/new.yaml")
    }

    /// Lays out one server as the saved configuration left it: its volumes and containers in
    /// `pool`, device files, the configuration copy (`savedText`), drivers, the process's record
    /// and the failover context. Also used by the benchmark to build groups of any size.
    public static func populate(
        root: String, pool: DirVolumePool, server: ReplicationConfiguration.Server, in configuration: ReplicationConfiguration,
        savedText: String = savedYAML
    ) throws {
        let tag = configuration.layoutTag(of: server)
        for volume in server.volumes {
            try pool.create(Volume(name: volume.name, group: volume.group, role: .data, size: volume.size, tags: ["replicated"]))
            try put("replicated logical volume \(volume.name) of group \(configuration.group)\n", at: root + "/dev/rLV_\(volume.name)")
        }
        var containers: [(ReplicationConfiguration.Volume, VolumeRole, [String])] = [
            (server.replicationContainer, .replicationContainer, [tag]),
            (server.logRecordContainer, .logRecordContainer, [tag]),
        ]
        if let volume = server.internalVolume { containers.append((volume, .internal, [tag])) }
        if let container = server.snapshotContainer { containers.append((container, .snapshotContainer, [])) }
        containers += server.snapshots.map { ($0.volume, .snapshot, [tag]) }
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
