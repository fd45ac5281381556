/// What a command-driven service backend (systemd, Pacemaker) contributes to
/// ``CommandServiceManager``: which commands inspect and change a service's state, and how to read
/// the inspecting command's output.
///
/// A service is addressed by its *target*: the systemd unit or the Pacemaker resource the site maps
/// its name to.
protocol ServiceCommands: Sendable {
    /// The backend's name, as in `no systemd service named NAME is defined`.
    var backendName: String { get }
    /// The command that reports the state of `target`.
    func statusCommand(_ target: String) -> [String]
    /// Reads the status command's standard output.
    ///
    /// - Returns: `nil` when the output cannot be parsed (the backend is then unavailable), otherwise
    ///   the target's state or why the backend does not know it.
    func reading(_ output: String, of target: String) -> ServiceReading?
    /// The command that starts `target`.
    func startCommand(_ target: String) -> [String]
    /// The command that stops `target`.
    func stopCommand(_ target: String) -> [String]
    /// The command that restarts `target`, or `nil` when a restart is a stop then a start.
    func restartCommand(_ target: String) -> [String]?
    /// Whether a service in `state` needs no stop command.
    func needsNoStop(_ state: ServiceState) -> Bool
}

/// One parsed status reading of a command-driven backend.
enum ServiceReading: Sendable, Equatable {
    /// The backend reports the target in this state.
    case observed(ObservedState)
    /// The backend has no such target; the message says so in its terms.
    case missing(String)
}
