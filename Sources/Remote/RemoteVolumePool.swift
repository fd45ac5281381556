public import Volumes

/// A server's volume pool on its own host, through its agent. A listing is one request.
public final class RemoteVolumePool: VolumePool {
    let connection: AgentConnection
    public let backendName: String

    public init(connection: AgentConnection, backendName: String) {
        self.connection = connection
        self.backendName = backendName
    }

    private func send(_ operation: AgentOperation) throws -> AgentResponse {
        try connection.request(AgentRequest(operation))
    }

    public func list(_ filter: VolumeFilter) throws -> [Volume] {
        // The agent always answers a listing (empty or not): an answer without one is not "no volumes".
        let answer = try send(.volumesList(filter))
        guard case .volumes(let volumes) = answer else { throw AgentResponse.unexpected(.volumesList, answer) }
        return volumes
    }

    public func get(_ name: String) throws -> Volume? {
        // `volume: null` is "no such volume"; an answer without the field is refused before here.
        let answer = try send(.volumesGet(name: name))
        guard case .volume(let volume) = answer else { throw AgentResponse.unexpected(.volumesGet, answer) }
        return volume
    }
    public func create(_ volume: Volume) throws { _ = try send(.volumesCreate(volume)) }
    public func delete(_ name: String) throws { _ = try send(.volumesDelete(name: name)) }
    public func resize(_ name: String, to size: Int64) throws { _ = try send(.volumesResize(name: name, size: size)) }
    public func tag(_ name: String, _ tag: String) throws { _ = try send(.volumesTag(name: name, tag: tag)) }
    public func untag(_ name: String, _ tag: String) throws { _ = try send(.volumesUntag(name: name, tag: tag)) }
}
