import Foundation

/// The safety column of row 9 (issue 29, item 5), observed, not assumed.
enum PeerSafety {
    /// Whether a tool's dry run sees its own earlier operation in the same run: the same file is
    /// put twice with the same content (the second put is no change once the first happened).
    /// A dry run that sees its own operations counts what the apply counts (3, one per host).
    static func seesOwnWrites(_ kind: PeerTool.Kind, hosts: PeerHosts, program: String, directory: String, log: String) throws -> String {
        let roots = hosts.names.indices.map { hosts.hostDirectory($0) }
        for root in roots {
            try FileManager.default.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
            let probe = root + "/data/probe.txt"
            if FileManager.default.fileExists(atPath: probe) { try FileManager.default.removeItem(atPath: probe) }
        }
        let script: String
        switch kind {
        case .phasekit:
            script = """
                for host = 1, \(hosts.names.count) do
                  local f = files.on("peer" .. host)
                  for _ = 1, 2 do
                    if not f.exists("data/probe.txt") or f.read("data/probe.txt") ~= "A" then f.write("data/probe.txt", "A") end
                  end
                end

                """
        case .pyinfra:
            script = """
                from io import StringIO
                from pyinfra import host
                from pyinfra.operations import files
                for put in (1, 2):
                    files.put(name="probe%d" % put, src=StringIO("A"), dest=host.data.root + "/data/probe.txt")

                """
        case .ansible:
            let task = "    - copy: { dest: \"{{ root }}/data/probe.txt\", content: \"A\" }\n"
            script = "- hosts: all\n  gather_facts: false\n  tasks:\n" + task + task
        }
        let tool = try PeerTool(kind, directory: directory, hosts: hosts, workload: PeerWorkload(files: 2, hosts: hosts.names.count),
                                program: program, script: script)
        let dry = try PeerMeasure.phase(tool, .dryRun, log: log).0.changes
        let applied = try PeerMeasure.phase(tool, .apply, log: log).0.changes
        guard let dry, let applied else { return "could not read its output (see the log)" }
        return dry == applied ? "yes: dry run \(dry) = apply \(applied)" : "no: dry run \(dry), apply \(applied)"
    }

    /// Starts an apply of `workload`, kills peer2's sshd and sessions as soon as the first change
    /// shows on a host, and reports the tool's exit status, its last words and what each host holds.
    static func hostLoss(_ kind: PeerTool.Kind, workload: PeerWorkload, program: String, directory: String, log: String) throws -> String {
        let hosts = try PeerHosts(directory: directory + "/hosts")
        defer { hosts.stop() }
        let roots = hosts.names.indices.map { hosts.hostDirectory($0) }
        let tool = try PeerTool(kind, directory: directory + "/tool", hosts: hosts, workload: workload, program: program)
        try workload.reset(roots: roots)
        let command = tool.command(.apply)
        let output = directory + "/host-loss.out"
        // A data directory that cannot be listed reads as empty: a change from the start all the same.
        let listings = { roots.map { root in Set((try? FileManager.default.contentsOfDirectory(atPath: root + "/data")) ?? []) } }
        let initial = listings()
        // phasekit's words for the operator, not its JSON report.
        let child = try SpawnedProcess(command.arguments.filter { $0 != "--json" }, environment: command.environment, outputPath: output)
        // The first change on any host (a name added or gone in a data directory) starts the loss.
        var finished = false
        while listings() == initial, !finished, Double(monotonicNanoseconds() - child.started) < 600e9 {
            usleep(10_000)
            finished = ProcessTree.stat(child.pid)?.first == "Z"
        }
        let delay = Double(monotonicNanoseconds() - child.started)
        hosts.killHost(1)
        let killedAt = monotonicNanoseconds()
        // A tool that hangs without its host is a finding: it is killed after 5 minutes.
        let watchdog = DispatchWorkItem { kill(child.pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 300, execute: watchdog)
        let cost = try child.wait()
        watchdog.cancel()
        tool.afterPhase()
        let after = Double(monotonicNanoseconds() - killedAt)
        let text = try readText(output)
        // Kept for the operator with the other tools' output; a failure loses only that copy.
        try? appendText("==== \(tool.name) apply, peer2 lost (exit \(cost.status))\n\(clipped(text))\n", to: log)
        let states = roots.enumerated().map { offset, root in
            let counts = workload.hostCounts(root: root, host: offset + 1)
            // A host whose directory cannot be listed shows no leftovers here (its counts say missing).
            let names = (try? FileManager.default.contentsOfDirectory(atPath: root + "/data")) ?? []
            let leftovers = names.filter { !$0.hasPrefix("f") && !$0.hasPrefix("stale") }.sorted()
            return "peer\(offset + 1) \(counts.right)/\(workload.files) right, \(counts.extra - leftovers.count) stale"
                + (leftovers.isEmpty ? "" : " and \(leftovers.count) other (\(leftovers.prefix(2).joined(separator: ", ")))")
        }.joined(separator: ", ")
        var report = (finished ? "finished before a change showed; " : "") + "killed at \(formatDuration(nanoseconds: delay)); exit \(cost.status) after \(formatDuration(nanoseconds: after)) more; "
            + "said \"\(PeerOutput.lastWords(text))\"; left \(states)"
        if kind == .phasekit {
            let history = directory + "/history.out"
            _ = try SpawnedProcess.run([program, "history", "--site", tool.directory], outputPath: history)
            let last = try readText(history).split(separator: "\n").last.map(String.init) ?? "nothing"
            report += "; `phasekit history`: \"\(last.split(separator: " ", omittingEmptySubsequences: true).dropFirst(3).joined(separator: " "))\""
        }
        return report
    }
}
