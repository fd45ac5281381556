import Foundation
import PhaseKit
import Replication
import Samples
import Testing

/// A sample site in its steady state: `phasekit sample-site`, then `phasekit run configure
/// --execute --yes` once, so `replication/saved.yaml` is the sample's new configuration and
/// every server matches it. Built once per suite (``ConfigureSteadyState/scope``) and copied
/// per test (``SiteTemplate``), so a test pays for one copy, not for a whole initialization.
///
/// After the initialization the template is made to look like a server fleet at rest: the
/// send/apply processes the resets started are stopped and phasekit's `state/` is removed (so a
/// test sees exactly which processes its own run restarted: those with a pidfile), and every
/// server has a failover context naming its current failover tag, as RM rebuilds them after an
/// initialization (so steps 18 and 19 have something to keep or delete).
enum ConfigureSteadyState {
    /// The suite trait that builds the steady state once.
    static var scope: SiteTemplate.Scope { SiteTemplate.Scope(build: build(at:)) }

    /// The servers of the sample's replication group, in site.yaml order.
    static let servers = ["production", "recovery1", "recovery2"]

    static func build(at directory: String) throws {
        let written = try CrashRecoveryTests.phasekit(["sample-site", directory, "--no-services"])
        guard written.status == 0 else { throw CrashTestError(message: written.output) }
        let run = try CrashRecoveryTests.phasekit(["run", "configure", "--site", directory, "--execute", "--yes"])
        guard run.status == 0 else { throw CrashTestError(message: "the sample's initialization failed: \(run.output.suffix(800))") }
        CrashRecoveryTests.stopProcesses(in: directory)
        try FileManager.default.removeItem(atPath: directory + "/state")
        let configuration = try ReplicationConfiguration.parse(ReplicationSample.newYAML, file: "saved.yaml")
        for server in configuration.servers {
            let failover = root(directory, server.name) + "/failover"
            try FileManager.default.createDirectory(atPath: failover, withIntermediateDirectories: true)
            try Data(failoverContext(configuration.failoverTag(of: server), group: configuration.group).utf8)
                .write(to: URL(fileURLWithPath: failover + "/context.json"))
        }
    }

    static func failoverContext(_ tag: String, group: String) -> String {
        "{\"group\": \"\(group)\", \"configuration\": \"\(tag)\"}\n"
    }

    static func root(_ site: String, _ server: String) -> String { site + "/servers/" + server }
    static func replication(_ site: String) -> String { root(site, "production") + "/replication" }

    static func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// One volume record of a dir pool (`volumes/NAME.volume.json`), without its creation time.
struct VolumeRecord: Equatable, CustomStringConvertible {
    var role: String
    var group: String
    var size: Int64
    var tags: [String]
    var description: String { "\(role) \(group) \(size) \(tags)" }
}

/// What a test can observe on one server of the replication group.
struct ServerWorld: Equatable {
    var volumes: [String: VolumeRecord] = [:]
    var devices: Set<String> = []
    var drivers: Set<String> = []
    var copy: String?
    var failover: String?
    /// `run/<service>.config`: the configuration signature each process was last reset with.
    var resetRecords: [String: String] = [:]
    /// Services with a pidfile (started, by this test's run, since the template has none).
    var started: Set<String> = []

    init(site: String, server: String) throws {
        let root = ConfigureSteadyState.root(site, server)
        let files = FileManager.default
        for entry in (try? files.contentsOfDirectory(atPath: root + "/volumes")) ?? [] where entry.hasSuffix(".volume.json") {
            let data = try #require(files.contents(atPath: root + "/volumes/" + entry))
            let record = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            volumes[String(entry.dropLast(".volume.json".count))] = VolumeRecord(
                role: record["role"] as? String ?? "?", group: record["group"] as? String ?? "?",
                size: (record["size"] as? NSNumber)?.int64Value ?? -1, tags: record["tags"] as? [String] ?? [])
        }
        devices = Set(((try? files.contentsOfDirectory(atPath: root + "/dev")) ?? []).filter { $0.hasPrefix("rLV_") }.map { String($0.dropFirst(4)) })
        drivers = Set(((try? files.contentsOfDirectory(atPath: root + "/drivers")) ?? []).filter { $0.hasSuffix(".loaded") }
            .map { String($0.dropLast(".loaded".count)) })
        copy = ConfigureSteadyState.read(root + "/etc/replication/group.yaml")
        failover = ConfigureSteadyState.read(root + "/failover/context.json")
        for entry in (try? files.contentsOfDirectory(atPath: root + "/run")) ?? [] where entry.hasSuffix(".config") {
            resetRecords[String(entry.dropLast(".config".count))] = ConfigureSteadyState.read(root + "/run/" + entry)
        }
        started = Set(((try? files.contentsOfDirectory(atPath: site + "/state/services/" + server)) ?? [])
            .filter { $0.hasSuffix(".pid") }.map { String($0.dropLast(".pid".count)) })
    }

    static func all(_ site: String) throws -> [String: ServerWorld] {
        var worlds: [String: ServerWorld] = [:]
        for server in ConfigureSteadyState.servers { worlds[server] = try ServerWorld(site: site, server: server) }
        return worlds
    }
}
