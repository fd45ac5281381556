import Foundation

/// The embedded service backend: the site's own commands, run as detached processes.
///
/// Each service gets `NAME.pid` and `NAME.log` in the state directory (`<site>/state/services/`).
/// The pidfile records the pid and the process's start time, so a reused pid is never mistaken for
/// the service. Every command also carries `PHASEKIT_SERVICE=<stateDirectory>/NAME` in its
/// environment, so a service whose pidfile is lost (a site whose `state/` was removed) is still
/// found in `/proc`, and a second copy is never started (``locate(_:)``). ``status(_:)`` always
/// inspects the live process:
/// - no pidfile and no marked process: ``ServiceState/stopped``;
/// - pidfile, and the process with that pid and start time is alive and not a zombie: ``ServiceState/running``;
/// - otherwise, exactly one live session leader carrying the marker: ``ServiceState/running``;
/// - several marked processes (or marked processes without their leader): ``ServiceState/failed``,
///   and ``start(_:)`` and ``stop(_:)`` refuse, naming them;
/// - pidfile but the process is gone (it crashed, was killed, or exited at start), or the pidfile is
///   malformed: ``ServiceState/failed``. A command that exits right after ``start(_:)`` leaves the
///   service failed too.
///
/// See ``DetachedSpawner`` for how a command is started so it outlives phasekit and never becomes
/// its zombie; the service leads its own session and process group, and ``stop(_:)`` signals the
/// whole group.
public final class ProcessServiceManager: ServiceManager {
    public let backendName = "process"
    public let waitLimit: Duration
    /// The directory holding the pidfiles and logs.
    public let stateDirectory: String
    /// How long a freshly started command must stay alive for ``start(_:)`` to succeed.
    public let startGrace: Duration
    /// How long ``stop(_:)`` waits after `SIGTERM` before sending `SIGKILL`.
    public let terminationGrace: Duration
    /// The pause between two checks while waiting.
    public let pollInterval: Duration
    let definitions: [String: ProcessServiceDefinition]

    /// Creates a manager for the site's process-run services.
    ///
    /// Nothing is started or created until a service is started.
    ///
    /// - Parameters:
    ///   - stateDirectory: where pidfiles and logs live, normally `<site>/state/services`; created on first start.
    ///   - services: the site's service definitions.
    ///   - waitLimit: the bound on every wait of a state change.
    ///   - startGrace: how long a started command must survive to count as started (at most `waitLimit`).
    ///   - terminationGrace: how long to wait after `SIGTERM` before `SIGKILL` (at most `waitLimit`).
    ///   - pollInterval: the pause between two checks while waiting.
    /// - Throws: ``ServiceError/Kind/backendUnavailable`` when two services share a name, a name is
    ///   empty or contains `/`, or a command is empty.
    public init(
        stateDirectory: String,
        services: [ProcessServiceDefinition],
        waitLimit: Duration = .seconds(10),
        startGrace: Duration = .milliseconds(500),
        terminationGrace: Duration = .seconds(5),
        pollInterval: Duration = .milliseconds(20)
    ) throws {
        var definitions: [String: ProcessServiceDefinition] = [:]
        for service in services {
            guard !service.name.isEmpty, !service.name.contains("/"), service.name != ".", service.name != ".." else {
                throw ServiceError(.backendUnavailable, service: service.name, "a process service name must be a plain file name")
            }
            guard !service.command.isEmpty else {
                throw ServiceError(.backendUnavailable, service: service.name, "the service has an empty command")
            }
            guard definitions.updateValue(service, forKey: service.name) == nil else {
                throw ServiceError(.backendUnavailable, service: service.name, "the service is defined twice")
            }
        }
        self.definitions = definitions
        self.stateDirectory = stateDirectory
        self.waitLimit = waitLimit
        self.startGrace = min(startGrace, waitLimit)
        self.terminationGrace = min(terminationGrace, waitLimit)
        self.pollInterval = pollInterval
    }

    /// The pidfile of a service: `<stateDirectory>/NAME.pid`.
    public func pidFilePath(for name: String) -> String { stateDirectory + "/" + name + ".pid" }

    /// The log of a service, which receives its standard output and error: `<stateDirectory>/NAME.log`.
    public func logPath(for name: String) -> String { stateDirectory + "/" + name + ".log" }

    public func list() throws -> [ServiceInfo] {
        try definitions.keys.sorted().map { ServiceInfo(name: $0, state: try status($0)) }
    }

    public func status(_ name: String) throws -> ServiceState {
        _ = try definition(name)
        // Only processes that cannot be told apart read as failed; anything else (processes that
        // cannot be listed) is an error, never a state.
        do {
            switch try locate(name) {
            case .none: return .stopped
            case .dead: return .failed
            case .alive: return .running
            }
        } catch let error as ServiceError where error.kind == .actionFailed {
            return .failed   // processes that cannot be told apart: start and stop refuse, naming them
        }
    }

    public func start(_ name: String) throws {
        var service = try definition(name)
        if case .alive = try locate(name) { return }
        service.environment = (service.environment ?? [:]).merging([Self.markerVariable: markerValue(for: name)]) { $1 }
        try perform(name, "create the state directory \(stateDirectory)") {
            try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        }
        guard let setsid = DetachedSpawner.locateSetsid() else {
            throw ServiceError(.backendUnavailable, service: name, "setsid (util-linux) is not installed")
        }
        let logOffset = Self.fileSize(logPath(for: name))
        let spawner = DetachedSpawner(setsidPath: setsid, limit: waitLimit)
        let pid = try perform(name, "start \(service.command.joined(separator: " "))") {
            try spawner.spawn(service, logPath: logPath(for: name))
        }
        guard let pid else { throw exitedAtStart(name, logOffset: logOffset) }
        guard let stat = ProcessStat.read(pid: pid), !stat.isZombie else {
            // Gone before its start time could be read: start time 0 never matches, so status says failed.
            try perform(name, "write \(pidFilePath(for: name))") {
                try ProcessPidFile(pid: pid, startTime: 0).write(to: pidFilePath(for: name))
            }
            throw exitedAtStart(name, logOffset: logOffset)
        }
        let record = ProcessPidFile(pid: pid, startTime: stat.startTime)
        try perform(name, "write \(pidFilePath(for: name))") { try record.write(to: pidFilePath(for: name)) }
        let died = BoundedWait.until(limit: startGrace, interval: pollInterval) { !isAlive(record) }
        if died { throw exitedAtStart(name, logOffset: logOffset) }
    }

    public func restart(_ name: String) throws {
        try stop(name)
        try start(name)
    }

    /// The definition of `name`, or ``ServiceError/Kind/unknownService``.
    func definition(_ name: String) throws -> ProcessServiceDefinition {
        guard let service = definitions[name] else {
            throw ServiceError(.unknownService, service: name, "no process service named \(name) is defined")
        }
        return service
    }

    /// Whether the process the pidfile names is the one that was started and is alive.
    func isAlive(_ record: ProcessPidFile) -> Bool {
        guard let stat = ProcessStat.read(pid: record.pid) else { return false }
        return stat.startTime == record.startTime && !stat.isZombie
    }

    /// Runs `body`, turning any error into ``ServiceError/Kind/actionFailed`` saying what could not be done.
    @discardableResult
    func perform<Result>(_ name: String, _ what: String, _ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as ServiceError {
            throw error
        } catch {
            throw ServiceError(.actionFailed, service: name, "could not \(what): \(error)")
        }
    }
}
