import Foundation
import PhaseKit
import Replication
import Testing

/// One edit of a steady-state site's replication group, taken through analysis, execution and a
/// second analysis with the built binary, and the world checked on every server against the
/// configurations (docs/configure.md says what each server must hold).
struct ConfigureEdit {
    var site: String
    var saved: String
    var new: String

    func write() throws {
        let replication = ConfigureSteadyState.replication(site)
        #expect(ConfigureSteadyState.read(replication + "/saved.yaml") == saved, "the site is not in the steady state the edit starts from")
        try Data(new.utf8).write(to: URL(fileURLWithPath: replication + "/new.yaml"))
    }

    /// `phasekit run configure --json`: the analysis report.
    func analyze() throws -> RunReport {
        let result = try CLITests.phasekit(["run", "configure", "--site", site, "--json"])
        let report = try RunReport.decoded(from: result.output)
        #expect(result.status == report.exitCode)
        return report
    }

    /// The whole round: analysis chooses `rows` and plans without issues or changing anything;
    /// execution applies; every server matches the new configuration, processes of `resets` (and
    /// only those) were restarted; a second analysis finds nothing.
    func check(rows: [String], resets: Set<String>, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try write()
        let before = try ServerWorld.all(site)
        let savedConfiguration = try ReplicationConfiguration.parse(saved, file: "saved.yaml")
        let newConfiguration = try ReplicationConfiguration.parse(new, file: "new.yaml")

        let analysis = try analyze()
        #expect(analysis.outcome == .changes, sourceLocation: sourceLocation)
        #expect(analysis.ranRows == rows, sourceLocation: sourceLocation)
        #expect(analysis.issues.map(\.summary) == [], sourceLocation: sourceLocation)
        #expect(try ServerWorld.all(site) == before, "analysis changed the world", sourceLocation: sourceLocation)

        let execution = try CLITests.phasekit(["run", "configure", "--site", site, "--execute", "--yes"])
        #expect(execution.status == 0, "\(execution.output.suffix(800))", sourceLocation: sourceLocation)
        #expect(ConfigureSteadyState.read(ConfigureSteadyState.replication(site) + "/saved.yaml") == new,
                "the new configuration is not saved", sourceLocation: sourceLocation)
        for name in ConfigureSteadyState.servers {
            let after = try ServerWorld(site: site, server: name)
            let was = try #require(before[name])
            if let server = newConfiguration.server(named: name) {
                checkMember(after, was: was, server: server, in: newConfiguration, saved: savedConfiguration, reset: resets.contains(name),
                            sourceLocation: sourceLocation)
            } else if let server = savedConfiguration.server(named: name) {
                checkLeaver(after, was: was, server: server, sourceLocation: sourceLocation)
            } else {
                #expect(after == was, "\(name) is in neither configuration but changed", sourceLocation: sourceLocation)
            }
        }

        let again = try analyze()
        #expect(again.outcome == .clean, "a second analysis: \(again.changes.map(\.summary)) \(again.issues.map(\.summary))",
                sourceLocation: sourceLocation)
    }

    /// A server of the new configuration holds exactly what it says.
    func checkMember(
        _ world: ServerWorld, was: ServerWorld, server: ReplicationConfiguration.Server, in configuration: ReplicationConfiguration,
        saved: ReplicationConfiguration, reset: Bool, sourceLocation: SourceLocation
    ) {
        let name = server.name
        let layout = configuration.layoutTag(of: server)
        var expected: [String: VolumeRecord] = [:]
        for volume in server.volumes {
            expected[volume.name] = VolumeRecord(role: "data", group: volume.group, size: volume.size, tags: ["replicated"])
        }
        var containers: [(ReplicationConfiguration.Volume, String, [String])] = [
            (server.replicationContainer, "replication_container", [layout]), (server.logRecordContainer, "log_record_container", [layout]),
        ]
        if let volume = server.internalVolume { containers.append((volume, "internal", [layout])) }
        if let volume = server.snapshotContainer { containers.append((volume, "snapshot_container", [])) }
        containers += server.snapshots.map { ($0.volume, "snapshot", [layout]) }
        for (volume, role, tags) in containers {
            expected[volume.name] = VolumeRecord(role: role, group: volume.group, size: volume.size, tags: tags)
        }
        // Volumes the configuration does not list: only plain data volumes (a volume removed from
        // replication keeps its data, untagged), and none created by this run.
        var others = world.volumes.filter { expected[$0.key] == nil }
        for (volume, record) in others where record.role == "data" && record.tags.isEmpty && was.volumes[volume] != nil {
            others[volume] = nil
        }
        #expect(world.volumes.filter { expected[$0.key] != nil } == expected, "\(name): configured volumes", sourceLocation: sourceLocation)
        #expect(others == [:], "\(name): volumes the configuration does not explain", sourceLocation: sourceLocation)
        #expect(world.devices == Set(server.volumes.map(\.name)), "\(name): device special files", sourceLocation: sourceLocation)
        #expect(world.drivers == Set(server.drivers), "\(name): loaded drivers", sourceLocation: sourceLocation)
        #expect(world.copy == new, "\(name): configuration copy", sourceLocation: sourceLocation)
        // The failover context survives only when it still describes the server (same failover tag).
        let unchanged = saved.server(named: name).map { saved.failoverTag(of: $0) } == configuration.failoverTag(of: server)
        #expect(world.failover == (unchanged ? was.failover : nil), "\(name): failover context", sourceLocation: sourceLocation)
        if unchanged { #expect(world.failover?.contains(configuration.failoverTag(of: server)) == true, sourceLocation: sourceLocation) }
        let service = server.process.service
        #expect(world.resetRecords[service] == (reset ? configuration.signature + "\n" : was.resetRecords[service]),
                "\(name): reset record of \(service)", sourceLocation: sourceLocation)
        #expect(world.started == (reset ? [service] : []), "\(name): processes restarted", sourceLocation: sourceLocation)
    }

    /// A server that left the group keeps no volume, device file, failover context or process
    /// reset record of it (its drivers and its configuration copy stay: no step removes them).
    func checkLeaver(_ world: ServerWorld, was: ServerWorld, server: ReplicationConfiguration.Server, sourceLocation: SourceLocation) {
        var group = Set(server.volumes.map(\.name) + server.snapshots.map(\.volume.name))
        group.formUnion([server.replicationContainer.name, server.logRecordContainer.name])
        if let volume = server.snapshotContainer { group.insert(volume.name) }
        if let volume = server.internalVolume { group.insert(volume.name) }
        #expect(world.volumes == was.volumes.filter { !group.contains($0.key) && !$0.value.tags.contains { $0.hasPrefix("cfg=") } },
                "\(server.name): volumes of the group left behind", sourceLocation: sourceLocation)
        #expect(world.devices == [], "\(server.name): device special files", sourceLocation: sourceLocation)
        #expect(world.failover == nil, "\(server.name): failover context", sourceLocation: sourceLocation)
        #expect(world.resetRecords[server.process.service] == nil, "\(server.name): reset record", sourceLocation: sourceLocation)
        #expect(world.started == [], "\(server.name): a process of a removed server was restarted", sourceLocation: sourceLocation)
    }
}

extension RunReport {
    /// `NN:server` (or `NN`) of the steps that ran (not skipped).
    var ranRows: [String] {
        steps.filter { $0.state != .skipped }.map { step in
            let number = step.id.split(separator: "/").last.map { String($0.prefix(2)) } ?? step.id
            return step.server.map { "\(number):\($0)" } ?? number
        }
    }
}
