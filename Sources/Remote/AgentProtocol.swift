public import Files
public import Services
public import Volumes

/// The request/response protocol between a controller and `phasekit agent` (docs/remote.md).
///
/// Each message is a frame: a 4-byte big-endian length, then that many bytes of JSON. The
/// controller sends one request and reads its response before the next; the first request of a
/// connection is `hello`, which carries both phasekit versions, and any difference is refused.
/// Requests are ``AgentRequest`` (an ``AgentOperation``), answers ``AgentAnswer`` (an
/// ``AgentResponse``), failures ``AgentFailure``.
///
/// Version 4: a change may carry `batch` (sent without waiting for its answer; after one change
/// of a batch fails, the agent refuses the batch's later ones). Version 3: an answer carries exactly one result field, a write's is `done: true` and
/// `command.run`'s is `output: {status, standardOutput, standardError}` (version 2 answered a
/// write with no field and `command.run` with three). Version 2: a volume or service failure
/// names its kind in `reason` (version 1 wrote `volume:KIND` in `kind`).
public enum AgentProtocol {
    /// The protocol's own version; the phasekit versions must match as well.
    public static let version = 4
    /// The largest frame either side accepts (a file read is bounded by the run's memory limit first).
    public static let maximumFrame = 256 << 20
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

/// What a path names on the agent's host, for a planned area's resolver (`files.nodes`), and
/// with `files.contents` the content of a small regular file.
///
/// On the wire: `{name, kind, target?, links?, content?}`, `kind` one of `file`, `directory`,
/// `symlink`, `special`, `missing`; `content` is base64.
public struct AgentNode: Sendable, Equatable {
    public var name: String
    public var node: FileNode
    /// A file's hard-link count.
    public var links: Int?
    /// `files.contents`: the file's bytes (base64), when they fit its bounds.
    public var content: String?

    public init(name: String, node: FileNode, links: Int? = nil, content: String? = nil) {
        self.name = name
        self.node = node
        self.links = links
        self.content = content
    }
}

extension AgentNode: Codable {
    private enum Field: String, CodingKey {
        case name, kind, target, links, content
    }

    public init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: Field.self)
        name = try fields.decode(String.self, forKey: .name)
        links = try fields.decodeIfPresent(Int.self, forKey: .links)
        content = try fields.decodeIfPresent(String.self, forKey: .content)
        let kind = try fields.decode(String.self, forKey: .kind)
        node = switch kind {
        case "file": .file
        case "directory": .directory
        case "symlink": .symlink(try fields.decode(String.self, forKey: .target))
        case "missing": .missing
        case "special": .special
        default: throw DecodingError.dataCorruptedError(forKey: .kind, in: fields, debugDescription: "unknown node kind '\(kind)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var fields = encoder.container(keyedBy: Field.self)
        try fields.encode(name, forKey: .name)
        try fields.encodeIfPresent(links, forKey: .links)
        try fields.encodeIfPresent(content, forKey: .content)
        switch node {
        case .file: try fields.encode("file", forKey: .kind)
        case .directory: try fields.encode("directory", forKey: .kind)
        case .symlink(let target):
            try fields.encode("symlink", forKey: .kind)
            try fields.encode(target, forKey: .target)
        case .missing: try fields.encode("missing", forKey: .kind)
        case .special: try fields.encode("special", forKey: .kind)
        }
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
