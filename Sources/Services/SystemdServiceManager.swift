public import HostSystem

/// Services as systemd units, driven through `systemctl`.
///
/// Status comes from `systemctl show --property=ActiveState,SubState,LoadState UNIT`: `active`
/// (and `reloading`) is running, `inactive` stopped, `failed` failed; `activating` and
/// `deactivating` are waited out; `LoadState=not-found` is an unknown service. `start`, `stop` and
/// `restart` run `systemctl start|stop|restart UNIT`, then poll the status until the unit reached
/// the wanted state or ``waitLimit`` passed.
public final class SystemdServiceManager: ServiceManager {
    public let backendName = "systemd"
    public let waitLimit: Duration
    /// The pause between two status readings while waiting.
    public let pollInterval: Duration
    let units: [String: String]
    let runner: any CommandRunner

    /// Creates a manager for the site's systemd units.
    ///
    /// - Parameters:
    ///   - services: the site's services and their units.
    ///   - runner: runs `systemctl`; ``ProcessCommandRunner`` for real use.
    ///   - waitLimit: the bound on every wait of a state change.
    ///   - pollInterval: the pause between two status readings.
    /// - Throws: ``ServiceError/Kind/backendUnavailable`` when two services share a name.
    public init(services: [SystemdServiceDefinition], runner: any CommandRunner,
                waitLimit: Duration = .seconds(30), pollInterval: Duration = .milliseconds(250)) throws {
        var units: [String: String] = [:]
        for service in services where units.updateValue(service.unit, forKey: service.name) != nil {
            throw ServiceError(.backendUnavailable, service: service.name, "the service is defined twice")
        }
        self.units = units
        self.runner = runner
        self.waitLimit = waitLimit
        self.pollInterval = pollInterval
    }

    public func list() throws -> [ServiceInfo] {
        try units.keys.sorted().map { ServiceInfo(name: $0, state: try status($0)) }
    }

    public func status(_ name: String) throws -> ServiceState {
        let unit = try unit(name)
        return try waiter(name).settled { try observe(name, unit) }
    }

    public func start(_ name: String) throws {
        let unit = try unit(name)
        if try status(name) == .running { return }
        try act(name, ["systemctl", "start", unit])
        try waiter(name).wait(for: "running", reached: { $0 == .running }, failsFast: { $0 == .failed }) {
            try observe(name, unit)
        }
    }

    public func stop(_ name: String) throws {
        let unit = try unit(name)
        if try status(name) != .running { return }
        try act(name, ["systemctl", "stop", unit])
        try waiter(name).wait(for: "stopped", reached: { $0 == .stopped || $0 == .failed }) { try observe(name, unit) }
    }

    public func restart(_ name: String) throws {
        let unit = try unit(name)
        _ = try status(name)
        try act(name, ["systemctl", "restart", unit])
        try waiter(name).wait(for: "running", reached: { $0 == .running }, failsFast: { $0 == .failed }) {
            try observe(name, unit)
        }
    }

    /// The unit of `name`, or ``ServiceError/Kind/unknownService``.
    private func unit(_ name: String) throws -> String {
        guard let unit = units[name] else {
            throw ServiceError(.unknownService, service: name, "no systemd service named \(name) is defined")
        }
        return unit
    }

    private func waiter(_ name: String) -> StateWaiter {
        StateWaiter(service: name, limit: waitLimit, interval: pollInterval)
    }

    /// One `systemctl show` reading.
    private func observe(_ name: String, _ unit: String) throws -> ObservedState {
        let arguments = ["systemctl", "show", "--property=ActiveState,SubState,LoadState", unit]
        let output = try run(name, arguments)
        guard output.status == 0, let state = SystemdUnitState.parse(output.standardOutput) else {
            throw ServiceError(.backendUnavailable, service: name,
                               CommandError(arguments: arguments, reason: "exited with status \(output.status)", output: output).description)
        }
        if state.isMissing {
            throw ServiceError(.unknownService, service: name, "systemd has no unit \(unit)")
        }
        return state.observed
    }

    /// Runs a state-changing `systemctl` command and requires success.
    private func act(_ name: String, _ arguments: [String]) throws {
        let output = try run(name, arguments)
        guard output.status == 0 else {
            throw ServiceError(.actionFailed, service: name,
                               CommandError(arguments: arguments, reason: "exited with status \(output.status)", output: output).description)
        }
    }

    private func run(_ name: String, _ arguments: [String]) throws -> CommandOutput {
        do {
            return try runner.run(arguments, timeout: waitLimit)
        } catch {
            throw ServiceError(.backendUnavailable, service: name, "\(error)")
        }
    }
}
