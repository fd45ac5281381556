import Foundation

/// The result of one host command: its exit status and everything it printed.
public struct CommandOutput: Sendable, Equatable {
    /// The exit status; a command killed by a signal reports 128 plus the signal number.
    public var status: Int32
    /// Standard output, as bytes decoded leniently as UTF-8.
    public var standardOutput: String
    /// Standard error, as bytes decoded leniently as UTF-8.
    public var standardError: String

    public init(status: Int32, standardOutput: String = "", standardError: String = "") {
        self.status = status
        self.standardOutput = standardOutput
        self.standardError = standardError
    }
}

/// Failure to run a host command, or a command that exited non-zero when success was required.
public struct CommandError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The command line, program first.
    public var arguments: [String]
    /// What happened, in a sentence.
    public var reason: String
    /// The command's output, when it ran.
    public var output: CommandOutput?

    public init(arguments: [String], reason: String, output: CommandOutput? = nil) {
        self.arguments = arguments
        self.reason = reason
        self.output = output
    }

    public var description: String {
        var text = "\(arguments.joined(separator: " ")): \(reason)"
        if let stderr = output?.standardError.trimmingCharacters(in: .whitespacesAndNewlines), !stderr.isEmpty {
            text += ": \(stderr)"
        }
        return text
    }
}

/// Runs host commands such as `systemctl`, `crm_resource` or `lvcreate`.
///
/// Backends that drive real command-line tools take a runner instead of spawning processes
/// themselves, so their tests can replay recorded real output through ``RecordedCommandRunner``
/// while users always get ``ProcessCommandRunner``.
///
/// Requirements:
/// - `run` executes the program found on `PATH` (or at an absolute path) with exactly the given
///   arguments, never through a shell.
/// - It returns once the command exited and its output was read; a non-zero status is returned,
///   not thrown. It throws ``CommandError`` only when the command could not be run or ran past `timeout`.
public protocol CommandRunner: Sendable {
    /// Runs `arguments[0]` with the rest as its arguments.
    ///
    /// - Parameters:
    ///   - arguments: the program and its arguments.
    ///   - timeout: how long the command may run before it is killed and ``CommandError`` thrown.
    /// - Throws: ``CommandError`` when the program cannot be started or exceeds `timeout`.
    func run(_ arguments: [String], timeout: Duration) throws -> CommandOutput
}

extension CommandRunner {
    /// Runs a command and throws ``CommandError`` unless it exits 0.
    ///
    /// - Returns: the command's output.
    @discardableResult
    public func check(_ arguments: [String], timeout: Duration = .seconds(60)) throws -> CommandOutput {
        let output = try run(arguments, timeout: timeout)
        guard output.status == 0 else {
            throw CommandError(arguments: arguments, reason: "exited with status \(output.status)", output: output)
        }
        return output
    }
}
