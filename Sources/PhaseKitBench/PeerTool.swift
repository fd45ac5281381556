import Foundation

/// The three phases every tool runs from the reset starting state.
enum PeerPhase: String, CaseIterable {
    case dryRun = "dry run"
    case apply = "apply"
    case again = "dry run again"
    var applies: Bool { self == .apply }
}

/// One tool of row 9 (phasekit, pyinfra, Ansible): its files for a workload, its command per
/// phase, and how many changes its output says it planned or made.
struct PeerTool {
    enum Kind: String { case phasekit, pyinfra, ansible }
    let kind: Kind
    let directory: String
    let hosts: PeerHosts
    let workload: PeerWorkload
    /// phasekit: the release binary; the others: the venv's bin directory.
    let program: String
    var name: String { kind == .ansible ? "ansible-core" : kind.rawValue }

    /// Writes the tool's site, inventory, deploy or playbook into `directory`.
    init(_ kind: Kind, directory: String, hosts: PeerHosts, workload: PeerWorkload, program: String, script: String? = nil) throws {
        self.kind = kind
        self.directory = directory
        self.hosts = hosts
        self.workload = workload
        self.program = program
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let roots = hosts.names.indices.map { hosts.hostDirectory($0) }
        switch kind {
        case .phasekit:
            let servers = hosts.names.enumerated().map { index, name in
                "  - name: \(name)\n    host: \(name)\n    root: \(roots[index])\n    phasekit: \(program)\n"
            }.joined()
            // The default wall-clock limit of a run (60 s) is lifted: at 20,000 files per host an apply takes longer.
            try "name: peers\nservers:\n\(servers)ssh:\n  config: \(hosts.config)\nlimits:\n  time_seconds: 3600\n"
                .write(toFile: directory + "/site.yaml", atomically: true, encoding: .utf8)
            try (script ?? workload.phasekitScript()).write(toFile: directory + "/peers.lua", atomically: true, encoding: .utf8)
        case .pyinfra:
            let entries = hosts.names.enumerated().map { index, name in
                "    (\"\(name)\", {\"ssh_hostname\": \"127.0.0.1\", \"ssh_port\": \(hosts.ports[index]), \"ssh_user\": \"\(hosts.user)\", "
                    + "\"ssh_key\": \"\(hosts.clientKey)\", \"ssh_known_hosts_file\": \"\(hosts.knownHosts)\", "
                    + "\"ssh_strict_host_key_checking\": \"yes\", \"root\": \"\(roots[index])\", \"index\": \(index + 1)}),\n"
            }.joined()
            try "peers = [\n\(entries)]\n".write(toFile: directory + "/inventory.py", atomically: true, encoding: .utf8)
            try (script ?? workload.pyinfraDeploy()).write(toFile: directory + "/deploy.py", atomically: true, encoding: .utf8)
        case .ansible:
            let inventory = hosts.names.enumerated().map { index, name in
                "\(name) root=\(roots[index]) index=\(index + 1)\n"
            }.joined()
            try "[peers]\n\(inventory)".write(toFile: directory + "/inventory.ini", atomically: true, encoding: .utf8)
            try """
                [defaults]
                inventory = \(directory)/inventory.ini
                forks = 3
                host_key_checking = True
                retry_files_enabled = False
                interpreter_python = /usr/bin/python3
                local_tmp = \(directory)/local-tmp
                remote_tmp = \(directory)/remote-tmp

                [ssh_connection]
                pipelining = True
                ssh_args = -F \(hosts.config) -o ControlMaster=auto -o ControlPersist=60s
                control_path = \(directory)/cp-%%p

                """.write(toFile: directory + "/ansible.cfg", atomically: true, encoding: .utf8)
            try (script ?? workload.ansiblePlaybook()).write(toFile: directory + "/playbook.yml", atomically: true, encoding: .utf8)
        }
    }

    /// The command line and environment of one phase.
    func command(_ phase: PeerPhase) -> (arguments: [String], environment: [String: String]) {
        switch kind {
        case .phasekit:
            return ([program, "run", directory + "/peers.lua", "--site", directory, "--json"] + (phase.applies ? ["--execute", "--yes"] : []), [:])
        case .pyinfra:
            // `--dry` without `-y`: with `-y` pyinfra 3 skips change detection (issue 29).
            // --chdir: pyinfra writes pyinfra-debug.log into its working directory on an error.
            return ([program + "/pyinfra", "--chdir", directory, directory + "/inventory.py", directory + "/deploy.py"] + (phase.applies ? ["-y"] : ["--dry"]),
                    ["PYINFRA_PROGRESS": "off", "TERM": "dumb", "COLUMNS": "200"])
        case .ansible:
            return ([program + "/ansible-playbook", directory + "/playbook.yml"] + (phase.applies ? [] : ["--check"]),
                    ["ANSIBLE_CONFIG": directory + "/ansible.cfg", "ANSIBLE_HOME": directory + "/home", "ANSIBLE_NOCOLOR": "1",
                     "ANSIBLE_FORCE_COLOR": "0", "ANSIBLE_PYTHON_INTERPRETER": "/usr/bin/python3",
                     // Not ~/.ansible: the hosts and the controller are this machine's current user.
                     "ANSIBLE_REMOTE_TEMP": directory + "/remote-tmp", "ANSIBLE_LOCAL_TEMP": directory + "/local-tmp", "ANSIBLE_SSH_CONTROL_PATH_DIR": directory + "/cp",
                     "ANSIBLE_PERSISTENT_CONTROL_PATH_DIR": directory + "/pcp"])
        }
    }

    /// What runs after a phase: Ansible's ControlPersist masters are told to exit, so that the
    /// hosts' sessions end and their CPU is counted.
    func afterPhase() {
        guard kind == .ansible else { return }
        for name in hosts.names {
            // A master that is already gone has nothing to stop.
            _ = try? SpawnedProcess.run(["ssh", "-F", hosts.config, "-o", "ControlPath=\(directory)/cp-%p", "-O", "exit", name])
        }
    }

    /// The changes the tool's output says it planned (dry run) or made (apply).
    func changes(output: String) throws -> Int {
        switch kind {
        case .phasekit:
            guard let data = output.data(using: .utf8),
                  let report = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let steps = report["steps"] as? [[String: Any]] else { throw BenchError("phasekit printed no JSON report") }
            return steps.flatMap { ($0["changes"] as? [[String: Any]]) ?? [] }
                .filter { ["planned", "applied"].contains($0["status"] as? String) }.count
        case .pyinfra:
            return try PeerOutput.pyinfraChanges(output)
        case .ansible:
            return output.split(separator: "\n").filter { $0.hasPrefix("changed: [") }.count
        }
    }
}
