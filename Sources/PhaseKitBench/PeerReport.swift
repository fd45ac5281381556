import Foundation

/// Row 9's lines in the main table and its detail tables.
enum PeerReport {
    typealias Medians = [PeerTool.Kind: [PeerPhase: PeerMedian]]

    /// Per phase: phasekit against pyinfra (target ≤ 0.1x) and Ansible (≤ 0.01x) in wall time;
    /// phasekit's dry run and apply against the floor (≤ 2x).
    static func rows(size: Int, medians: Medians, floor: PeerFloor?, runs: Int) -> [ResultRow] {
        guard let phasekit = medians[.phasekit] else { return [] }
        var rows: [ResultRow] = []
        let sizeText = groupedNumber(size)
        for phase in PeerPhase.allCases {
            guard let subject = phasekit[phase] else { continue }
            for (kind, target) in [(PeerTool.Kind.pyinfra, 0.1), (.ansible, 0.01)] {
                guard let peer = medians[kind]?[phase] else { continue }
                let ratio = subject.wall / peer.wall
                rows.append(ResultRow(benchmark: "9. \(sizeText) files/host, \(phase.rawValue): vs \(kind == .ansible ? "ansible-core" : "pyinfra")",
                                      subject: formatDuration(nanoseconds: subject.wall),
                                      baseline: formatDuration(nanoseconds: peer.wall) + " (\(kind == .ansible ? "ansible" : "pyinfra"))",
                                      ratio: ratio, target: String(format: "<= %.2fx", target), passed: ratio <= target,
                                      note: phase == .dryRun && kind == .pyinfra
                                        ? "wall time, median of \(runs) run(s) with the tools' order rotated; details in the tables below" : nil))
            }
        }
        if let floor {
            for (phase, bound) in [(PeerPhase.dryRun, floor.dryRun), (.apply, floor.apply)] {
                guard let subject = phasekit[phase] else { continue }
                let ratio = subject.wall / bound
                rows.append(ResultRow(benchmark: "9f. \(sizeText) files/host, \(phase.rawValue): vs the floor",
                                      subject: formatDuration(nanoseconds: subject.wall),
                                      baseline: formatDuration(nanoseconds: bound) + " (floor)", ratio: ratio, target: "<= 2.00x", passed: ratio <= 2,
                                      note: phase == .dryRun ? "the floor: see the floor table below" : nil))
            }
            if let subject = phasekit[.apply] {
                let ratio = subject.wall / floor.atomicApply
                rows.append(ResultRow(benchmark: "9f. \(sizeText) files/host, apply: vs the atomic floor",
                                      subject: formatDuration(nanoseconds: subject.wall),
                                      baseline: formatDuration(nanoseconds: floor.atomicApply) + " (atomic floor)", ratio: ratio, target: "<= 2.00x",
                                      passed: ratio <= 2, note: "each differing file to a new name, renamed, fsynced, in one host process"))
            }
        }
        // Item 3: apply within 1.5x the dry run; beside it, the same ratio of the atomic floor to the dry-run floor.
        if let apply = phasekit[.apply], let dryRun = phasekit[.dryRun] {
            let ratio = apply.wall / dryRun.wall
            rows.append(ResultRow(benchmark: "9e. \(sizeText) files/host: phasekit apply / its dry run",
                                  subject: formatDuration(nanoseconds: apply.wall), baseline: formatDuration(nanoseconds: dryRun.wall) + " (dry run)",
                                  ratio: ratio, target: "<= 1.50x", passed: ratio <= 1.5,
                                  note: floor.map { String(format: "the floor's own: atomic apply / dry run %.2fx", $0.atomicApply / $0.dryRun) }))
        }
        return rows
    }

    /// The per-tool, per-phase table of one size, the floor, what was skipped and every problem.
    static func detail(size: Int, workload: PeerWorkload, medians: Medians, floor: PeerFloor?, runs: Int,
                       order: [String], skipped: [String], problems: [String]) -> String {
        let sizeText = groupedNumber(size)
        var lines = [
            "### Row 9 at \(sizeText) files per host",
            "",
            "Per host: \(workload.right) right, \(workload.wrong) wrong content, \(workload.missing) missing, \(workload.stale) stale; "
                + "\(workload.changes) changes on the 3 hosts. Median of \(runs) run(s), order rotated from \(order.joined(separator: ", ")); "
                + "each tool from the reset starting state.",
            "",
            "| tool | phase | wall | controller CPU | host CPU | peak RSS | ssh connections | ssh sessions | changes counted |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for kind in [PeerTool.Kind.phasekit, .pyinfra, .ansible] {
            guard let phases = medians[kind] else { continue }
            for phase in PeerPhase.allCases {
                guard let value = phases[phase] else { continue }
                let changes = value.changes.map { $0.map(String.init) ?? "?" }.joined(separator: ", ")
                lines.append("| \(kind == .ansible ? "ansible-core" : kind.rawValue) | \(phase.rawValue) | \(formatDuration(nanoseconds: value.wall)) | "
                    + "\(formatDuration(nanoseconds: value.controllerCPU)) | \(formatDuration(nanoseconds: value.hostCPU)) | "
                    + "\(formatMiB(value.peakResidentBytes)) | \(value.connections) | \(value.sessions) | \(changes) |")
            }
        }
        if let pk = medians[.phasekit] {
            for kind in [PeerTool.Kind.pyinfra, .ansible] {
                guard let peer = medians[kind] else { continue }
                let ratios = PeerPhase.allCases.compactMap { phase -> String? in
                    guard let subject = pk[phase], let other = peer[phase] else { return nil }
                    return "\(phase.rawValue) " + String(format: "%.3fx wall, %.3fx controller CPU, %.3fx host CPU", subject.wall / other.wall,
                                                                   subject.controllerCPU / other.controllerCPU, subject.hostCPU / other.hostCPU)
                }
                lines.append("")
                lines.append("phasekit / \(kind == .ansible ? "ansible-core" : "pyinfra"): " + ratios.joined(separator: "; "))
            }
        }
        if let floor {
            lines += ["", "The floor (3 hosts at once, median of \(runs)): `ssh host true` \(formatDuration(nanoseconds: floor.connect)); "
                + "a read-only `phasekit agent` started over ssh answering `hello` \(formatDuration(nanoseconds: floor.agent)); "
                + "dry run floor (`ssh host 'cd DIR && sha256sum -- *'`) \(formatDuration(nanoseconds: floor.dryRun)); "
                + "apply floor (the same, then `cat >` of the \(workload.differing.count) differing files' desired bytes) "
                + "\(formatDuration(nanoseconds: floor.apply)); atomic apply floor (the same session, then one `python3` that writes each "
                + "differing file to a new name and renames it, removes the stale ones and fsyncs the files and the directory) "
                + "\(formatDuration(nanoseconds: floor.atomicApply))."]
        }
        if !skipped.isEmpty { lines += ["", "Not measured: " + skipped.joined(separator: "; ")] }
        lines += ["", problems.isEmpty
            ? "Checked: every apply left every host exactly at the desired files; every dry run counted the \(workload.changes) changes its apply made; every dry run again counted 0."
            : "PROBLEMS: " + problems.joined(separator: "; ")]
        return lines.joined(separator: "\n")
    }
}

/// 20000 as "20,000".
func groupedNumber(_ value: Int) -> String {
    let digits = Array(String(value))
    return digits.enumerated().map { index, digit in
        index > 0 && (digits.count - index) % 3 == 0 ? ",\(digit)" : String(digit)
    }.joined()
}
