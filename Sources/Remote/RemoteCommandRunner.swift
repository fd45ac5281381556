public import HostSystem

/// Runs host commands on a server's host, through its agent (a write: a read-only agent refuses it).
public struct RemoteCommandRunner: CommandRunner {
    let connection: AgentConnection

    public init(connection: AgentConnection) {
        self.connection = connection
    }

    public func run(_ arguments: [String], timeout: Duration) throws -> CommandOutput {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        let request = AgentRequest(.commandRun(arguments: arguments, timeoutSeconds: seconds))
        let answer: AgentResponse
        do {
            answer = try connection.request(request, timeout: timeout + .seconds(30))
        } catch let failure as RemoteError {
            throw CommandError(arguments: arguments, reason: failure.description)
        }
        guard case .output(let output) = answer else {
            throw CommandError(arguments: arguments, reason: AgentResponse.unexpected(.commandRun, answer).description)
        }
        return output
    }
}
