import Files
import HostSystem
import Services
import Volumes

/// Turns an agent's reported failure back into the error its backend would have thrown locally.
enum AgentErrors {
    static func error(for failure: AgentFailure, server: String, host: String) -> any Error {
        switch failure {
        case .files(let message): FileAreaError(message)
        case .fileTooLarge(let path, let size): FileTooLarge(path: path, size: size)
        case .volume(let error): error
        case .service(let error): error
        case .refused(let message): RemoteError.refused("server '\(server)' on \(host): \(message)")
        case .version(let message): RemoteError.versionMismatch("server '\(server)' on \(host): \(message)")
        case .protocolViolation(let message), .command(let message), .other(let message):
            RemoteError.protocolError("server '\(server)' on \(host): \(message)")
        }
    }
}
