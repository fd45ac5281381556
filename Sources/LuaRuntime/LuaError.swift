/// Which run limit stopped a script.
public enum LuaLimit: String, Sendable, Equatable, Codable {
    case memory
    case instructions
    case time
}

/// A failure raised while loading or running Lua code, with everything needed to find its cause.
///
/// The message reads `file:line: message` with the script's real path, for syntax and runtime
/// errors alike; ``traceback`` holds Lua's stack traceback when the error happened while running.
public struct LuaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The failure classes callers act on.
    public enum Kind: Sendable, Equatable {
        /// The chunk does not compile (or is not a text chunk).
        case syntax
        /// An error raised while running: `error(...)`, a failed host function, a type error.
        case runtime
        /// A run limit was exceeded; no `pcall` in the script can catch it.
        case limit(LuaLimit)
        /// The script file cannot be read.
        case file
        /// The state cannot be created or the sandbox cannot be installed.
        case setup
    }

    public var kind: Kind
    /// The message, starting with `file:line:` when Lua knows the position.
    public var message: String
    /// The script file the error points at, when known.
    public var file: String?
    /// The line in ``file``, when known.
    public var line: Int?
    /// Lua's stack traceback, when the error happened while running.
    public var traceback: String?

    public init(_ kind: Kind, _ message: String, file: String? = nil, line: Int? = nil, traceback: String? = nil) {
        self.kind = kind
        self.message = message
        self.file = file
        self.line = line
        self.traceback = traceback
    }

    public var description: String {
        guard let traceback, !traceback.isEmpty else { return message }
        return message + "\n" + traceback
    }
}

extension LuaError {
    /// Builds an error from a Lua message, reading `file:line:` from its start.
    static func parsing(_ kind: Kind, _ message: String, traceback: String? = nil) -> LuaError {
        var error = LuaError(kind, message, traceback: traceback)
        // "path:line: text" where path may itself contain ':' (rare): take the first ":<digits>:".
        let scalars = Array(message.unicodeScalars)
        var index = 0
        while index < scalars.count {
            if scalars[index] == ":" {
                var end = index + 1
                while end < scalars.count, ("0"..."9").contains(scalars[end]) { end += 1 }
                if end > index + 1, end < scalars.count, scalars[end] == ":" {
                    error.file = String(String.UnicodeScalarView(scalars[0..<index]))
                    error.line = Int(String(String.UnicodeScalarView(scalars[(index + 1)..<end])))
                    break
                }
            }
            if scalars[index] == "\n" { break }
            index += 1
        }
        return error
    }
}
