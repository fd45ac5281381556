import Foundation
import PhaseKit

/// How `phasekit history` shows runs to people: local times, durations, what each run did.
/// Targets, titles and servers come from the journal and reports (data): each line is neutralized
/// (``TerminalText``).
enum HistoryText {
    /// `2026-11-29 18:55:02` in the local time zone.
    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    /// `<1s`, `12s`, `3m 05s`, `2h 01m` (reports keep whole seconds).
    static func duration(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds.rounded())
        if whole < 1 { return "<1s" }
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return String(format: "%dm %02ds", whole / 60, whole % 60) }
        return String(format: "%dh %02dm", whole / 3600, (whole % 3600) / 60)
    }

    /// What the run was: `analysis of sync`, `execution of configure`, `resume of configure`.
    static func kind(_ entry: RunHistory.Entry) -> String {
        let kind = entry.resumes != nil ? "resume" : (entry.mode == .analyze ? "analysis" : "execution")
        return "\(kind) of \(URL(fileURLWithPath: entry.target).lastPathComponent)"
    }

    /// How it ended and what it did.
    static func result(_ entry: RunHistory.Entry) -> String {
        var parts: [String] = []
        switch entry.outcome {
        case "interrupted", "running":
            let rows = entry.rows ?? []
            let done = rows.filter { $0.state == "done" || $0.state == "skipped" }.count
            parts.append("\(entry.outcome.uppercased()) after \(done) of \(rows.count) row(s), \(entry.changes) change(s) applied\(unmade(entry.counts))")
            if let resumer = entry.resumedBy { parts.append("resumed by \(resumer)") }
        default:
            parts.append("\(entry.outcome) (exit \(entry.exitCode.map(String.init) ?? "?"))")
            let verb = entry.mode == .execute ? "applied" : "planned"
            let manual = entry.manual.map { ", \($0) need\($0 == 1 ? "s" : "") manual action" } ?? ""
            parts.append("\(entry.changes) change(s) \(verb)\(unmade(entry.counts)); \(entry.issues) finding(s)\(manual)")
        }
        if let resumed = entry.resumes { parts.append("continues \(resumed)") }
        return parts.joined(separator: ", ")
    }

    /// The writes that are no changes, counted apart: `, 8 not confirmed, 1 failed`.
    static func unmade(_ counts: RunHistory.ChangeCounts) -> String {
        [(counts.notConfirmed, "not confirmed"), (counts.failed, "failed"), (counts.refused, "refused")]
            .filter { $0.0 > 0 }.map { ", \($0.0) \($0.1)" }.joined()
    }

    /// One line of the list.
    static func line(_ entry: RunHistory.Entry, idWidth: Int) -> String {
        let took = entry.finishedAt.map { duration($0.timeIntervalSince(entry.startedAt)) } ?? "-"
        return TerminalText.line("\(entry.id.padding(toLength: idWidth, withPad: " ", startingAt: 0))  \(time(entry.startedAt))  \(took.padding(toLength: 8, withPad: " ", startingAt: 0))  \(kind(entry)): \(result(entry))")
    }

    /// The heading of `history ID`.
    static func heading(_ entry: RunHistory.Entry) -> String {
        let took = entry.finishedAt.map { ", took \(duration($0.timeIntervalSince(entry.startedAt)))" } ?? ""
        return TerminalText.line("\(entry.id): \(kind(entry)), started \(time(entry.startedAt))\(took)") + "\n" + TerminalText.line(result(entry))
    }

    /// A journal row of an interrupted execution.
    static func row(_ row: RunHistory.Row) -> String {
        let marker = switch row.state { case "done": "✓"; case "skipped": "·"; case "failed": "✗"; case "not run": " "; default: "?" }
        let applied = row.applied.map { $0 > 0 ? ", \($0) change(s) applied" : "" } ?? ""
        return "  \(marker) " + TerminalText.line("\(row.title)\(row.server.flatMap { StepDefinition.title(row.title, names: $0) ? nil : " [\($0)]" } ?? "")  (\(row.state)\(applied))")
    }
}
