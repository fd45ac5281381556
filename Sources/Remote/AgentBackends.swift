import Files
import Foundation
import HostSystem
import Services
import Volumes

/// The backends one agent serves, made from the configuration its controller sent in `hello`.
final class AgentBackends {
    let files: RealFileArea
    let services: (any ServiceManager)?
    let volumes: (any VolumePool)?
    let runner = ProcessCommandRunner()

    init(configuration: AgentConfiguration, root: String, writable: Bool) throws {
        let poolPath = configuration.volumesBackend == "dir" ? (configuration.volumesPath ?? root + "/volumes") : nil
        let protected = poolPath.map(FilePaths.canonicalAbsolute).flatMap { path in
            path.hasPrefix(root + "/") ? [String(path.dropFirst(root.count + 1))] : nil
        } ?? []
        files = try RealFileArea(root: root, create: false, protected: protected)
        let wait = Duration.milliseconds(Int64(configuration.waitSeconds * 1000))
        switch configuration.servicesBackend {
        case nil: services = nil
        case "process":
            services = try ProcessServiceManager(
                stateDirectory: root + "/" + FilePaths.ownPrefix + "services",
                services: configuration.services.map { ProcessServiceDefinition(name: $0.name, command: $0.command, workingDirectory: root) },
                waitLimit: wait)
        case "systemd":
            services = try SystemdServiceManager(services: configuration.services.map { SystemdServiceDefinition(name: $0.name, unit: $0.unit) },
                                                 runner: runner, waitLimit: wait)
        case "pacemaker":
            services = try PacemakerServiceManager(services: configuration.services.map { PacemakerServiceDefinition(name: $0.name, resource: $0.resource) },
                                                   runner: runner, waitLimit: wait)
        case let other?: throw AgentFailure(kind: "protocol", message: "unknown services backend '\(other)'")
        }
        switch configuration.volumesBackend {
        case nil: volumes = nil
        case "dir":
            let path = poolPath ?? root + "/volumes"
            // A read-only agent creates nothing: a pool that does not exist yet lists empty.
            if !writable && !FileManager.default.fileExists(atPath: path) {
                volumes = InMemoryVolumePool()
            } else {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                let pool = try DirVolumePool(directory: URL(fileURLWithPath: path))
                if writable { _ = try? pool.removeOrphans() }
                volumes = pool
            }
        case "lvm": volumes = try LVMVolumePool(groups: configuration.volumeGroups, runner: runner)
        case let other?: throw AgentFailure(kind: "protocol", message: "unknown volumes backend '\(other)'")
        }
        if writable { Self.sweepTemporaryFiles(below: root) }
    }

    /// Removes what a write cut off by a crash or a lost connection left: phasekit's temporary files.
    static func sweepTemporaryFiles(below root: String) {
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            if (relative as NSString).lastPathComponent.hasPrefix(FilePaths.temporaryPrefix) {
                try? FileManager.default.removeItem(atPath: root + "/" + relative)
            }
        }
    }

    func serviceManager() throws -> any ServiceManager {
        guard let services else { throw AgentFailure(kind: "protocol", message: "this server has no services section") }
        return services
    }

    func pool() throws -> any VolumePool {
        guard let volumes else { throw AgentFailure(kind: "protocol", message: "this server has no volumes section") }
        return volumes
    }
}
