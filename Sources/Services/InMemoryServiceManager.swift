/// A service manager that keeps states in memory, with the same semantics as the real backends.
///
/// For tests of code above this module and for simulating a planned state: starting a running
/// service or stopping a stopped one does nothing, an undefined name is
/// ``ServiceError/Kind/unknownService``, and every state change that acted is kept in ``actions``.
/// ``setState(_:of:)`` simulates what happens behind the manager's back, such as a crash.
public final class InMemoryServiceManager: ServiceManager {
    public let backendName: String
    public let waitLimit: Duration
    /// Every action that changed a state, in order, as `"start NAME"`, `"stop NAME"` or `"restart NAME"`.
    public private(set) var actions: [String] = []
    private var states: [String: ServiceState]

    /// Creates an in-memory manager.
    ///
    /// - Parameters:
    ///   - services: each service and its initial state.
    ///   - backendName: the name it reports, `memory` unless it stands in for another backend.
    ///   - waitLimit: the limit it reports; it never waits.
    public init(services: [String: ServiceState] = [:], backendName: String = "memory", waitLimit: Duration = .seconds(10)) {
        self.states = services
        self.backendName = backendName
        self.waitLimit = waitLimit
    }

    /// Defines a service, or changes its state without recording an action (e.g. to simulate a crash).
    ///
    /// - Parameters:
    ///   - state: the new state.
    ///   - name: the service.
    public func setState(_ state: ServiceState, of name: String) {
        states[name] = state
    }

    public func list() throws -> [ServiceInfo] {
        states.keys.sorted().map { ServiceInfo(name: $0, state: states[$0] ?? .unknown) }
    }

    public func status(_ name: String) throws -> ServiceState {
        guard let state = states[name] else {
            throw ServiceError(.unknownService, service: name, "no service named \(name) is defined")
        }
        return state
    }

    public func start(_ name: String) throws {
        if try status(name) == .running { return }
        states[name] = .running
        actions.append("start \(name)")
    }

    public func stop(_ name: String) throws {
        if try status(name) == .stopped { return }
        states[name] = .stopped
        actions.append("stop \(name)")
    }

    public func restart(_ name: String) throws {
        _ = try status(name)
        states[name] = .running
        actions.append("restart \(name)")
    }
}
