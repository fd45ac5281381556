public import Services

/// Services as a run plans them: states read once from the real manager, then changed in memory.
///
/// Starting or stopping here only changes the planned state, so `services.status` after a planned
/// `services.start` says "running" while the real service is untouched.
///
/// The planned states live in an ``InMemoryServiceManager`` made from the real manager's list
/// on first use (so a run that never touches services never asks the real manager).
public final class PlannedServiceManager: ServiceManager {
    private let real: any ServiceManager
    private var planned: InMemoryServiceManager?
    public var backendName: String { real.backendName }
    public var waitLimit: Duration { real.waitLimit }

    public init(real: any ServiceManager) {
        self.real = real
    }

    private func current() throws -> InMemoryServiceManager {
        if let planned { return planned }
        let states = Dictionary(uniqueKeysWithValues: try real.list().map { ($0.name, $0.state) })
        let loaded = InMemoryServiceManager(services: states, backendName: real.backendName, waitLimit: real.waitLimit)
        planned = loaded
        return loaded
    }

    public func list() throws -> [ServiceInfo] { try current().list() }
    public func status(_ name: String) throws -> ServiceState { try current().status(name) }
    public func start(_ name: String) throws { try current().start(name) }
    public func stop(_ name: String) throws { try current().stop(name) }
    public func restart(_ name: String) throws { try current().restart(name) }
}

/// A server's services as bindings see them, with the site's required flags.
public final class ServiceResource {
    public let manager: any ServiceManager
    /// Services the current procedure needs running.
    public let required: Set<String>

    public init(manager: any ServiceManager, required: Set<String>) {
        self.manager = manager
        self.required = required
    }
}
