import Files
public import Services
public import Volumes

/// A failure the agent reports instead of an answer; the controller raises it again as the error
/// its backend would have thrown locally (``AgentErrors``).
public enum AgentFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// A write asked of an agent started `--read-only`.
    case refused(String)
    /// The controller's protocol or phasekit version is not the agent's.
    case version(String)
    /// A request the protocol does not allow: unknown operation, missing field, no `hello` first.
    case protocolViolation(String)
    /// A file operation failed (confinement, protection, the file system).
    case files(String)
    case fileTooLarge(path: String, size: Int)
    case volume(VolumeError)
    case service(ServiceError)
    /// `command.run` could not run its command.
    case command(String)
    /// Any other failure of a backend.
    case other(String)

    /// The failure's kind on the wire.
    public enum Kind: String, Sendable, Codable {
        case refused, version, files, volume, service, command
        case protocolViolation = "protocol"
        case fileTooLarge = "file-too-large"
        case other = "error"
    }

    public var kind: Kind {
        switch self {
        case .refused: .refused
        case .version: .version
        case .protocolViolation: .protocolViolation
        case .files: .files
        case .fileTooLarge: .fileTooLarge
        case .volume: .volume
        case .service: .service
        case .command: .command
        case .other: .other
        }
    }

    public var message: String {
        switch self {
        case .refused(let message), .version(let message), .protocolViolation(let message), .files(let message),
             .command(let message), .other(let message):
            message
        case .fileTooLarge(let path, let size): FileTooLarge(path: path, size: size).description
        case .volume(let error): error.message
        case .service(let error): error.message
        }
    }

    public var description: String { message }
}

/// The wire form: `{kind, message, subject?, reason?, size?}` (docs/remote.md).
extension AgentFailure: Codable {
    private enum Field: String, CodingKey {
        case kind, message, subject, reason, size
    }

    public init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: Field.self)
        let message = try fields.decode(String.self, forKey: .message)
        func subject() throws -> String { try fields.decode(String.self, forKey: .subject) }
        func reason<Reason: RawRepresentable<String>>(_: Reason.Type) throws -> Reason {
            let text = try fields.decode(String.self, forKey: .reason)
            guard let reason = Reason(rawValue: text) else {
                throw DecodingError.dataCorruptedError(forKey: .reason, in: fields, debugDescription: "unknown reason '\(text)'")
            }
            return reason
        }
        self = switch try fields.decode(Kind.self, forKey: .kind) {
        case .refused: .refused(message)
        case .version: .version(message)
        case .protocolViolation: .protocolViolation(message)
        case .files: .files(message)
        case .fileTooLarge: .fileTooLarge(path: try subject(), size: try fields.decode(Int.self, forKey: .size))
        case .volume: .volume(VolumeError(try reason(VolumeError.Kind.self), volume: try subject(), message))
        case .service: .service(ServiceError(try reason(ServiceError.Kind.self), service: try subject(), message))
        case .command: .command(message)
        case .other: .other(message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var fields = encoder.container(keyedBy: Field.self)
        try fields.encode(kind, forKey: .kind)
        try fields.encode(message, forKey: .message)
        switch self {
        case .refused, .version, .protocolViolation, .files, .command, .other: break
        case .fileTooLarge(let path, let size):
            try fields.encode(path, forKey: .subject)
            try fields.encode(size, forKey: .size)
        case .volume(let error):
            try fields.encode(error.volume, forKey: .subject)
            try fields.encode(error.kind.rawValue, forKey: .reason)
        case .service(let error):
            try fields.encode(error.service, forKey: .subject)
            try fields.encode(error.kind.rawValue, forKey: .reason)
        }
    }
}
