/// One service run by ``ProcessServiceManager``: a command the site defines.
public struct ProcessServiceDefinition: Sendable, Equatable, Codable {
    /// The service's name; also names its pidfile and log in the state directory.
    public var name: String
    /// The program and its arguments; the program is looked up on `PATH` unless it contains a `/`.
    public var command: [String]
    /// The directory the command starts in; `nil` keeps phasekit's current directory.
    public var workingDirectory: String?
    /// Variables added to (or replacing those of) phasekit's environment for the command.
    public var environment: [String: String]?

    /// Defines a process-managed service.
    ///
    /// - Parameters:
    ///   - name: the service's name, without `/`.
    ///   - command: the program and its arguments; must not be empty.
    ///   - workingDirectory: where the command starts; `nil` keeps phasekit's current directory.
    ///   - environment: extra environment variables for the command.
    public init(name: String, command: [String], workingDirectory: String? = nil, environment: [String: String]? = nil) {
        self.name = name
        self.command = command
        self.workingDirectory = workingDirectory
        self.environment = environment
    }
}
