public import Volumes

/// A server's volume pool on its own host, through its agent. A listing is one request.
public final class RemoteVolumePool: VolumePool {
    let connection: AgentConnection
    public let backendName: String

    public init(connection: AgentConnection, backendName: String) {
        self.connection = connection
        self.backendName = backendName
    }

    private func send(_ operation: String, name: String? = nil, _ fill: (inout AgentRequest) -> Void = { _ in }) throws -> AgentResponse {
        var request = AgentRequest(op: operation)
        request.name = name
        fill(&request)
        return try connection.request(request)
    }

    public func list(_ filter: VolumeFilter) throws -> [Volume] {
        let answer = try send("volumes.list") {
            $0.group = filter.group
            $0.role = filter.role
            $0.tag = filter.tag
        }
        // The agent always answers a listing (empty or not): an answer without one is not "no volumes".
        guard let volumes = answer.volumes else { throw RemoteError.protocolError("volumes.list: no volumes in the answer") }
        return volumes
    }

    public func get(_ name: String) throws -> Volume? { try send("volumes.get", name: name).volume }
    public func create(_ volume: Volume) throws { _ = try send("volumes.create") { $0.volume = volume } }
    public func delete(_ name: String) throws { _ = try send("volumes.delete", name: name) }
    public func resize(_ name: String, to size: Int64) throws { _ = try send("volumes.resize", name: name) { $0.size = size } }
    public func tag(_ name: String, _ tag: String) throws { _ = try send("volumes.tag", name: name) { $0.tag = tag } }
    public func untag(_ name: String, _ tag: String) throws { _ = try send("volumes.untag", name: name) { $0.tag = tag } }
}
