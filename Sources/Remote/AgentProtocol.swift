public import Services
public import Volumes

/// The request/response protocol between a controller and `phasekit agent` (docs/remote.md).
///
/// Each message is a frame: a 4-byte big-endian length, then that many bytes of JSON. The
/// controller sends one request and reads its response before the next; the first request of a
/// connection is `hello`, which carries both phasekit versions, and any difference is refused.
public enum AgentProtocol {
    /// The protocol's own version; the phasekit versions must match as well.
    public static let version = 1
    /// The largest frame either side accepts (a file read is bounded by the run's memory limit first).
    public static let maximumFrame = 256 << 20

    /// Operations that only read. Anything else, an unknown name included, is a write, which an
    /// agent started `--read-only` refuses.
    public static let readOperations: Set<String> = [
        "hello", "echo", "host.info",
        "services.list", "services.status",
        "volumes.list", "volumes.get",
        "files.read", "files.exists", "files.list", "files.nodes",
    ]

    /// Whether `operation` changes its host.
    public static func isWrite(_ operation: String) -> Bool { !readOperations.contains(operation) }
}

/// The server configuration the controller hands its agent in `hello`: which backends serve it.
public struct AgentConfiguration: Codable, Sendable, Equatable {
    public struct Service: Codable, Sendable, Equatable {
        public var name: String
        public var command: [String]
        public var unit: String?
        public var resource: String?

        public init(name: String, command: [String] = [], unit: String? = nil, resource: String? = nil) {
            self.name = name
            self.command = command
            self.unit = unit
            self.resource = resource
        }
    }

    /// The server's name, for messages.
    public var server: String
    /// `process`, `systemd` or `pacemaker`; nil when the server has no services.
    public var servicesBackend: String?
    public var waitSeconds: Double
    public var services: [Service]
    /// `dir` or `lvm`; nil when the server has no volumes.
    public var volumesBackend: String?
    /// `dir`: the pool directory on the agent's host.
    public var volumesPath: String?
    /// `lvm`: the volume groups.
    public var volumeGroups: [String]

    public init(server: String, servicesBackend: String? = nil, waitSeconds: Double = 10, services: [Service] = [],
                volumesBackend: String? = nil, volumesPath: String? = nil, volumeGroups: [String] = []) {
        self.server = server
        self.servicesBackend = servicesBackend
        self.waitSeconds = waitSeconds
        self.services = services
        self.volumesBackend = volumesBackend
        self.volumesPath = volumesPath
        self.volumeGroups = volumeGroups
    }
}

/// One request. Only the fields its operation uses are set.
public struct AgentRequest: Codable, Sendable {
    public var id: Int
    public var op: String
    /// `hello`: the controller's protocol and phasekit versions, and the server's backends.
    public var protocolVersion: Int?
    public var phasekit: String?
    public var configuration: AgentConfiguration?
    /// A service or volume name.
    public var name: String?
    /// A path relative to the root (files), or an absolute directory (`files.nodes`).
    public var path: String?
    /// Base64 bytes: `files.write` content, `echo` payload.
    public var bytes: String?
    public var maximumBytes: Int?
    public var volume: Volume?
    public var group: String?
    public var role: VolumeRole?
    public var tag: String?
    public var size: Int64?
    /// `command.run`: the program and its arguments, and how long it may run.
    public var arguments: [String]?
    public var timeoutSeconds: Double?

    public init(id: Int = 0, op: String) {
        self.id = id
        self.op = op
    }
}

/// What a path names on the agent's host, for a planned area's resolver (`files.nodes`).
public struct AgentNode: Codable, Sendable, Equatable {
    public var name: String
    /// `file`, `directory`, `symlink`, `special` or `missing`.
    public var kind: String
    /// A symbolic link's target.
    public var target: String?
    /// A file's hard-link count.
    public var links: Int?

    public init(name: String, kind: String, target: String? = nil, links: Int? = nil) {
        self.name = name
        self.kind = kind
        self.target = target
        self.links = links
    }
}

/// A failure the agent reports: its kind tells the client which error to raise.
public struct AgentFailure: Codable, Sendable, Equatable {
    /// `refused` (read-only), `version`, `protocol`, `files`, `file-too-large`, `volume:KIND`,
    /// `service:KIND`, `command`.
    public var kind: String
    public var message: String
    /// `volume:*`/`service:*`: the volume or service; `file-too-large`: the path.
    public var subject: String?
    /// `file-too-large`: the file's size.
    public var size: Int?

    public init(kind: String, message: String, subject: String? = nil, size: Int? = nil) {
        self.kind = kind
        self.message = message
        self.subject = subject
        self.size = size
    }
}

/// The agent's answer to `hello`.
public struct AgentWelcome: Codable, Sendable, Equatable {
    public var protocolVersion: Int
    public var phasekit: String
    /// The root, canonical on the agent's host.
    public var root: String
    public var readOnly: Bool
    /// Canonical paths below the root scripts may not change (the server's dir pool).
    public var protected: [String]
    /// The host's name as it reports it.
    public var hostname: String
}

/// One response, to the request with the same id.
public struct AgentResponse: Codable, Sendable {
    public var id: Int
    public var failure: AgentFailure?
    public var welcome: AgentWelcome?
    public var services: [ServiceInfo]?
    public var state: ServiceState?
    public var volumes: [Volume]?
    public var volume: Volume?
    public var bytes: String?
    public var flag: Bool?
    public var names: [String]?
    public var nodes: [AgentNode]?
    /// `command.run`: exit status and output.
    public var status: Int32?
    public var standardOutput: String?
    public var standardError: String?
    /// `host.info`: the tools found (systemctl, crm_resource, lvs) with their paths.
    public var tools: [String: String]?

    public init(id: Int) {
        self.id = id
    }
}
