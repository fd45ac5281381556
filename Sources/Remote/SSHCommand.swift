import Foundation
/// The command line that starts a server's agent on its host with the system `ssh` client.
///
/// `BatchMode=yes` (never a password or host-key prompt), host keys checked as the ssh
/// configuration says (phasekit never sets `StrictHostKeyChecking`), no terminal, and the agent's
/// arguments quoted for the remote shell.
public struct SSHCommand: Sendable, Equatable {
    /// `ssh://[user@]host[:port]` or an alias of the ssh configuration.
    public var host: String
    /// The ssh_config file (`ssh -F`), or nil for the user's.
    public var configFile: String?
    public var connectTimeoutSeconds: Int?
    /// The path of phasekit on the host.
    public var phasekit: String

    public init(host: String, configFile: String? = nil, connectTimeoutSeconds: Int? = nil, phasekit: String = "phasekit") {
        self.host = host
        self.configFile = configFile
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.phasekit = phasekit
    }

    /// The destination and port of `host`: `user@host` and the port of an `ssh://` URL, the alias as is.
    public static func destination(of host: String) throws -> (String, Int?) {
        guard host.hasPrefix("ssh://") else {
            guard !host.isEmpty, !host.hasPrefix("-"), !host.contains(where: { $0 == " " || $0 == "/" }) else {
                throw RemoteError.unreachable("'\(host)': not an ssh:// URL or an ssh_config alias")
            }
            return (host, nil)
        }
        var rest = Substring(host.dropFirst("ssh://".count))
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        var port: Int?
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("]") {
            guard let number = Int(rest[rest.index(after: colon)...]), (1...65_535).contains(number) else {
                throw RemoteError.unreachable("'\(host)': the port must be a number from 1 to 65535")
            }
            port = number
            rest = rest[..<colon]
        }
        guard !rest.isEmpty, !rest.hasPrefix("-"), !rest.contains(where: { $0 == "/" || $0 == " " }) else {
            throw RemoteError.unreachable("'\(host)': expected ssh://[user@]host[:port]")
        }
        return (String(rest), port)
    }

    /// `ssh ... HOST 'phasekit' 'agent' '--root' 'ROOT' ['--read-only']`.
    public func arguments(root: String, readOnly: Bool, extra: [String] = []) throws -> [String] {
        let (destination, port) = try Self.destination(of: host)
        var arguments = ["ssh"]
        if let configFile { arguments += ["-F", configFile] }
        arguments += ["-o", "BatchMode=yes", "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=3", "-T"]
        if let connectTimeoutSeconds { arguments += ["-o", "ConnectTimeout=\(connectTimeoutSeconds)"] }
        if let port { arguments += ["-p", String(port)] }
        let remote = [phasekit, "agent", "--root", root] + (readOnly ? ["--read-only"] : []) + extra
        arguments += ["--", destination, remote.map(Self.quoted).joined(separator: " ")]
        return arguments
    }

    /// A word quoted for a POSIX shell.
    static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
