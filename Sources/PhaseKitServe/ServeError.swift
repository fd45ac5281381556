/// Why `phasekit serve` does not start.
public enum ServeError: Error, CustomStringConvertible, Sendable {
    /// A bad option (exit 64 from the CLI).
    case usage(String)
    /// The site, the token file or the plan cannot be read, or the address cannot be listened on.
    case configuration(String)
    /// A non-loopback address without a token.
    case refused(String)

    public var description: String {
        switch self {
        case .usage(let message), .configuration(let message), .refused(let message): message
        }
    }
}
