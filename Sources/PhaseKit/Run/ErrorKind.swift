public import LuaRuntime

/// What kind of error stopped a step or a run; reports write it as a string (`"precondition"`,
/// `"limit:time"`, see docs/report.md).
public enum ErrorKind: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Lua syntax, a runtime error, a limit, a script file that cannot be read, the state's setup.
    case syntax, runtime, limit(LuaLimit), file, setup
    /// ``PhaseKitError`` cases.
    case configuration, binding, refused, `internal`
    /// `phase.precondition`: the run cannot go on until an operator acts (exit 3).
    case precondition
    /// Any other error.
    case other

    /// The kind of `error`.
    public init(of error: any Error) {
        if let lua = error as? LuaError {
            self = switch lua.kind {
            case .syntax: .syntax
            case .runtime: .runtime
            case .limit(let limit): .limit(limit)
            case .file: .file
            case .setup: .setup
            }
        } else if let engine = error as? PhaseKitError {
            self = switch engine {
            case .configuration: .configuration
            case .binding: .binding
            case .precondition: .precondition
            case .refused: .refused
            case .internal: .internal
            }
        } else {
            self = .other
        }
    }

    /// The kind as reports write it.
    public init?(rawValue: String) {
        if rawValue.hasPrefix("limit:") {
            guard let limit = LuaLimit(rawValue: String(rawValue.dropFirst("limit:".count))) else { return nil }
            self = .limit(limit)
            return
        }
        let plain: [String: ErrorKind] = [
            "syntax": .syntax, "runtime": .runtime, "file": .file, "setup": .setup, "configuration": .configuration,
            "binding": .binding, "refused": .refused, "internal": .internal, "precondition": .precondition, "error": .other,
        ]
        guard let kind = plain[rawValue] else { return nil }
        self = kind
    }

    public var rawValue: String {
        switch self {
        case .syntax: "syntax"
        case .runtime: "runtime"
        case .limit(let limit): "limit:\(limit.rawValue)"
        case .file: "file"
        case .setup: "setup"
        case .configuration: "configuration"
        case .binding: "binding"
        case .refused: "refused"
        case .internal: "internal"
        case .precondition: "precondition"
        case .other: "error"
        }
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        // A report written by a later phasekit may name a kind this one does not know.
        self = ErrorKind(rawValue: text) ?? .other
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
