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

    private func send(_ operation: String, _ name: String? = nil) throws -> AgentResponse {
        var request = AgentRequest(op: operation)
        request.name = name
        // A state change waits on the host for at most its wait limit; the answer may take that long.
        return try connection.request(request, timeout: max(connection.requestTimeout, waitLimit + .seconds(30)))
    }

    public func list() throws -> [ServiceInfo] {
        // The agent always answers a listing: an answer without one is not "no services".
        guard let services = try send("services.list").services else { throw RemoteError.protocolError("services.list: no services in the answer") }
        return services
    }

    public func status(_ name: String) throws -> ServiceState {
        guard let state = try send("services.status", name).state else { throw RemoteError.protocolError("services.status: no state") }
        return state
    }

    public func start(_ name: String) throws { _ = try send("services.start", name) }
    public func stop(_ name: String) throws { _ = try send("services.stop", name) }
    public func restart(_ name: String) throws { _ = try send("services.restart", name) }
}
