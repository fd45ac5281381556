import Foundation
import TestSupport

/// A fresh sample site for one case (or a reference run): local, or with its three servers on
/// the ssh test hosts (`sample-site --host`), or with its database on PostgreSQL (`--database`),
/// optionally on a small file system.
///
/// Servers on hosts always use the same roots (`HOST_ROOT/pk-campaign`), removed when the site is:
/// files that name their root then read the same in every case and in the references.
final class CaseSite {
    static let servers = ["production", "recovery1", "recovery2"]

    let directory: String
    let placement: Placement
    let hosts: SSHHosts?
    let disk: SmallFileSystem?
    /// The servers' roots on their hosts (ssh placement).
    let roots: [String]
    /// The management database on PostgreSQL (postgres placement).
    let database: PostgresScratch?

    init(_ placement: Placement, hosts: SSHHosts?, smallDisk: Bool = false) throws {
        self.placement = placement
        self.hosts = hosts
        disk = smallDisk ? try SmallFileSystem(megabytes: 64) : nil
        let name = "campaign-\(UUID().uuidString.prefix(8))"
        directory = disk.map { $0.mountPoint + "/" + name } ?? TestScratch.path("campaign").path
        var arguments = ["sample-site", directory, "--no-services"]
        database = placement == .postgres ? try PostgresScratch() : nil
        if let database { arguments += ["--database", database.url] }
        if placement == .ssh, let hosts {
            roots = (1...3).map { hosts.root($0) + "/pk-campaign" }
            roots.forEach { try? FileManager.default.removeItem(atPath: $0) }   // a missing root is what we want
            arguments += ["--ssh-config", hosts.config, "--phasekit", BuiltPhasekit.path]
            for (index, server) in Self.servers.enumerated() { arguments += ["--host", "\(server)=ssh://host\(index + 1)\(roots[index])"] }
        } else {
            roots = []
        }
        let written = try PhasekitProcess.run(arguments)
        guard written.exit == .code(0) else { throw PhasekitProcess.Failure(description: "sample-site: \(written.output)") }
    }

    /// The world: the site's files and database, and each server's root on its host (without the
    /// agents' service bookkeeping, whose process ids differ from run to run).
    func world() throws -> [String: String] {
        var world: [String: String]
        if let database {
            world = try SiteWorld.files(under: directory, skipping: ["state", "cms.db"])
            world["database"] = try database.dump().joined(separator: "\n")
            // Each case has its own database: its name in site.yaml is no difference between worlds.
            world["site.yaml"] = world["site.yaml"]?.replacingOccurrences(of: database.url, with: "postgres://CASE-DATABASE")
        } else {
            world = try SiteWorld.snapshot(of: directory)
        }
        for (server, root) in zip(Self.servers, roots) {
            for (path, content) in try SiteWorld.files(under: root) where !path.contains(".phasekit-services") {
                world["\(server)@host/\(path)"] = content
            }
        }
        return world
    }

    /// The newest journal's records (state/journal/latest), as JSON objects; empty when none.
    func journal() -> [[String: Any]] {
        let folder = directory + "/state/journal"
        // No `latest` yet means no run has journaled anything: an empty journal is the answer.
        guard let name = try? String(contentsOfFile: folder + "/latest", encoding: .utf8),
              let text = try? String(contentsOfFile: folder + "/" + name.trimmingCharacters(in: .whitespacesAndNewlines), encoding: .utf8)
        else { return [] }
        return text.split(separator: "\n").compactMap {
            // A torn last line (the record being written) is no record yet.
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    /// The newest journal's run id (its file name without `.jsonl`).
    /// The records of every journal of the site (each run and resume), in no particular order.
    func journals() -> [[[String: Any]]] {
        let folder = directory + "/state/journal"
        // No journal folder yet: no run has journaled anything.
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".jsonl") }.map { name in
            // A journal that cannot be read counts nothing; the checks on the newest one see it.
            let text = (try? String(contentsOfFile: folder + "/" + name, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        }
    }

    func journalID() -> String? {
        // Absent before the first record: no id yet.
        (try? String(contentsOfFile: directory + "/state/journal/latest", encoding: .utf8))
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: ".jsonl", with: "") }
    }

    /// Kills the site's services and removes the site, the servers' roots and the small disk.
    func remove() {
        for place in [directory] + roots { Self.stopProcesses(in: place) }
        // A killed service holds its directory until it is gone: the small disk cannot be unmounted before.
        Wait.until(10) { ([directory] + roots).allSatisfy { Self.processes(in: $0).isEmpty } }
        try? FileManager.default.removeItem(atPath: directory)   // test cleanup: nothing to report
        try? FileManager.default.removeItem(atPath: directory + "-plan.json")   // only --plan cases have one
        roots.forEach { try? FileManager.default.removeItem(atPath: $0) }
        disk?.remove()
        database?.drop()
    }

    /// Kills every process whose working directory is inside `place` (the services it started).
    static func stopProcesses(in place: String) {
        processes(in: place).forEach { kill($0, SIGKILL) }
    }

    /// The processes whose working directory is inside `place`.
    static func processes(in place: String) -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
            // A process that ended while it was looked at has no working directory: it is none of these.
            guard let pid = Int32(entry), pid != getpid(),
                  let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/cwd"),
                  cwd == place || cwd.hasPrefix(place + "/") else { return nil }
            return pid
        }
    }
}
