import Foundation
import PhaseKit
import Remote

/// The floor of row 9 (issue 29, item 2): the least any tool must do for the workload, measured
/// on the same hosts in the same run, all three hosts at once:
/// - connect: `ssh peerN true` (a connection and a started command);
/// - agent: a `phasekit agent --read-only` started over ssh answering `hello`, closed;
/// - dry run: `ssh peerN 'cd ROOT/data && sha256sum -- *'` (one session that hashes every file
///   that may differ, the hashes coming back to the controller);
/// - apply: the same session then `cat > ROOT/floor.bin` of the desired contents of the files
///   that differ (the bytes that must move), read from the controller;
/// - atomic apply: the same session, then one process (`python3`) that makes each differing file
///   as a careful tool must: its bytes to a new name, renamed over the old one, and removes the
///   stale files, then `fsync`s what it wrote and the directory (what phasekit's agent does, in
///   one process instead of a request each).
struct PeerFloor {
    var connect: Double
    var agent: Double
    var dryRun: Double
    var apply: Double
    var atomicApply: Double

    /// The host side of the atomic apply: reads `NAME SIZE` lines, each followed by SIZE bytes.
    static let atomicWriter = """
        import os, sys
        r = sys.stdin.buffer
        made = []
        while True:
            head = r.readline()
            if not head: break
            name, size = head.decode().split()
            f = open(".floor-" + name, "wb"); f.write(r.read(int(size))); f.close()
            os.rename(".floor-" + name, name)
            made.append(name)
        for name in os.listdir("."):
            if name.startswith("stale"): os.unlink(name)
        for name in made:
            fd = os.open(name, os.O_RDONLY); os.fsync(fd); os.close(fd)
        fd = os.open(".", os.O_RDONLY); os.fsync(fd); os.close(fd)
        """

    static func measure(hosts: PeerHosts, workload: PeerWorkload, phasekit: String, runs: Int, directory: String) throws -> PeerFloor {
        let roots = hosts.names.indices.map { hosts.hostDirectory($0) }
        try workload.reset(roots: roots)
        var inputs: [String] = []
        for host in 1...hosts.names.count {
            let path = "\(directory)/floor-bytes-\(host)"
            try workload.differing.map { PeerWorkload.content(host: host, index: $0) }.joined()
                .write(toFile: path, atomically: true, encoding: .utf8)
            inputs.append(path)
            var records = Data()
            for index in workload.differing {
                let content = Data(PeerWorkload.content(host: host, index: index).utf8)
                records.append(Data("\(PeerWorkload.name(index)) \(content.count)\n".utf8))
                records.append(content)
            }
            try records.write(to: URL(fileURLWithPath: path + ".records"))
        }
        func ssh(_ remote: (Int) -> String, input: String? = nil) throws -> Double {
            try timed {
                let children = try hosts.names.enumerated().map { index, name in
                    try SpawnedProcess(["ssh", "-F", hosts.config, "-o", "BatchMode=yes", name, remote(index)], inputPath: input.map { inputs[index] + $0 })
                }
                for child in children {
                    guard try child.wait().status == 0 else { throw BenchError("a floor command failed on the peer hosts") }
                }
            }
        }
        let hash = { (index: Int) in "cd \(roots[index])/data && sha256sum -- *" }
        var samples: [[Double]] = Array(repeating: [], count: 5)
        for _ in 0..<runs {
            samples[0].append(try ssh { _ in "true" })
            samples[1].append(try agentRoundTrips(hosts: hosts, roots: roots, phasekit: phasekit))
            samples[2].append(try ssh(hash))
            samples[3].append(try ssh({ hash($0) + " && cat > ../floor.bin" }, input: ""))
            for root in roots { try FileManager.default.removeItem(atPath: root + "/floor.bin") }
            samples[4].append(try ssh({ hash($0) + " && python3 -c '\(atomicWriter)'" }, input: ".records"))
            if let difference = workload.difference(roots: roots) { throw BenchError("the atomic apply floor left the hosts wrong: \(difference)") }
            try workload.reset(roots: roots)
        }
        return PeerFloor(connect: median(samples[0]), agent: median(samples[1]), dryRun: median(samples[2]), apply: median(samples[3]),
                         atomicApply: median(samples[4]))
    }

    /// One read-only agent per host started over ssh, all at once, each answering `hello`, closed.
    static func agentRoundTrips(hosts: PeerHosts, roots: [String], phasekit: String) throws -> Double {
        let failures = FailureBox()
        let group = DispatchGroup()
        let config = hosts.config
        let start = monotonicNanoseconds()
        for (index, name) in hosts.names.enumerated() {
            group.enter()
            let root = roots[index]
            // One thread per host: a dispatch queue could run them in waves of the core count.
            Thread {
                defer { group.leave() }
                do {
                    let ssh = SSHCommand(host: name, configFile: config, phasekit: phasekit)
                    let connection = try AgentConnection(server: name, host: name, command: try ssh.arguments(root: root, readOnly: true),
                                                         configuration: AgentConfiguration(server: name), phasekit: PhaseKitVersion.current,
                                                         timeout: .seconds(60))
                    connection.close()
                } catch {
                    failures.add("\(name): \(error)")
                }
            }.start()
        }
        group.wait()
        let elapsed = Double(monotonicNanoseconds() - start)
        if let failure = failures.first { throw BenchError("floor agent round trip failed: \(failure)") }
        return elapsed
    }
}

/// Errors collected from threads.
final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func add(_ message: String) { lock.withLock { messages.append(message) } }
    var first: String? { lock.withLock { messages.first } }
}
