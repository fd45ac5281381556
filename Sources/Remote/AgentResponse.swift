public import HostSystem
public import Services
public import Volumes

/// What an agent answers to one request: the result its operation promises (one case per shape,
/// with its payload), or the failure that took its place (docs/remote.md, "Protocol").
///
/// Which shape answers which operation is ``AgentOperation/Name/answer``; the controller refuses
/// any other (``AgentConnection``), so an answer is never read as a result it does not carry.
public enum AgentResponse: Sendable, Equatable {
    /// The operation failed; its backend's error, typed.
    case failure(AgentFailure)
    /// `hello`: the agent's versions, root and protections.
    case welcome(AgentWelcome)
    /// `echo`, `files.read`: base64 bytes.
    case bytes(String)
    /// `host.info`: the tools found (systemctl, crm_resource, lvs) with their paths.
    case tools([String: String])
    /// `services.list`.
    case services([ServiceInfo])
    /// `services.status`.
    case state(ServiceState)
    /// `volumes.list`: the whole listing, filtered on the host.
    case volumes([Volume])
    /// `volumes.get`: nil when there is no such volume (`null` on the wire, never a missing field).
    case volume(Volume?)
    /// `files.exists`.
    case flag(Bool)
    /// `files.list`.
    case names([String])
    /// `files.nodes`.
    case nodes([AgentNode])
    /// `command.run`: exit status and output.
    case output(CommandOutput)
    /// A write that was carried out.
    case done

    /// The field that carries a response on the wire; an answer holds exactly one.
    public enum Shape: String, Sendable, CaseIterable, CodingKey {
        case failure, welcome, bytes, tools, services, state, volumes, volume, flag, names, nodes, output, done
    }

    public var shape: Shape {
        switch self {
        case .failure: .failure
        case .welcome: .welcome
        case .bytes: .bytes
        case .tools: .tools
        case .services: .services
        case .state: .state
        case .volumes: .volumes
        case .volume: .volume
        case .flag: .flag
        case .names: .names
        case .nodes: .nodes
        case .output: .output
        case .done: .done
        }
    }

    /// The failure, when the operation failed.
    public var failure: AgentFailure? {
        if case .failure(let failure) = self { failure } else { nil }
    }

    /// Whether this may answer `operation`: its own shape, or a failure.
    public func answers(_ operation: AgentOperation.Name) -> Bool {
        shape == .failure || shape == operation.answer
    }

    /// The error for an answer of the wrong shape. ``AgentConnection`` refuses such an answer
    /// itself (the connection is then lost); a caller taking a payload out says this in its `else`.
    public static func unexpected(_ operation: AgentOperation.Name, _ response: AgentResponse) -> RemoteError {
        .protocolError("\(operation.rawValue) was answered with '\(response.shape.rawValue)', not '\(operation.answer.rawValue)'")
    }
}

/// One answer as it travels: the request's `id` and exactly one response field,
/// `{id, <shape>: payload}` (protocol version 3). An answer with no response field, two of them,
/// or a payload of the wrong type cannot be decoded: it is a protocol error, never read as state.
public struct AgentAnswer: Sendable, Equatable {
    public var id: Int
    public var response: AgentResponse

    public init(id: Int, _ response: AgentResponse) {
        self.id = id
        self.response = response
    }
}
