public import Foundation

/// Three test hosts: `sshd` instances on 127.0.0.1 ports, each with its own host key, the
/// client's authorized key and a root directory, reached through a generated ssh_config
/// (aliases `host1`..`host3`, known_hosts checked). Also the aliases of the faults: `badkey`
/// (host1 presenting a key known_hosts holds for another host), `unknownkey` (a host key
/// known_hosts lacks) and `closed` (a port nothing listens on). No traffic leaves 127.0.0.1.
public final class SSHHosts {
    /// A host that cannot be set up.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let directory: String
    /// The ssh_config file for `ssh -F`.
    public var config: String { directory + "/ssh_config" }
    public let ports: [Int]

    public init() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd") else {
            throw Failure(description: "sshd is missing: make test installs openssh-server (Tests/Support/install-deps.sh test)")
        }
        // Short: sshd refuses long paths in places, and the test's scratch directory is removed at exit.
        directory = "/tmp/pk-ssh-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Privilege separation needs its (empty, root-owned) directory.
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        try Self.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", directory + "/client_key"])
        let clientKey = try String(contentsOfFile: directory + "/client_key.pub", encoding: .utf8)
        var ports: [Int] = []
        var knownHosts = ""
        var hostKeys: [String] = []
        for index in 1...4 {
            let host = directory + "/host\(index)"
            try FileManager.default.createDirectory(atPath: host, withIntermediateDirectories: true)
            try Self.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", host + "/host_key"])
            let publicKey = try String(contentsOfFile: host + "/host_key.pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
            hostKeys.append(publicKey)
            ports.append(try Self.freePort())
        }
        self.ports = ports
        for index in 1...3 {
            let host = directory + "/host\(index)"
            try Data(clientKey.utf8).write(to: URL(fileURLWithPath: host + "/authorized_keys"))
            try FileManager.default.createDirectory(atPath: host + "/root", withIntermediateDirectories: true)
            try Self.sshdConfig(port: ports[index - 1], host: host).write(toFile: host + "/sshd_config", atomically: true, encoding: .utf8)
            knownHosts += "host\(index) \(hostKeys[index - 1])\n"
        }
        // `badkey` reaches host1 but known_hosts holds host4's key for it.
        knownHosts += "badkey \(hostKeys[3])\n"
        try knownHosts.write(toFile: directory + "/known_hosts", atomically: true, encoding: .utf8)
        var aliases: [(String, Int)] = (1...3).map { ("host\($0)", ports[$0 - 1]) }
        aliases += [("badkey", ports[0]), ("unknownkey", ports[1]), ("closed", ports[3])]
        try aliases.map { alias, port in
            """
            Host \(alias)
              HostName 127.0.0.1
              Port \(port)
              User root
              IdentityFile \(directory)/client_key
              IdentitiesOnly yes
              UserKnownHostsFile \(directory)/known_hosts
              GlobalKnownHostsFile /dev/null
              HostKeyAlias \(alias)
              LogLevel ERROR

            """
        }.joined().write(toFile: config, atomically: true, encoding: .utf8)
        for index in 1...3 { try start(index) }
    }

    /// The root directory of host `index` (1-3).
    public func root(_ index: Int) -> String { directory + "/host\(index)/root" }

    /// Starts sshd for host `index` and waits until it accepts connections.
    ///
    /// sshd detaches itself (no `-D`): a daemon that stays this process's child would share
    /// Foundation's child monitoring with every command the tests run.
    public func start(_ index: Int) throws {
        let host = directory + "/host\(index)"
        try Self.run(["/usr/sbin/sshd", "-f", host + "/sshd_config", "-E", host + "/sshd.log"])
        let deadline = Date().addingTimeInterval(20)
        while !Self.accepts(port: ports[index - 1]) {
            guard Date() < deadline else { throw Failure(description: "sshd for host\(index) did not start") }
            _ = poll(nil, 0, 20)
        }
        while pid(index) == nil {
            guard Date() < deadline else { throw Failure(description: "sshd for host\(index) wrote no pid file") }
            _ = poll(nil, 0, 20)
        }
    }

    /// The pid of host `index`'s sshd, from its pid file.
    public func pid(_ index: Int) -> Int32? {
        (try? String(contentsOfFile: directory + "/host\(index)/sshd.pid", encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// What tests use of the hosts while they run.
    public var handle: Handle { Handle(directory: directory, ports: ports, daemons: (1...3).map { pid($0) ?? -1 }) }

    /// The hosts as a test sees them (Sendable, for the suite's task-local value).
    public struct Handle: Sendable {
        public let directory: String
        public let ports: [Int]
        public let daemons: [Int32]
        public var config: String { directory + "/ssh_config" }
        public func root(_ index: Int) -> String { directory + "/host\(index)/root" }

        /// Ends every connection to host `index` (1-3): its sshd's session processes, sshd itself stays.
        public func cutConnections(_ index: Int) {
            SSHHosts.killChildren(of: daemons[index - 1])
        }
    }

    public static func killChildren(of parent: Int32) {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, Int32(fields[1]) == parent { kill(pid, SIGKILL) }
        }
    }

    /// Stops the daemons (and so their sessions) and removes the directory.
    public func stop() {
        for index in 1...3 {
            guard let daemon = pid(index) else { continue }
            Self.killChildren(of: daemon)
            kill(daemon, SIGTERM)
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit { stop() }

    public static func sshdConfig(port: Int, host: String) -> String {
        """
        Port \(port)
        ListenAddress 127.0.0.1
        HostKey \(host)/host_key
        AuthorizedKeysFile \(host)/authorized_keys
        PidFile \(host)/sshd.pid
        StrictModes no
        UsePAM no
        PermitRootLogin prohibit-password
        PubkeyAuthentication yes
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        AllowTcpForwarding no
        X11Forwarding no
        PrintMotd no
        LogLevel ERROR

        """
    }

    public static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(description: "\(arguments.joined(separator: " ")) failed") }
    }

    /// A port of 127.0.0.1 free right now.
    public static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in(sin_family: sa_family_t(AF_INET), sin_port: 0, sin_addr: in_addr(s_addr: inet_addr("127.0.0.1")), sin_zero: (0, 0, 0, 0, 0, 0, 0, 0))
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw Failure(description: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    public static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in(sin_family: sa_family_t(AF_INET), sin_port: in_port_t(UInt16(port).bigEndian),
                                  sin_addr: in_addr(s_addr: inet_addr("127.0.0.1")), sin_zero: (0, 0, 0, 0, 0, 0, 0, 0))
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
