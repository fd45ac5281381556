import Foundation
import TestSupport

/// The worlds the model names, made once per procedure and placement and kept for the campaign:
/// the untouched sample site, the world after the first N phases (an interactive run answering
/// `y` N times, then `n`), and after an uninterrupted execution; and what each phase applies.
final class References {
    private let terminal: TerminalRunner
    private let hosts: SSHHosts?
    private var worlds: [String: [String: String]] = [:]
    private var applied: [String: [Int]] = [:]

    init(terminal: TerminalRunner, hosts: SSHHosts?) {
        self.terminal = terminal
        self.hosts = hosts
    }

    /// The world `state` names (nil for `.any`).
    func world(_ state: WorldState, _ procedure: Procedure, _ placement: Placement) throws -> [String: String]? {
        let phases: Int
        switch state {
        case .any: return nil
        case .end: phases = procedure.prompts
        case .prefix(let count): phases = min(count, procedure.prompts)
        }
        let key = "\(procedure)-\(placement)-\(phases)"
        if let known = worlds[key] { return known }
        let site = try CaseSite(placement, hosts: hosts)
        defer { site.remove() }
        if phases == procedure.prompts {
            let run = try PhasekitProcess.run(["run", procedure.rawValue, "--site", site.directory, "--execute", "--yes", "--time-limit", "300"])
            guard run.exit == .code(0) else { throw PhasekitProcess.Failure(description: "the reference execution failed: \(run.output.suffix(1500))") }
            let rows = site.journal().filter { $0["event"] as? String == "step-finished" }.map { $0["applied"] as? Int ?? 0 }
            applied["\(procedure)-\(placement)"] = procedure == .sync ? rows : [rows.reduce(0, +)]
        } else if phases > 0 {
            let run = try terminal.run(["run", procedure.rawValue, "--site", site.directory, "--execute", "--time-limit", "300"]) {
                $0 <= phases ? .keys(["y", "Enter"]) : .keys(["n", "Enter"])
            }
            guard run.exit == .code(4), run.prompts == phases + 1 else {
                throw PhasekitProcess.Failure(description: "the reference of \(phases) phase(s) ended \(run.exit) after \(run.prompts) prompt(s): \(run.output.suffix(1500))")
            }
        }
        let world = try site.world()
        worlds[key] = world
        return world
    }

    /// Changes the first `phases` phases apply (the uninterrupted execution's journal).
    func changes(ofFirst phases: Int, _ procedure: Procedure, _ placement: Placement) throws -> Int {
        if applied["\(procedure)-\(placement)"] == nil { _ = try world(.end, procedure, placement) }
        return (applied["\(procedure)-\(placement)"] ?? []).prefix(phases).reduce(0, +)
    }

    /// What an uninterrupted execution applies.
    func total(_ procedure: Procedure, _ placement: Placement) throws -> Int {
        try changes(ofFirst: procedure.prompts, procedure, placement)
    }

    /// A short account of how `seen` differs from `expected`: at most five paths.
    static func difference(_ expected: [String: String], _ seen: [String: String]) -> String {
        let keys = Set(expected.keys).union(seen.keys).sorted().filter { expected[$0] != seen[$0] }
        let shown = keys.prefix(5).map { key -> String in
            switch (expected[key], seen[key]) {
            case (nil, _): return "\(key): present, expected absent"
            case (_, nil): return "\(key): absent, expected present"
            case let (wanted?, found?): return "\(key): " + Self.firstDifference(wanted, found)
            }
        }
        return "\(keys.count) path(s) differ: " + shown.joined(separator: "; ")
    }

    private static func firstDifference(_ wanted: String, _ found: String) -> String {
        let wantedLines = wanted.split(separator: "\n"), foundLines = found.split(separator: "\n")
        let missing = wantedLines.filter { !foundLines.contains($0) }.prefix(2)
        let extra = foundLines.filter { !wantedLines.contains($0) }.prefix(2)
        return "missing [\(missing.map { String($0.prefix(160)) }.joined(separator: " | "))], extra [\(extra.map { String($0.prefix(160)) }.joined(separator: " | "))]"
    }
}
