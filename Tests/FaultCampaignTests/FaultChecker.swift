import Foundation
import TestSupport

/// A difference between what the model promises and what the binary did.
struct Violation: CustomStringConvertible {
    /// The promise, as docs/policy.md's interruption model words it.
    var promise: String
    var expected: String
    var seen: String

    var description: String { "[\(promise)] expected \(expected); seen \(seen)" }
}

/// What an operator can read of a site after a command: `status` and `history` (text and JSON)
/// and the newest journal.
struct SiteReading {
    var status: String
    var statusDocument: [String: Any]?
    var history: String
    var historyJSON: String
    var historyDocument: [String: Any]?
    var journal: [[String: Any]]
    var journalID: String?

    static func read(_ site: CaseSite) throws -> SiteReading {
        let status = try PhasekitProcess.run(["status", "--site", site.directory])
        let statusJSON = try PhasekitProcess.json(["status", "--site", site.directory])
        let history = try PhasekitProcess.run(["history", "--site", site.directory])
        let historyJSON = try PhasekitProcess.json(["history", "--site", site.directory])
        return SiteReading(status: status.output, statusDocument: statusJSON.document, history: history.output,
                           historyJSON: historyJSON.result.output, historyDocument: historyJSON.document,
                           journal: site.journal(), journalID: site.journalID(),
                           appliedByFailedRows: site.journals().joined().reduce(0) { sum, record in
                               record["event"] as? String == "step-finished" && record["state"] as? String == "failed"
                                   ? sum + (record["applied"] as? Int ?? 0) : sum
                           })
    }

    /// Changes applied by rows that then failed, over every journal of the site (the rows'
    /// `step-finished` records with state `failed`).
    var appliedByFailedRows: Int

    /// The history's runs (JSON).
    var runs: [[String: Any]] { historyDocument?["runs"] as? [[String: Any]] ?? [] }
}

/// Compares what a case did with its ``Outcome``.
enum FaultChecker {
    /// The interrupted run: exit, messages, world, status, history and journal.
    static func checkRun(_ run: TerminalRunner.Run, _ outcome: Outcome, world: [String: String], expectedWorld: [String: String]?,
                         reading: SiteReading, historyChanges: Int?, reportedChanges: Int?) -> [Violation] {
        var found: [Violation] = []
        if !outcome.exits.contains(run.exit) {
            found.append(Violation(promise: "exit code", expected: outcome.exits.map(\.description).joined(separator: " or "),
                                   seen: "\(run.exit); output ends: \(tail(run.output))"))
        }
        // A text may name alternatives, separated by `|`.
        for text in outcome.says where !text.split(separator: "|").contains(where: { run.output.contains($0) }) {
            found.append(Violation(promise: "what the run says", expected: "'\(text)'", seen: tail(run.output)))
        }
        if let expectedWorld, expectedWorld != world {
            found.append(Violation(promise: "world after the run", expected: outcome.world.description,
                                   seen: References.difference(expectedWorld, world)))
        }
        found += checkStatus(outcome.status, reading, when: "after the run")
        if let historyChanges { found += checkHistoryCount(historyChanges, reading) }
        if let reportedChanges, run.output.range(of: "\\b\(reportedChanges) change(s|\\(s\\))? applied", options: .regularExpression) == nil {
            found.append(Violation(promise: "the confirmed phases stay applied and are reported", expected: "'\(reportedChanges) changes applied'",
                                   seen: tail(run.output, 300)))
        }
        if let rows = outcome.startedRows {
            let started = reading.journal.filter { $0["event"] as? String == "step-started" }.count
            if started != rows {
                found.append(Violation(promise: "a phase is journaled as started only once confirmed",
                                       expected: "\(rows) step-started record(s)", seen: "\(started)"))
            }
        }
        return found
    }

    static func checkStatus(_ says: StatusSays, _ reading: SiteReading, when: String) -> [Violation] {
        let state = reading.statusDocument?["state"] as? String ?? "?"
        let outcome = reading.statusDocument?["outcome"] as? String ?? "?"
        let suggestsResume = reading.status.contains("phasekit resume")
        let holds: Bool
        switch says {
        case .finished(let wanted): holds = state == "finished" && outcome == wanted && reading.status.contains("finished (\(wanted))")
        case .notResumable: holds = state != "interrupted" && state != "running" && !suggestsResume
        case .interrupted: holds = state == "interrupted" && suggestsResume
        }
        guard !holds else { return [] }
        return [Violation(promise: "status \(when)", expected: says.description,
                          seen: "state \(state), outcome \(outcome): \(reading.status.split(separator: "\n").first ?? "")")]
    }

