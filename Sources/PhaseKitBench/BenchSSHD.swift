import Foundation

/// A private `sshd` on a 127.0.0.1 port for the remote benchmarks, reached through a generated
/// ssh_config: aliases `bench1`..`bench3` (one connection each), known_hosts checked.
struct BenchSSHD {
    let directory: String
    var config: String { directory + "/ssh_config" }

    init(directory: String) throws {
        self.directory = directory
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd") else {
            throw BenchError("sshd is missing (make bench installs openssh-server through test-deps)")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        for key in ["client_key", "host_key"] {
            guard try runChild(["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", directory + "/" + key]).status == 0 else {
                throw BenchError("ssh-keygen failed")
            }
        }
        try FileManager.default.copyItem(atPath: directory + "/client_key.pub", toPath: directory + "/authorized_keys")
        let hostKey = try String(contentsOfFile: directory + "/host_key.pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        let port = Int.random(in: 40_000...60_000)
        try """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(directory)/host_key
            AuthorizedKeysFile \(directory)/authorized_keys
            PidFile \(directory)/sshd.pid
            StrictModes no
            UsePAM no
            PermitRootLogin prohibit-password
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            LogLevel ERROR

            """.write(toFile: directory + "/sshd_config", atomically: true, encoding: .utf8)
        try (1...3).map { "bench\($0) \(hostKey)\n" }.joined().write(toFile: directory + "/known_hosts", atomically: true, encoding: .utf8)
        try (1...3).map { index in
            """
            Host bench\(index)
              HostName 127.0.0.1
              Port \(port)
              User root
              IdentityFile \(directory)/client_key
              IdentitiesOnly yes
              UserKnownHostsFile \(directory)/known_hosts
              GlobalKnownHostsFile /dev/null
              HostKeyAlias bench\(index)
              LogLevel ERROR

            """
        }.joined().write(toFile: config, atomically: true, encoding: .utf8)
        // sshd detaches itself once it listens and has written its pid file.
        guard try runChild(["/usr/sbin/sshd", "-f", directory + "/sshd_config", "-E", directory + "/sshd.log"]).status == 0 else {
            throw BenchError("sshd did not start (see \(directory)/sshd.log)")
        }
        let probe = try runChild(["/usr/bin/ssh", "-F", config, "-o", "BatchMode=yes", "bench1", "true"])
        guard probe.status == 0 else { throw BenchError("cannot reach the benchmark's sshd over ssh") }
    }

    /// Stops sshd (and its sessions) and removes the directory.
    func stop() {
        // Stopping the bench's own sshd: without its pid file there is nothing to stop.
        if let text = try? String(contentsOfFile: directory + "/sshd.pid", encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            kill(pid, SIGTERM)
        }
        // Benchmark scratch: what cannot be removed stays in the scratch directory, measured nowhere.
        try? FileManager.default.removeItem(atPath: directory)
    }
}
