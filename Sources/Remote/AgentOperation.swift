public import Volumes

/// One operation a controller asks of its agent, with what it needs (docs/remote.md).
///
/// Whether an operation only reads is ``Name/isRead``, answered by every case; an agent started
/// `--read-only` refuses every other one before it reaches a backend. What it answers is
/// ``Name/answer`` (an ``AgentResponse/Shape``).
public enum AgentOperation: Sendable, Equatable {
    /// The first request of a connection: versions, and the server's backends.
    case hello(AgentHello)
    /// Answers `bytes` (base64) back, for round-trip timing.
    case echo(bytes: String)
    /// The host's tools (systemctl, crm_resource, lvs) with their paths.
    case hostInfo
    case servicesList
    case servicesStatus(name: String)
    case servicesStart(name: String)
    case servicesStop(name: String)
    case servicesRestart(name: String)
    /// The whole listing, filtered on the host.
    case volumesList(VolumeFilter)
    case volumesGet(name: String)
    case volumesCreate(Volume)
    case volumesDelete(name: String)
    case volumesResize(name: String, size: Int64)
    case volumesTag(name: String, tag: String)
    case volumesUntag(name: String, tag: String)
    /// A file below the root; `maximumBytes` nil reads it whole.
    case filesRead(path: String, maximumBytes: Int?)
    case filesExists(path: String)
    case filesList(path: String)
    /// What a canonical absolute directory below the root holds (``AgentNode``), in one answer.
    case filesNodes(path: String)
    /// The same, with the content of each small regular file in it (``AgentNode/content``).
    case filesContents(path: String)
    /// Makes the writes and removals of the connection so far durable (`fsync`).
    case filesSync
    /// `bytes` is base64.
    case filesWrite(path: String, bytes: String)
    case filesRemove(path: String)
    case commandRun(arguments: [String], timeoutSeconds: Double)

    /// The operations' names on the wire (`op`).
    public enum Name: String, Sendable, CaseIterable {
        case hello, echo
        case hostInfo = "host.info"
        case servicesList = "services.list", servicesStatus = "services.status", servicesStart = "services.start"
        case servicesStop = "services.stop", servicesRestart = "services.restart"
        case volumesList = "volumes.list", volumesGet = "volumes.get", volumesCreate = "volumes.create"
        case volumesDelete = "volumes.delete", volumesResize = "volumes.resize", volumesTag = "volumes.tag"
        case volumesUntag = "volumes.untag"
        case filesRead = "files.read", filesExists = "files.exists", filesList = "files.list", filesNodes = "files.nodes"
        case filesContents = "files.contents"
        case filesWrite = "files.write", filesRemove = "files.remove", filesSync = "files.sync"
        case commandRun = "command.run"

        /// Whether the operation only reads its host. Every other one, and an unknown name, is a write.
        public var isRead: Bool {
            switch self {
            case .hello, .echo, .hostInfo, .servicesList, .servicesStatus, .volumesList, .volumesGet,
                 .filesRead, .filesExists, .filesList, .filesNodes, .filesContents:
                true
            case .servicesStart, .servicesStop, .servicesRestart, .volumesCreate, .volumesDelete, .volumesResize,
                 .volumesTag, .volumesUntag, .filesWrite, .filesRemove, .filesSync, .commandRun:
                false
            }
        }

        /// The shape of the operation's answer when it succeeds (any operation may fail instead).
        public var answer: AgentResponse.Shape {
            switch self {
            case .hello: .welcome
            case .echo, .filesRead: .bytes
            case .hostInfo: .tools
            case .servicesList: .services
            case .servicesStatus: .state
            case .volumesList: .volumes
            case .volumesGet: .volume
            case .filesExists: .flag
            case .filesList: .names
            case .filesNodes, .filesContents: .nodes
            case .commandRun: .output
            case .servicesStart, .servicesStop, .servicesRestart, .volumesCreate, .volumesDelete, .volumesResize,
                 .volumesTag, .volumesUntag, .filesWrite, .filesRemove, .filesSync:
                .done
            }
        }
    }

    /// The operation's name on the wire.
    public var name: Name {
        switch self {
        case .hello: .hello
        case .echo: .echo
        case .hostInfo: .hostInfo
        case .servicesList: .servicesList
        case .servicesStatus: .servicesStatus
        case .servicesStart: .servicesStart
        case .servicesStop: .servicesStop
        case .servicesRestart: .servicesRestart
        case .volumesList: .volumesList
        case .volumesGet: .volumesGet
        case .volumesCreate: .volumesCreate
        case .volumesDelete: .volumesDelete
        case .volumesResize: .volumesResize
        case .volumesTag: .volumesTag
        case .volumesUntag: .volumesUntag
        case .filesRead: .filesRead
        case .filesExists: .filesExists
        case .filesList: .filesList
        case .filesNodes: .filesNodes
        case .filesContents: .filesContents
        case .filesSync: .filesSync
        case .filesWrite: .filesWrite
        case .filesRemove: .filesRemove
        case .commandRun: .commandRun
        }
    }

    /// Whether the operation only reads its host.
    public var isRead: Bool { name.isRead }
}

/// What `hello` carries: the controller's protocol and phasekit versions (optional on the wire,
/// so that any controller's hello is answered with a clear version mismatch), and the server's backends.
public struct AgentHello: Sendable, Equatable {
    public var protocolVersion: Int?
    public var phasekit: String?
    public var configuration: AgentConfiguration

    public init(protocolVersion: Int? = AgentProtocol.version, phasekit: String?, configuration: AgentConfiguration) {
        self.protocolVersion = protocolVersion
        self.phasekit = phasekit
        self.configuration = configuration
    }
}

/// One request: an operation and the number its answer echoes.
public struct AgentRequest: Sendable, Equatable {
    public var id: Int
    public var operation: AgentOperation
    /// Set on a change sent without waiting for its answer (``AgentConnection/post(_:ticket:)``):
    /// once one change of a batch fails, the agent makes no later change of the same batch.
    public var batch: Int?

    public init(id: Int = 0, _ operation: AgentOperation, batch: Int? = nil) {
        self.id = id
        self.operation = operation
        self.batch = batch
    }
}
