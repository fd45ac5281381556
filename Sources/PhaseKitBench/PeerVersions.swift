import Foundation

/// The peers found in the bench's virtual environment (`.build/bench-venv`, which `make bench`
/// creates with pip) and the versions every figure of row 9 depends on.
struct PeerVersions {
    /// `pyinfra --version`, nil when the venv has no pyinfra.
    var pyinfra: String?
    /// The first line of `ansible-playbook --version`, nil when the venv has no ansible-core.
    var ansible: String?
    /// Why a peer is not measured.
    var missing: [String]

    static func find(venv: String, directory: String) -> PeerVersions {
        var found = PeerVersions(missing: [])
        let why = "not in \(venv) (make bench installs it from PyPI into .build/bench-venv; see .build/bench-venv.log)"
        if FileManager.default.isExecutableFile(atPath: venv + "/pyinfra") {
            found.pyinfra = capture([venv + "/pyinfra", "--version"], directory: directory)
        } else {
            found.missing.append("pyinfra: " + why)
        }
        if FileManager.default.isExecutableFile(atPath: venv + "/ansible-playbook") {
            found.ansible = capture([venv + "/ansible-playbook", "--version"], directory: directory)?.split(separator: "\n").first { $0.hasPrefix("ansible-playbook") }.map(String.init)
        } else {
            found.missing.append("ansible-core: " + why)
        }
        return found
    }

    /// What a command prints (standard output and error), trimmed; nil when it cannot run or fails.
    static func capture(_ arguments: [String], directory: String) -> String? {
        let path = directory + "/capture.out"
        // A version that cannot be found is printed as unknown; the measurement does not depend on it.
        try? FileManager.default.removeItem(atPath: path)
        guard let cost = try? SpawnedProcess.run(arguments, outputPath: path), cost.status == 0,
              // As above: unknown, not an error.
              let text = try? readText(path) else { return nil }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The versions paragraph printed with row 9's tables.
    static func describe(_ peers: PeerVersions, phasekit: String, directory: String, log: String) -> String {
        let repository = URL(fileURLWithPath: buildDirectory()).deletingLastPathComponent().path
        let commit = capture(["git", "-C", repository, "describe", "--always", "--dirty"], directory: directory) ?? "unknown"
        let python = capture([buildDirectory() + "/bench-venv/bin/python", "--version"],
                             directory: directory)
        let lines = [
            "### Row 9: versions",
            "",
            "- phasekit: \(capture([phasekit, "--version"], directory: directory) ?? "unknown"), commit \(commit) (release build)",
            "- pyinfra: \(peers.pyinfra ?? "not measured")",
            "- ansible-core: \(peers.ansible ?? "not measured")",
            "- Python (the venv's, controller side of both peers): \(python ?? "unknown"); hosts' Python for Ansible: /usr/bin/python3 "
                + (capture(["/usr/bin/python3", "--version"], directory: directory) ?? "unknown"),
            "- OpenSSH: \(capture(["ssh", "-V"], directory: directory) ?? "unknown")",
            "- every tool's output, phase by phase: \(log) (overwritten by the next run)",
        ]
        return lines.joined(separator: "\n")
    }
}

/// The package's `.build` directory, where the release binaries are (below it) and the bench's
/// venv and row 9's output log go.
func buildDirectory() -> String {
    var url = URL(fileURLWithPath: releaseDirectory())
    while url.lastPathComponent != ".build", url.path != "/" { url.deleteLastPathComponent() }
    return url.path == "/" ? releaseDirectory() + "/.." : url.path
}
