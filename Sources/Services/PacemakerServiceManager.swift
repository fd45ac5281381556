public import HostSystem

/// Services as Pacemaker cluster resources (high availability).
///
/// `start` and `stop` set the resource's `target-role` meta attribute with
/// `crm_resource --resource R --meta --set-parameter target-role --parameter-value Started|Stopped`,
/// then poll `crm_mon --output-as=xml` until the cluster reports the resource started or stopped, or
/// ``waitLimit`` passed (stop accepts a failed resource as stopped); `restart` is stop then start. A resource that `crm_mon` does not report is an
/// unknown service. A failed resource stays failed until its failures are cleaned up
/// (`crm_resource --cleanup`), which this backend does not do on its own.
public final class PacemakerServiceManager: ServiceManager {
    public let backendName = "pacemaker"
    public let waitLimit: Duration
    /// The pause between two `crm_mon` readings while waiting.
    public let pollInterval: Duration
    let resources: [String: String]
    let runner: any CommandRunner

    /// Creates a manager for the site's cluster resources.
    ///
    /// - Parameters:
    ///   - services: the site's services and their resource ids.
    ///   - runner: runs `crm_mon` and `crm_resource`; ``ProcessCommandRunner`` for real use.
    ///   - waitLimit: the bound on every wait of a state change.
    ///   - pollInterval: the pause between two `crm_mon` readings.
    /// - Throws: ``ServiceError/Kind/backendUnavailable`` when two services share a name.
    public init(services: [PacemakerServiceDefinition], runner: any CommandRunner,
                waitLimit: Duration = .seconds(60), pollInterval: Duration = .milliseconds(500)) throws {
        var resources: [String: String] = [:]
        for service in services where resources.updateValue(service.resource, forKey: service.name) != nil {
            throw ServiceError(.backendUnavailable, service: service.name, "the service is defined twice")
        }
        self.resources = resources
        self.runner = runner
        self.waitLimit = waitLimit
        self.pollInterval = pollInterval
    }

    public func list() throws -> [ServiceInfo] {
        try resources.keys.sorted().map { ServiceInfo(name: $0, state: try status($0)) }
    }

    public func status(_ name: String) throws -> ServiceState {
        let resource = try resource(name)
        return try waiter(name).settled { try observe(name, resource) }
    }

    public func start(_ name: String) throws {
        let resource = try resource(name)
        if try status(name) == .running { return }
        try setTargetRole(name, resource, "Started")
        try waiter(name).wait(for: "running", reached: { $0 == .running }, failsFast: { $0 == .failed }) {
            try observe(name, resource)
        }
    }

    public func stop(_ name: String) throws {
        let resource = try resource(name)
        if try status(name) == .stopped { return }
        try setTargetRole(name, resource, "Stopped")
        try waiter(name).wait(for: "stopped", reached: { $0 == .stopped || $0 == .failed }) { try observe(name, resource) }
    }

    public func restart(_ name: String) throws {
        try stop(name)
        try start(name)
    }

    /// The resource of `name`, or ``ServiceError/Kind/unknownService``.
    private func resource(_ name: String) throws -> String {
        guard let resource = resources[name] else {
            throw ServiceError(.unknownService, service: name, "no pacemaker service named \(name) is defined")
        }
        return resource
    }

    private func waiter(_ name: String) -> StateWaiter {
        StateWaiter(service: name, limit: waitLimit, interval: pollInterval)
    }

    /// One `crm_mon` reading of a resource.
    private func observe(_ name: String, _ resource: String) throws -> ObservedState {
        let arguments = ["crm_mon", "--output-as=xml"]
        let output = try run(name, arguments)
        guard output.status == 0, let report = PacemakerClusterStatus.parse(output.standardOutput) else {
            throw ServiceError(.backendUnavailable, service: name,
                               CommandError(arguments: arguments, reason: "exited with status \(output.status)", output: output).description)
        }
        guard let observed = report.observed(resource) else {
            throw ServiceError(.unknownService, service: name, "the cluster has no resource \(resource)")
        }
        return observed
    }

    /// Sets the resource's `target-role` meta attribute.
    private func setTargetRole(_ name: String, _ resource: String, _ role: String) throws {
        let arguments = ["crm_resource", "--resource", resource, "--meta", "--set-parameter", "target-role",
                         "--parameter-value", role]
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
