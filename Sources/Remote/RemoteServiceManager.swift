public import Services

/// A server's services on its own host, through its agent.
public final class RemoteServiceManager: ServiceManager {
    let connection: AgentConnection
    public let backendName: String
    public let waitLimit: Duration

    public init(connection: AgentConnection, backendName: String, waitLimit: Duration) {
        self.connection = connection
        self.backendName = backendName
        self.waitLimit = waitLimit
    }

    private func send(_ operation: AgentOperation) throws -> AgentResponse {
        // A state change waits on the host for at most its wait limit; the answer may take that long.
        try connection.request(AgentRequest(operation), timeout: max(connection.requestTimeout, waitLimit + .seconds(30)))
    }

    public func list() throws -> [ServiceInfo] {
        // The agent always answers a listing: an answer without one is not "no services".
        let answer = try send(.servicesList)
        guard case .services(let services) = answer else { throw AgentResponse.unexpected(.servicesList, answer) }
        return services
    }

    public func status(_ name: String) throws -> ServiceState {
        let answer = try send(.servicesStatus(name: name))
        guard case .state(let state) = answer else { throw AgentResponse.unexpected(.servicesStatus, answer) }
        return state
    }

    public func start(_ name: String) throws { _ = try send(.servicesStart(name: name)) }
    public func stop(_ name: String) throws { _ = try send(.servicesStop(name: name)) }
    public func restart(_ name: String) throws { _ = try send(.servicesRestart(name: name)) }
}
