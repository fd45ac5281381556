import Files
import Foundation
import HostSystem
import Services
import Volumes

/// The backends one agent serves, made from the configuration its controller sent in `hello`.
final class AgentBackends {
    let files: RealFileArea
    let runner = ProcessCommandRunner()
    /// The directory below the root where the agent keeps process services' pid files and logs.
    static let stateName = FilePaths.ownPrefix + "services"
    private let configuration: AgentConfiguration
    private let root: String
    private let writable: Bool
    private let poolPath: String?
    /// Made on first use, so that saying hello changes nothing on the host.
    private var services: (any ServiceManager)?
    private var volumes: (any VolumePool)?

    init(configuration: AgentConfiguration, root: String, writable: Bool) throws {
        self.configuration = configuration
        self.root = root
        self.writable = writable
        poolPath = configuration.volumesBackend == "dir" ? (configuration.volumesPath ?? root + "/volumes") : nil
        let protected = poolPath.map(FilePaths.canonicalAbsolute).flatMap { path in
            path.hasPrefix(root + "/") ? [String(path.dropFirst(root.count + 1))] : nil
        } ?? []
        files = try RealFileArea(root: root, create: false, protected: protected)
        // Writes are made durable per row: the controller sends `files.sync` before it records the row finished.
        files.defersSync = writable
        if writable { Self.sweepTemporaryFiles(below: root) }
    }

    func serviceManager() throws -> any ServiceManager {
        if let services { return services }
        let wait = Duration.milliseconds(Int64(configuration.waitSeconds * 1000))
        let made: any ServiceManager
        switch configuration.servicesBackend {
        case nil: throw AgentFailure.protocolViolation("this server has no services section")
        case "process":
            made = try ProcessServiceManager(
                stateDirectory: root + "/" + Self.stateName,
                services: configuration.services.map { ProcessServiceDefinition(name: $0.name, command: $0.command, workingDirectory: root) },
                waitLimit: wait)
        case "systemd":
            made = try SystemdServiceManager(services: configuration.services.map { SystemdServiceDefinition(name: $0.name, unit: $0.unit) },
                                             runner: runner, waitLimit: wait)
        case "pacemaker":
            made = try PacemakerServiceManager(services: configuration.services.map { PacemakerServiceDefinition(name: $0.name, resource: $0.resource) },
                                               runner: runner, waitLimit: wait)
        case let other?: throw AgentFailure.protocolViolation("unknown services backend '\(other)'")
        }
        services = made
        return made
    }

    /// The pool; `forWriting` makes a dir pool's directory when it does not exist yet (a read of
    /// a pool that does not exist lists it empty and creates nothing).
    func pool(forWriting: Bool = false) throws -> any VolumePool {
        if let volumes { return volumes }
        let made: any VolumePool
        switch configuration.volumesBackend {
        case nil: throw AgentFailure.protocolViolation("this server has no volumes section")
        case "dir":
            let path = poolPath ?? root + "/volumes"
            guard forWriting || FileManager.default.fileExists(atPath: path) else { return InMemoryVolumePool() }
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            let pool = try DirVolumePool(directory: URL(fileURLWithPath: path))
            // Orphans (images a crash left without their record) are no volumes and no listing shows
            // them: a sweep that fails leaves them to the next one and changes no answer.
            if writable { _ = try? pool.removeOrphans() }
            made = pool
        case "lvm": made = try LVMVolumePool(groups: configuration.volumeGroups, runner: runner)
        case let other?: throw AgentFailure.protocolViolation("unknown volumes backend '\(other)'")
        }
        volumes = made
        return made
    }

    /// Removes what a write cut off by a crash or a lost connection left: phasekit's temporary files.
    static func sweepTemporaryFiles(below root: String) {
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            if (relative as NSString).lastPathComponent.hasPrefix(FilePaths.temporaryPrefix) {
                // No listing shows a temporary file: one that stays changes no answer, the next sweep retries.
                try? FileManager.default.removeItem(atPath: root + "/" + relative)
            }
        }
    }
}
