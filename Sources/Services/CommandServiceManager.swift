internal import HostSystem

/// The common body of the command-driven service backends (``SystemdServiceManager``,
/// ``PacemakerServiceManager``): it maps site names to targets, runs the backend's commands through a
/// ``CommandRunner``, polls the status with ``StateWaiter`` and turns every failure into a
/// ``ServiceError``. What differs between the backends is a ``ServiceCommands`` value.
final class CommandServiceManager<Commands: ServiceCommands> {
    /// The backend's commands and output parsing.
    let commands: Commands
    /// The bound on every wait of a state change, and on every command.
    let waitLimit: Duration
    /// The pause between two status readings while waiting.
    let pollInterval: Duration
    /// The target (unit, resource) of each site service name.
    let targets: [String: String]
    /// Runs the backend's commands.
    let runner: any CommandRunner

    /// Creates the body of a manager.
    ///
    /// - Parameters:
    ///   - commands: the backend's commands.
    ///   - services: the site's service names with their targets.
    ///   - runner: runs the commands.
    ///   - waitLimit: the bound on every wait of a state change.
    ///   - pollInterval: the pause between two status readings.
    /// - Throws: ``ServiceError/Kind/backendUnavailable`` when two services share a name.
    init(commands: Commands, services: [(name: String, target: String)], runner: any CommandRunner,
         waitLimit: Duration, pollInterval: Duration) throws {
        var targets: [String: String] = [:]
        for service in services where targets.updateValue(service.target, forKey: service.name) != nil {
            throw ServiceError(.backendUnavailable, service: service.name, "the service is defined twice")
        }
        self.commands = commands
        self.targets = targets
        self.runner = runner
        self.waitLimit = waitLimit
        self.pollInterval = pollInterval
    }

    /// Every service with its current state, sorted by name.
    func list() throws -> [ServiceInfo] {
        try targets.keys.sorted().map { ServiceInfo(name: $0, state: try status($0)) }
    }

    /// The settled state of a service.
    func status(_ name: String) throws -> ServiceState {
        let target = try target(name)
        return try waiter(name).settled { try observe(name, target) }
    }

    /// Starts a service unless it runs, and waits until it runs.
    func start(_ name: String) throws {
        let target = try target(name)
        if try status(name) == .running { return }
        try act(name, commands.startCommand(target))
        try waitRunning(name, target)
    }

    /// Stops a service unless the backend counts it as stopped, and waits until it is stopped (or failed).
    func stop(_ name: String) throws {
        let target = try target(name)
        if commands.needsNoStop(try status(name)) { return }
        try act(name, commands.stopCommand(target))
        try waiter(name).wait(for: "stopped", reached: { $0 == .stopped || $0 == .failed }) { try observe(name, target) }
    }

    /// Restarts a service with the backend's restart command, or by a stop then a start.
    func restart(_ name: String) throws {
        let target = try target(name)
        guard let restart = commands.restartCommand(target) else {
            try stop(name)
            try start(name)
            return
        }
        _ = try status(name)
        try act(name, restart)
        try waitRunning(name, target)
    }

    /// Waits until the service runs; a failed state ends the wait at once.
    private func waitRunning(_ name: String, _ target: String) throws {
        try waiter(name).wait(for: "running", reached: { $0 == .running }, failsFast: { $0 == .failed }) {
            try observe(name, target)
        }
    }

    /// The target of `name`, or ``ServiceError/Kind/unknownService``.
    private func target(_ name: String) throws -> String {
        guard let target = targets[name] else {
            throw ServiceError(.unknownService, service: name, "no \(commands.backendName) service named \(name) is defined")
        }
        return target
    }

    private func waiter(_ name: String) -> StateWaiter {
        StateWaiter(service: name, limit: waitLimit, interval: pollInterval)
    }

    /// One status reading of a target.
    private func observe(_ name: String, _ target: String) throws -> ObservedState {
        let arguments = commands.statusCommand(target)
        let output = try run(name, arguments)
        guard output.status == 0, let reading = commands.reading(output.standardOutput, of: target) else {
            throw ServiceError(.backendUnavailable, service: name, failure(arguments, output))
        }
        switch reading {
        case .observed(let observed): return observed
        case .missing(let message): throw ServiceError(.unknownService, service: name, message)
        }
    }

    /// Runs a state-changing command and requires success.
    private func act(_ name: String, _ arguments: [String]) throws {
        let output = try run(name, arguments)
        guard output.status == 0 else {
            throw ServiceError(.actionFailed, service: name, failure(arguments, output))
        }
    }

    /// The message of a command that exited with a non-zero status (or whose output did not parse).
    private func failure(_ arguments: [String], _ output: CommandOutput) -> String {
        CommandError(arguments: arguments, reason: "exited with status \(output.status)", output: output).description
    }

    /// Runs a command; a runner failure means the backend is unavailable.
    private func run(_ name: String, _ arguments: [String]) throws -> CommandOutput {
        do {
            return try runner.run(arguments, timeout: waitLimit)
        } catch {
            throw ServiceError(.backendUnavailable, service: name, "\(error)")
        }
    }
}
