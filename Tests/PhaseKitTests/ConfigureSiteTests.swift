import Foundation
import LuaRuntime
import Services
@testable import PhaseKit
@testable import Replication
@testable import Samples

/// A temporary site holding the replication sample, for the configure tests.
struct ConfigureSite {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("configure-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(("name: configure-test\n" + ReplicationSample.serversYAML).utf8)
            .write(to: URL(fileURLWithPath: directory + "/site.yaml"))
        try ReplicationSample.write(to: directory)
    }

    var replication: String { directory + "/servers/production/replication" }

    func setConfigurations(saved: String, new: String) throws {
        try Data(saved.utf8).write(to: URL(fileURLWithPath: replication + "/saved.yaml"))
        try Data(new.utf8).write(to: URL(fileURLWithPath: replication + "/new.yaml"))
    }

    /// The configure procedure, as the site sees it.
    func procedure() throws -> ProcedureDefinition {
        try ProcedureCatalog(siteRoot: directory + "/scripts", bundledRoot: Self.repository + "/Scripts").procedure(named: "configure")
    }

    func run(_ mode: RunMode) throws -> RunReport {
        let site = try SiteConfiguration.load(directory: directory)
        var options = RunOptions(intent: RunIntent(mode), site: site, searchPath: [Self.repository + "/Scripts/lib"], procedure: "configure")
        options.change = try ReplicationChange.load(siteDirectory: directory)
        var runner = ProcedureRunner(procedure: try procedure(), options: options)
        runner.confirm = { _ in true }
        return runner.run().checkedAgainstSchema
    }

    /// Every file below the site except phasekit's own state, with its content.
    func tree() -> [String: Data] {
        var files: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return files }
        for case let path as String in enumerator where !path.hasPrefix("state") && !path.hasPrefix("scripts") {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory)
            files[path] = isDirectory.boolValue ? Data() : FileManager.default.contents(atPath: directory + "/" + path)
        }
        return files
    }

    /// Stops every service the run started (the LCA/ABA resets start real processes), then
    /// removes the site.
    func remove() {
        if let site = try? SiteConfiguration.load(directory: directory) {
            for server in site.servers {
                guard let services = server.services,
                      let manager = try? ServiceWorld.manager(for: services, server: server, site: site) else { continue }
                for definition in services.definitions { try? manager.stop(definition.name) }
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

extension RunReport {
    /// `NN:server` (or `NN`) of the steps that ran (not skipped), for comparing selections.
    var ranRows: [String] {
        steps.filter { $0.state != .skipped }.map { step in
            let number = step.id.split(separator: "/").last.map { String($0.prefix(2)) } ?? step.id
            return step.server.map { "\(number):\($0)" } ?? number
        }
    }
}
