import Foundation

/// Three test hosts for the peer benchmarks (row 9): one private `sshd` each on a 127.0.0.1
/// port, aliases `peer1`..`peer3` in a generated ssh_config, known_hosts checked, `LogLevel
/// VERBOSE` so that every connection ("Accepted publickey") and every session ("Starting
/// session") is in the host's log.
///
/// The hosts run as the current user with that user's login shell. `SetEnv SHLVL=1` makes every
/// remote command's bash see itself nested (bash reads `~/.bashrc` for a command run by sshd
/// only at shell level 1), so a slow `~/.bashrc` (this machine's runs `pyenv init`) is not paid
/// per command by the tools that run one command per operation.
///
/// Host CPU: each sshd runs in the foreground (`-D`) as a child of this process, so it reaps
/// its connection processes, which reap their sessions: the listener's `cutime + cstime` in
/// /proc/PID/stat, once no session is left, is the CPU of everything the host ran.
struct PeerHosts {
    let directory: String
    let user: String
    let ports: [Int]
    let listeners: [SpawnedProcess]
    var config: String { directory + "/ssh_config" }
    var clientKey: String { directory + "/client_key" }
    var knownHosts: String { directory + "/known_hosts" }
    var names: [String] { (1...ports.count).map { "peer\($0)" } }

    init(directory: String, count: Int = 3) throws {
        self.directory = directory
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd") else {
            throw BenchError("sshd is missing (make bench installs openssh-server through test-deps)")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        guard try SpawnedProcess.run(["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", directory + "/client_key"]).status == 0 else {
            throw BenchError("ssh-keygen failed")
        }
        try FileManager.default.copyItem(atPath: directory + "/client_key.pub", toPath: directory + "/authorized_keys")
        user = NSUserName()
        let base = Int.random(in: 40_000...59_000)
        ports = (0..<count).map { base + $0 * 7 }
        var knownLines: [String] = []
        var configText = ""
        for (index, port) in ports.enumerated() {
            let host = "\(directory)/host\(index + 1)"
            try FileManager.default.createDirectory(atPath: host, withIntermediateDirectories: true)
            guard try SpawnedProcess.run(["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", host + "/host_key"]).status == 0 else {
                throw BenchError("ssh-keygen failed")
            }
            let key = try readText(host + "/host_key.pub").split(separator: " ").prefix(2).joined(separator: " ")
            // OpenSSH clients check by alias; paramiko (pyinfra) by [address]:port.
            knownLines += ["peer\(index + 1) \(key)", "[127.0.0.1]:\(port) \(key)"]
            try """
                Port \(port)
                ListenAddress 127.0.0.1
                HostKey \(host)/host_key
                AuthorizedKeysFile \(directory)/authorized_keys
                PidFile none
                StrictModes no
                UsePAM no
                PermitRootLogin prohibit-password
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                MaxStartups 100:30:200
                MaxSessions 100
                Subsystem sftp /usr/lib/openssh/sftp-server
                SetEnv SHLVL=1
                LogLevel VERBOSE

                """.write(toFile: host + "/sshd_config", atomically: true, encoding: .utf8)
            configText += """
                Host peer\(index + 1)
                  HostName 127.0.0.1
                  Port \(port)
                  User \(user)
                  IdentityFile \(directory)/client_key
                  IdentitiesOnly yes
                  UserKnownHostsFile \(directory)/known_hosts
                  GlobalKnownHostsFile /dev/null
                  HostKeyAlias peer\(index + 1)
                  LogLevel ERROR

                """
        }
        try (knownLines.joined(separator: "\n") + "\n").write(toFile: directory + "/known_hosts", atomically: true, encoding: .utf8)
        try configText.write(toFile: directory + "/ssh_config", atomically: true, encoding: .utf8)
        listeners = try (1...count).map { index in
            let host = "\(directory)/host\(index)"
            return try SpawnedProcess(["/usr/sbin/sshd", "-D", "-f", host + "/sshd_config", "-E", host + "/sshd.log"])
        }
        for name in names {
            var reached = false
            for _ in 0..<50 where !reached {
                reached = try SpawnedProcess.run(["ssh", "-F", config, "-o", "BatchMode=yes", name, "true"]).status == 0
                if !reached { usleep(100_000) }
            }
            guard reached else { throw BenchError("cannot reach the peer host \(name) over ssh (see \(directory)/host*/sshd.log)") }
        }
    }

    /// The host's own directory (its data lives below it).
    func hostDirectory(_ index: Int) -> String { "\(directory)/host\(index + 1)" }

    /// What the hosts have done so far: CPU and the log's connection and session counts.
    struct Tally {
        var cpuTicks: Int = 0
        var connections: Int = 0
        var sessions: Int = 0
        static func - (left: Tally, right: Tally) -> Tally {
            Tally(cpuTicks: left.cpuTicks - right.cpuTicks, connections: left.connections - right.connections, sessions: left.sessions - right.sessions)
        }
        var cpuNanoseconds: Double { Double(cpuTicks) * 1e9 / Double(sysconf(Int32(_SC_CLK_TCK))) }
    }

    /// Waits (up to 20 s) until no host has a connection left, then counts.
    func tally() throws -> Tally {
        for _ in 0..<200 where listeners.contains(where: { !ProcessTree.children(of: $0.pid).isEmpty }) { usleep(100_000) }
        var total = Tally()
        for (index, listener) in listeners.enumerated() {
            guard let stat = ProcessTree.stat(listener.pid) else { continue }
            // Fields 14-17 of /proc/PID/stat: utime, stime, cutime, cstime (after the command).
            total.cpuTicks += stat[11...14].compactMap { Int($0) }.reduce(0, +)
            let log = try readText(hostDirectory(index) + "/sshd.log")
            total.connections += log.components(separatedBy: "Accepted publickey").count - 1
            total.sessions += log.components(separatedBy: "Starting session:").count - 1
        }
        return total
    }

    /// Kills one host's sshd and every session under it, as a host that disappears.
    func killHost(_ index: Int) {
        let pid = listeners[index].pid
        for child in ProcessTree.descendants(of: pid) + [pid] { kill(child, SIGKILL) }
    }

    /// Stops every sshd and its sessions and removes the directory.
    func stop() {
        for index in listeners.indices { killHost(index) }
        // Reaping the bench's own sshd children: a failure to wait means nothing is left to reap.
        for listener in listeners { _ = try? listener.wait() }
        // Benchmark scratch: what cannot be removed stays in the scratch directory, measured nowhere.
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Processes by parent, from /proc.
enum ProcessTree {
    /// The fields of /proc/PID/stat after the command's closing parenthesis (state is [0]).
    static func stat(_ pid: pid_t) -> [Substring]? {
        // A process that is gone has no stat: nothing to count for it.
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: close)...].split(separator: " ")
    }

    static func children(of parent: pid_t) -> [pid_t] {
        // Listing /proc: a failure leaves no children to wait for or kill.
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { pid in stat(pid).flatMap { Int32($0[1]) } == parent }
    }

    static func descendants(of parent: pid_t) -> [pid_t] {
        let direct = children(of: parent)
        return direct + direct.flatMap { descendants(of: $0) }
    }
}
