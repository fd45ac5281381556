public import HostSystem

/// Services as Pacemaker cluster resources (high availability).
///
/// `start` and `stop` set the resource's `target-role` meta attribute with
/// `crm_resource --resource R --meta --set-parameter target-role --parameter-value Started|Stopped`,
/// then poll `crm_mon --output-as=xml` until the cluster reports the resource started or stopped, or
/// ``waitLimit`` passed (stop accepts a failed resource as stopped); `restart` is stop then start. A resource that `crm_mon` does not report is an
/// unknown service. A failed resource stays failed until its failures are cleaned up
/// (`crm_resource --cleanup`), which this backend does not do on its own. The work is done by
/// ``CommandServiceManager`` with ``PacemakerServiceCommands``.
public final class PacemakerServiceManager: ServiceManager {
    public let backendName = "pacemaker"
    public let waitLimit: Duration
    /// The pause between two `crm_mon` readings while waiting.
    public let pollInterval: Duration
    private let base: CommandServiceManager<PacemakerServiceCommands>

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
        base = try CommandServiceManager(commands: PacemakerServiceCommands(),
                                         services: services.map { (name: $0.name, target: $0.resource) },
                                         runner: runner, waitLimit: waitLimit, pollInterval: pollInterval)
        self.waitLimit = waitLimit
        self.pollInterval = pollInterval
    }

    public func list() throws -> [ServiceInfo] { try base.list() }

    public func status(_ name: String) throws -> ServiceState { try base.status(name) }

    public func start(_ name: String) throws { try base.start(name) }

    public func stop(_ name: String) throws { try base.stop(name) }

    public func restart(_ name: String) throws { try base.restart(name) }
}
