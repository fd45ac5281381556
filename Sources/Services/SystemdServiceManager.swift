public import HostSystem

/// Services as systemd units, driven through `systemctl`.
///
/// Status comes from `systemctl show --property=ActiveState,SubState,LoadState UNIT`: `active`
/// (and `reloading`) is running, `inactive` stopped, `failed` failed; `activating` and
/// `deactivating` are waited out; `LoadState=not-found` is an unknown service. `start`, `stop` and
/// `restart` run `systemctl start|stop|restart UNIT`, then poll the status until the unit reached
/// the wanted state or ``waitLimit`` passed. The work is done by ``CommandServiceManager`` with
/// ``SystemdServiceCommands``.
public final class SystemdServiceManager: ServiceManager {
    public let backendName = "systemd"
    public let waitLimit: Duration
    /// The pause between two status readings while waiting.
    public let pollInterval: Duration
    private let base: CommandServiceManager<SystemdServiceCommands>

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
        base = try CommandServiceManager(commands: SystemdServiceCommands(),
                                         services: services.map { (name: $0.name, target: $0.unit) },
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
