public import Services

/// Services as a run plans them: states read once from the real manager, then changed in memory.
///
/// Starting or stopping here only changes the planned state, so `services.status` after a planned
/// `services.start` says "running" while the real service is untouched.
public final class PlannedServiceManager: ServiceManager {
    private let real: any ServiceManager
    private var states: [String: ServiceState]?
    public var backendName: String { real.backendName }
    public var waitLimit: Duration { real.waitLimit }

    public init(real: any ServiceManager) {
        self.real = real
    }

    private func current() throws -> [String: ServiceState] {
        if let states { return states }
        let loaded = Dictionary(uniqueKeysWithValues: try real.list().map { ($0.name, $0.state) })
        states = loaded
        return loaded
    }

    public func list() throws -> [ServiceInfo] {
        try current().map { ServiceInfo(name: $0.key, state: $0.value) }.sorted { $0.name < $1.name }
    }

    public func status(_ name: String) throws -> ServiceState {
        guard let state = try current()[name] else { throw ServiceError(.unknownService, service: name, "no such service") }
        return state
    }

    private func set(_ name: String, _ state: ServiceState) throws {
        _ = try status(name)
        states?[name] = state
    }

    public func start(_ name: String) throws { try set(name, .running) }
    public func stop(_ name: String) throws { try set(name, .stopped) }
    public func restart(_ name: String) throws { try set(name, .running) }
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