    /// `history` counts for the newest run exactly `changes` applied changes, in text and JSON.
    static func checkHistoryCount(_ changes: Int, _ reading: SiteReading) -> [Violation] {
        guard let id = reading.journalID else { return [] }
        guard let run = reading.runs.first(where: { $0["journal"] as? String == id || $0["id"] as? String == id }) else {
            return [Violation(promise: "history lists the run", expected: "a run with journal \(id)", seen: tail(reading.historyJSON))]
        }
        var found: [Violation] = []
        let counted = run["changes"] as? Int ?? -1
        if counted != changes {
            found.append(Violation(promise: "history counts only applied changes (JSON)", expected: "\(changes)",
                                   seen: "\(counted) (outcome \(run["outcome"] ?? "?"))"))
        }
        let line = reading.history.split(separator: "\n").first { $0.hasPrefix(run["id"] as? String ?? id) }.map(String.init) ?? ""
        let claimed = line.range(of: #"\d+ change\(s\) applied"#, options: .regularExpression).map { line[$0] }
        if changes > 0 ? claimed != "\(changes) change(s) applied" : (claimed.map { !$0.hasPrefix("0 ") } ?? false) {
            found.append(Violation(promise: "history counts only applied changes (text)", expected: "\(changes) change(s) applied", seen: line))
        }
        return found
    }

    /// After the way on: the end state, a clean analysis, nothing to resume, a consistent history.
    static func checkEnd(world: [String: String], end: [String: String], analysis: PhasekitProcess.Result,
                         resume: PhasekitProcess.Result, reading: SiteReading, total: Int) -> [Violation] {
        var found: [Violation] = []
        if world != end {
            found.append(Violation(promise: "the way on ends in the uninterrupted end state", expected: "the end state",
                                   seen: References.difference(end, world)))
        }
        if analysis.exit != .code(0) {
            found.append(Violation(promise: "nothing is left to change at the end", expected: "analysis exit 0",
                                   seen: "\(analysis.exit): \(tail(analysis.output))"))
        }
        if resume.exit != .code(0) || !resume.output.contains("Nothing to resume") {
            found.append(Violation(promise: "nothing to resume at the end", expected: "exit 0, Nothing to resume",
                                   seen: "\(resume.exit): \(tail(resume.output))"))
        }
        found += checkStatus(.notResumable, reading, when: "at the end")
        let schema = JSONSchemaValidator.reports.violations(ofJSON: reading.historyJSON)
        if !schema.isEmpty {
            found.append(Violation(promise: "history --json follows docs/report.schema.json", expected: "valid", seen: schema.prefix(3).joined(separator: "; ")))
        }
        let executions = reading.runs.filter { $0["mode"] as? String != "analyze" }
        let counted = executions.reduce(0) { $0 + ($1["changes"] as? Int ?? 0) }
        // A row that failed after some of its changes reached the world (a service restarted, then
        // the write that records it refused) is run again in full by the way on: what it applied
        // is applied again, and both count. Nothing else may be counted twice.
        let repeated = reading.appliedByFailedRows
        if counted > total + repeated {
            found.append(Violation(promise: "history counts only applied changes (every run)",
                                   expected: "at most \(total) applied over all executions, plus \(repeated) applied by rows that failed",
                                   seen: "\(counted): \(tail(reading.history, 1200))"))
        }
        for run in executions {
            let id = run["id"] as? String ?? "?", changes = run["changes"] as? Int ?? -1
            let line = reading.history.split(separator: "\n").first { $0.hasPrefix(id) } ?? ""
            if changes > 0, !line.contains("\(changes) change(s) applied") {
                found.append(Violation(promise: "history text and JSON agree", expected: "\(changes) change(s) applied for \(id)", seen: String(line)))
            }
        }
        return found
    }

    static func tail(_ text: String, _ count: Int = 600) -> String {
        String(text.suffix(count)).replacingOccurrences(of: "\n", with: " ⏎ ")
    }
}
