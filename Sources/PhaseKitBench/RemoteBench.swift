import Foundation
import PhaseKit
import Remote

/// Target 7: servers on their own hosts over a private sshd on 127.0.0.1 (see docs/remote.md).
enum RemoteBench {
    static func run(rounds: Int, directory: String) throws -> [ResultRow] {
        let sshd = try BenchSSHD(directory: directory + "/sshd")
        defer { sshd.stop() }
        let phasekit = releaseDirectory() + "/phasekit"
        return [try readVersusEcho(rounds: rounds, sshd: sshd, phasekit: phasekit, directory: directory),
                try analysis(rounds: rounds, sshd: sshd, phasekit: phasekit, directory: directory),
                try execution(rounds: rounds, sshd: sshd, phasekit: phasekit, directory: directory)]
    }

    /// 7a: `volumes.get` through the agent against `echo` on the same connection (the floor).
    static func readVersusEcho(rounds: Int, sshd: BenchSSHD, phasekit: String, directory: String) throws -> ResultRow {
        let root = directory + "/remote-read"
        try FileManager.default.createDirectory(atPath: root + "/volumes", withIntermediateDirectories: true)
        let ssh = SSHCommand(host: "bench1", configFile: sshd.config, phasekit: phasekit)
        let connection = try AgentConnection(server: "bench", host: "bench1", command: try ssh.arguments(root: root, readOnly: true),
                                             configuration: AgentConfiguration(server: "bench", volumesBackend: "dir", volumesPath: root + "/volumes"),
                                             phasekit: PhaseKitVersion.current, timeout: .seconds(60))
        defer { connection.close() }
        let calls = 2000
        let read = AgentRequest(.volumesGet(name: "lv_00001"))
        let echo = AgentRequest(.echo(bytes: ""))
        let samples = try PairedSamples.collect(rounds: rounds) {
            try timed { for _ in 0..<calls { _ = try connection.request(read) } } / Double(calls)
        } baseline: {
            try timed { for _ in 0..<calls { _ = try connection.request(echo) } } / Double(calls)
        }
        let ratio = samples.medianRatio
        return ResultRow(benchmark: "7a. remote read vs echo round trip", subject: formatDuration(nanoseconds: median(samples.subject)) + "/call",
                         baseline: formatDuration(nanoseconds: median(samples.baseline)) + "/echo", ratio: ratio, target: "<= 1.50x", passed: ratio <= 1.5,
                         note: "\(calls) `volumes.get` requests against \(calls) `echo` requests on one persistent ssh connection to an agent, \(rounds) pairs")
    }

    /// A configure site whose three servers are on `bench1`..`bench3` (their roots where they are).
    static func remoteCopy(of site: String, to copy: String, sshd: BenchSSHD, phasekit: String) throws {
        guard try runChild(["/bin/cp", "-a", "--sparse=always", site, copy]).status == 0 else { throw BenchError("cannot copy \(site)") }
        let loaded = try SiteConfiguration.load(directory: copy)
        var yaml = try String(contentsOfFile: copy + "/site.yaml", encoding: .utf8)
        for (index, server) in loaded.servers.enumerated() {
            let relative = String(server.root.dropFirst(copy.count + 1))
            yaml = yaml.replacingOccurrences(of: "    root: \(relative)\n",
                                             with: "    root: \(server.root)\n    host: bench\(index + 1)\n    phasekit: \(phasekit)\n")
        }
        try (yaml + "ssh:\n  config: \(sshd.config)\n").write(toFile: copy + "/site.yaml", atomically: true, encoding: .utf8)
    }

