import Foundation

/// Row 9 (issue 29): phasekit next to pyinfra and Ansible on three sshd hosts of 127.0.0.1,
/// and the floor. Knobs: PHASEKIT_BENCH_PEER_SIZES ("200,2000"), PHASEKIT_BENCH_PEER_RUNS (3),
/// PHASEKIT_BENCH_PEER_SCALE=1 (20,000 files per host, phasekit and pyinfra, one run),
/// PHASEKIT_BENCH_PEER_SAFETY=0 (skip the safety column), PHASEKIT_BENCH_PEER_TOOLS
/// ("phasekit,pyinfra,ansible": phasekit and the floor are always measured).
enum PeerBench {
    static let environment = ProcessInfo.processInfo.environment

    static func run(directory: String, details: inout [String]) throws -> [ResultRow] {
        let sizes = (environment["PHASEKIT_BENCH_PEER_SIZES"] ?? "200,2000").split(separator: ",").compactMap { Int($0) }
        let runs = max(1, environment["PHASEKIT_BENCH_PEER_RUNS"].flatMap { Int($0) } ?? 3)
        let phasekit = releaseDirectory() + "/phasekit"
        let venv = buildDirectory() + "/bench-venv/bin"
        let log = buildDirectory() + "/bench-peers-output.log"
        // The previous run's log: none is fine.
        try? FileManager.default.removeItem(atPath: log)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var peers = PeerVersions.find(venv: venv, directory: directory)
        let chosen = Set((environment["PHASEKIT_BENCH_PEER_TOOLS"] ?? "phasekit,pyinfra,ansible").split(separator: ",").map(String.init))
        if !chosen.contains("pyinfra"), peers.pyinfra != nil { peers.pyinfra = nil; peers.missing.append("pyinfra: left out by PHASEKIT_BENCH_PEER_TOOLS") }
        if !chosen.contains("ansible"), peers.ansible != nil { peers.ansible = nil; peers.missing.append("ansible-core: left out by PHASEKIT_BENCH_PEER_TOOLS") }
        details.append(PeerVersions.describe(peers, phasekit: phasekit, directory: directory, log: log))
        let hosts = try PeerHosts(directory: directory + "/hosts")
        defer { hosts.stop() }
        var rows: [ResultRow] = []
        var ansibleWithinTwoMinutes: Bool?
        var measuredSizes = sizes.map { ($0, runs, false) }
        if environment["PHASEKIT_BENCH_PEER_SCALE"] == "1" { measuredSizes.append((20_000, 1, true)) }
        for (size, sizeRuns, scale) in measuredSizes {
            let workload = PeerWorkload(files: size, hosts: hosts.names.count)
            var kinds: [PeerTool.Kind] = [.phasekit] + (peers.pyinfra != nil ? [.pyinfra] : [])
            var skipped: [String] = peers.missing
            if peers.ansible != nil, !scale {
                if size <= 200 || ansibleWithinTwoMinutes != false { kinds.append(.ansible) } else {
                    skipped.append("ansible-core at \(size): a phase took 2 minutes or more at 200 files per host")
                }
            }
            if scale { skipped.append("ansible-core at 20,000: not measured (issue 29 item 4 is phasekit and pyinfra)") }
            var samples: [PeerTool.Kind: [PeerPhase: [PeerSample]]] = [:]
            var problems: [String] = []
            for run in 0..<sizeRuns {
                let order = (0..<kinds.count).map { kinds[($0 + run) % kinds.count] }
                for kind in order {
                    let tool = try PeerTool(kind, directory: "\(directory)/\(kind.rawValue)-\(size)", hosts: hosts, workload: workload,
                                            program: kind == .phasekit ? phasekit : venv)
                    let cycle = try PeerMeasure.cycle(tool, log: log)
                    for (phase, sample) in cycle.samples { samples[kind, default: [:]][phase, default: []].append(sample) }
                    problems += cycle.problems.map { "run \(run + 1): \($0)" }
                    if kind == .phasekit {
                        // phasekit's reports of a big apply are megabytes each (issue 29 item 3): not kept between runs.
                        try? FileManager.default.removeItem(atPath: tool.directory + "/state/reports")
                    }
                }
            }
            let medians = samples.mapValues { $0.mapValues(PeerMedian.init) }
            if size == 200, let ansible = medians[.ansible] { ansibleWithinTwoMinutes = ansible.values.allSatisfy { $0.wall < 120e9 } }
            let floor = scale ? nil : try PeerFloor.measure(hosts: hosts, workload: workload, phasekit: phasekit, runs: sizeRuns, directory: directory)
            rows += PeerReport.rows(size: size, medians: medians, floor: floor, runs: sizeRuns)
            details.append(PeerReport.detail(size: size, workload: workload, medians: medians, floor: floor, runs: sizeRuns,
                                             order: kinds.map(\.rawValue), skipped: skipped, problems: problems))
        }
        if environment["PHASEKIT_BENCH_PEER_SAFETY"] != "0" {
            details.append(try safety(hosts: hosts, peers: peers, phasekit: phasekit, venv: venv, size: sizes.min() ?? 200, directory: directory, log: log))
        }
        return rows
    }

    /// The safety column: own writes seen by the dry run, and a host lost in the middle of an apply.
    static func safety(hosts: PeerHosts, peers: PeerVersions, phasekit: String, venv: String, size: Int, directory: String, log: String) throws -> String {
        var kinds: [PeerTool.Kind] = [.phasekit]
        if peers.pyinfra != nil { kinds.append(.pyinfra) }
        if peers.ansible != nil { kinds.append(.ansible) }
        var lines = ["### Row 9: safety, observed", "",
                     "| tool | dry run sees its own earlier write (same file put twice) | peer2's sshd and sessions killed mid-apply (\(size) files per host) |",
                     "|---|---|---|"]
        for kind in kinds {
            let program = kind == .phasekit ? phasekit : venv
            let own: String
            do { own = try PeerSafety.seesOwnWrites(kind, hosts: hosts, program: program, directory: "\(directory)/safety-\(kind.rawValue)", log: log) } catch {
                own = "failed: \(error)"
            }
            let loss: String
            do {
                loss = try PeerSafety.hostLoss(kind, workload: PeerWorkload(files: size, hosts: hosts.names.count), program: program,
                                               directory: "\(directory)/loss-\(kind.rawValue)", log: log)
            } catch {
                loss = "failed: \(error)"
            }
            lines.append("| \(kind == .ansible ? "ansible-core" : kind.rawValue) | \(own) | \(loss.replacingOccurrences(of: "|", with: "/")) |")
        }
        return lines.joined(separator: "\n")
    }
}
