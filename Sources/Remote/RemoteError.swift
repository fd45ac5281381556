/// Failures of the connection to an agent (not of the operation it was asked to do).
public enum RemoteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The agent could not be reached or started: ssh's own message.
    case unreachable(String)
    /// Controller and agent are different phasekit versions (or protocol versions).
    case versionMismatch(String)
    /// The connection ended or broke while a request was outstanding; the message starts with
    /// ``RemoteError/connectionLostMarker``.
    case connectionLost(String)
    /// No answer within the run's time limit.
    case timedOut
    /// The agent or the controller sent something the protocol does not allow.
    case protocolError(String)
    /// An agent started `--read-only` refused a write.
    case refused(String)

    /// Said by every lost connection: what a write that failed this way says (it is in doubt).
    public static let connectionLostMarker = "connection lost: "

    /// How every message about a server's connection starts: `server 'NAME' on HOST: `.
    public static func prefix(server: String, host: String) -> String { "server '\(server)' on \(host): " }

    /// `message` without its leading ``prefix(server:host:)`` (and, when `lost`, the
    /// ``connectionLostMarker`` after it), so that a message wrapped again says each part once.
    public static func unprefixed(_ message: String, server: String, host: String, lost: Bool = false) -> String {
        var rest = Substring(message)
        let prefix = prefix(server: server, host: host)
        if rest.hasPrefix(prefix) { rest = rest.dropFirst(prefix.count) }
        if lost && rest.hasPrefix(connectionLostMarker) { rest = rest.dropFirst(connectionLostMarker.count) }
        return String(rest)
    }

    public var description: String {
        switch self {
        case .unreachable(let message), .versionMismatch(let message), .connectionLost(let message),
             .protocolError(let message), .refused(let message):
            message
        case .timedOut: "no answer from the agent within the run's time limit"
        }
    }
}