    /// 7b: configure analysis at 1,000 volumes per server over ssh against the same site local.
    static func analysis(rounds: Int, sshd: BenchSSHD, phasekit: String, directory: String) throws -> ResultRow {
        let local = directory + "/remote-analysis-local"
        let remote = directory + "/remote-analysis-ssh"
        try ConfigureBench.writeSite(to: local, volumes: 1000)
        try remoteCopy(of: local, to: remote, sshd: sshd, phasekit: phasekit)
        defer {
            RemoteHosts.shared.closeAll()
            // Benchmark scratch: what cannot be removed stays in the scratch directory, measured nowhere.
            try? FileManager.default.removeItem(atPath: local)
            // Benchmark scratch: what cannot be removed stays in the scratch directory, measured nowhere.
            try? FileManager.default.removeItem(atPath: remote)
        }
        // Connections are per run in the CLI; here one per server for every measured run, made once.
        try RemoteWorld.connectAll(try SiteConfiguration.load(directory: remote), readOnly: true, timeout: .seconds(600))
        _ = try ConfigureBench.run(site: remote, mode: .analyze)
        let samples = try PairedSamples.collect(rounds: rounds) {
            try timed { _ = try ConfigureBench.run(site: remote, mode: .analyze) }
        } baseline: {
            try timed { _ = try ConfigureBench.run(site: local, mode: .analyze) }
        }
        let ratio = samples.medianRatio
        return ResultRow(benchmark: "7b. configure analysis over ssh vs local, 1,000 volumes/server",
                         subject: formatDuration(nanoseconds: median(samples.subject)) + " (ssh)",
                         baseline: formatDuration(nanoseconds: median(samples.baseline)) + " (local)", ratio: ratio, target: "<= 1.50x", passed: ratio <= 1.5,
                         note: "in-process `ProcedureRunner` analysis of configure; the same generated site with its 3 servers on 3 ssh aliases "
                            + "of a private sshd on 127.0.0.1 (read-only agents, connected once); \(rounds) pairs")
    }

    /// 7c: configure execution across the 3 ssh hosts, rows concurrently against one after another.
    static func execution(rounds: Int, sshd: BenchSSHD, phasekit: String, directory: String) throws -> ResultRow {
        let master = directory + "/remote-exec-master"
        let remoteMaster = directory + "/remote-exec-ssh"
        try ConfigureBench.writeSite(to: master, volumes: 200)
        try remoteCopy(of: master, to: remoteMaster, sshd: sshd, phasekit: phasekit)
        // Benchmark scratch: what cannot be removed stays in the scratch directory, measured nowhere.
        try? FileManager.default.removeItem(atPath: master)
        // Benchmark scratch: what cannot be removed stays in the scratch directory, measured nowhere.
        defer { try? FileManager.default.removeItem(atPath: remoteMaster) }
        func once(_ concurrentRows: Int) throws -> Double {
            // The roots are absolute paths of the master: run on the master, restored from a copy after.
            let backup = directory + "/remote-exec-backup"
            guard try runChild(["/bin/cp", "-a", "--sparse=always", remoteMaster, backup]).status == 0 else { throw BenchError("cannot copy") }
            defer {
                RemoteHosts.shared.closeAll()
                stopProcesses(in: remoteMaster)
                // Benchmark scratch: what cannot be removed stays in the scratch directory, measured nowhere.
                try? FileManager.default.removeItem(atPath: remoteMaster)
                // Benchmark scratch: restoring the master copy is best effort; a later run rebuilds it.
                try? FileManager.default.moveItem(atPath: backup, toPath: remoteMaster)
            }
            try RemoteWorld.connectAll(try SiteConfiguration.load(directory: remoteMaster), readOnly: false, timeout: .seconds(600))
            return try timed { _ = try ConfigureBench.run(site: remoteMaster, mode: .execute, concurrentRows: concurrentRows) }
        }
        let samples = try PairedSamples.collect(rounds: rounds) { try once(3) } baseline: { try once(1) }
        let ratio = samples.medianRatio
        return ResultRow(benchmark: "7c. configure execution over 3 ssh hosts, concurrent vs serial",
                         subject: formatDuration(nanoseconds: median(samples.subject)) + " (3 at once)",
                         baseline: formatDuration(nanoseconds: median(samples.baseline)) + " (1 at once)", ratio: ratio, target: "<= 0.60x", passed: ratio <= 0.6,
                         note: "in-process `ProcedureRunner` execution, 200 volumes per server, each server on its own ssh connection (writable agents); "
                            + "`maximumConcurrentRows` 3 vs 1 on a fresh copy each time; \(rounds) pairs")
    }

    /// Kills every process whose working directory is inside `directory` (the services steps started).
    static func stopProcesses(in directory: String) {
        // Cleanup after measuring: finding the bench's leftover processes is best effort.
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), pid != getpid(),
                  // Cleanup after measuring: finding the bench's leftover processes is best effort.
                  let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/cwd"),
                  cwd == directory || cwd.hasPrefix(directory + "/") else { continue }
            kill(pid, SIGKILL)
        }
    }
}
