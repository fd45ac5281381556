import Files
import HostSystem
import Services
import Volumes

/// Turns an agent's reported failure back into the error its backend would have thrown locally.
enum AgentErrors {
    static func error(for failure: AgentFailure, server: String, host: String) -> any Error {
        let parts = failure.kind.split(separator: ":", maxSplits: 1).map(String.init)
        switch parts[0] {
        case "files": return FileAreaError(failure.message)
        case "file-too-large": return FileTooLarge(path: failure.subject ?? "", size: failure.size ?? 0)
        case "volume":
            let kind = parts.count > 1 ? VolumeError.Kind(rawValue: parts[1]) : nil
            return VolumeError(kind ?? .backendFailure, volume: failure.subject ?? "", failure.message)
        case "service":
            let kind = parts.count > 1 ? ServiceError.Kind(rawValue: parts[1]) : nil
            return ServiceError(kind ?? .actionFailed, service: failure.subject ?? "", failure.message)
        case "refused": return RemoteError.refused("server '\(server)' on \(host): \(failure.message)")
        case "version": return RemoteError.versionMismatch("server '\(server)' on \(host): \(failure.message)")
        default: return RemoteError.protocolError("server '\(server)' on \(host): \(failure.message)")
        }
    }
}
