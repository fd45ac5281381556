/// Failures of the engine itself, as opposed to script errors (``LuaRuntime/LuaError``).
public enum PhaseKitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The site or its settings are missing or wrong; the message names the file and line.
    case configuration(String)
    /// A binding was used wrongly (unknown volume, bad size, path outside the site).
    case binding(String)
    /// A precondition of the procedure is not met (`phase.precondition`: a required service is down); exit 3.
    case precondition(String)
    /// The operator or the situation refused the run (not confirmed, lock held, stale plan).
    case refused(String)
    /// A bug: something the engine should have prevented.
    case `internal`(String)

    public var description: String {
        switch self {
        case .configuration(let message), .binding(let message), .precondition(let message),
             .refused(let message), .internal(let message):
            message
        }
    }
}
