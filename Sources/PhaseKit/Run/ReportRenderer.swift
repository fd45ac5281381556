import Foundation

/// Renders a run report for people: steps as rows with their state, then changes, issues and log
/// lines under each, and a closing line saying what to do next. Colour only when asked.
public struct ReportRenderer: Sendable {
    public var color: Bool

    public init(color: Bool) {
        self.color = color
    }

    /// Whether standard output is a terminal that wants colour (respects `NO_COLOR`).
    public static var terminalWantsColor: Bool {
        isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    private func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    static func marker(for state: RunReport.Step.State) -> String {
        switch state {
        case .done: "✓"
        case .failed: "✗"
        case .issues: "!"
        case .skipped: "·"
        case .planned: "~"
        }
    }

    /// The full human rendering.
    public func render(_ report: RunReport) -> String {
        var lines: [String] = []
        let heading = report.mode == .analyze ? "analysis (nothing was changed)" : "execution"
        lines.append("phasekit: \(heading) of \(report.target)")
        for step in report.steps { lines.append(contentsOf: render(step)) }
        for warning in report.warnings { lines.append(paint("warning: \(warning)", "33")) }
        if let error = report.error, !report.steps.contains(where: { $0.error != nil }) {
            lines.append(paint("error: \(error.message)", "31"))
        }
        lines.append("")
        lines.append(summary(report))
        return lines.joined(separator: "\n") + "\n"
    }

    /// A warning line.
    public func paintWarning(_ text: String) -> String { paint("warning: \(text)", "33") }

    /// One step as a row with its changes, issues and log lines under it.
    public func render(_ step: RunReport.Step) -> [String] {
        let marker = Self.marker(for: step.state)
        let code = switch step.state { case .done: "32"; case .failed: "31"; case .issues: "33"; default: "36" }
        var counts: [String] = []
        // Planned (or applied), failed and refused writes are counted apart: only the first are changes.
        let made = step.changes.filter { $0.status == .planned || $0.status == .applied }.count
        if made > 0 { counts.append(Self.count(made, "change")) }
        for status in [Change.Status.failed, .refused] {
            let count = step.changes(status).count
            if count > 0 { counts.append("\(count) \(status.rawValue) write\(count == 1 ? "" : "s")") }
        }
        if !step.issues.isEmpty { counts.append(Self.count(step.issues.count, "issue")) }
        let server = step.server.map { " [\($0)]" } ?? ""
        var lines = ["  \(paint(marker, code)) \(step.title)\(server)" + (counts.isEmpty ? "" : "  (\(counts.joined(separator: ", ")))")]
        for change in step.changes {
            let sign = switch change.status {
            case .planned: "+"
            case .applied: paint("✓", "32")
            case .failed: paint("✗", "31")
            case .refused: paint("⊘", "31")
            }
            let note = change.status == .failed || change.status == .refused ? "  (\(change.status.rawValue), not a change)" : ""
            lines.append("      \(sign) \(change.summary)" + note + (change.location.map { "  \(paint("at " + $0, "2"))" } ?? ""))
            if let error = change.error { lines.append("        \(paint(error, "31"))") }
        }
        for issue in step.issues {
            let how = issue.resolution == .manual ? "needs manual action" : "resolved by the planned changes"
            lines.append("      \(paint("!", "33")) \(issue.summary) (\(how))" + (issue.location.map { "  \(paint("at " + $0, "2"))" } ?? ""))
            if let detail = issue.detail { lines.append("        \(detail)") }
        }
        for entry in step.log { lines.append("      | \(entry)") }
        if let error = step.error {
            lines.append("      \(paint("error: " + error.message, "31"))")
            if let traceback = error.traceback { lines.append(contentsOf: traceback.split(separator: "\n").map { "        " + $0 }) }
        }
        return lines
    }

    /// The closing line: what happened and what to do next.
    public func summary(_ report: RunReport) -> String {
        let issues = report.issues.count
        switch report.outcome {
        case .clean: return "Nothing to change." + unmade(report)
        case .changes:
            return "Analysis found \(Self.count(report.changes(.planned).count, "planned change")) and \(Self.count(issues, "issue"))."
                + unmade(report) + " Nothing was changed; apply with --execute."
        case .applied: return "Applied \(Self.count(report.changes(.applied).count, "change"))." + unmade(report)
        case .blocked: return paint("Stopped: \(Self.count(issues, "issue")) need(s) action before the run can go on.", "33")
        case .refused:
            let applied = report.changes(.applied).count
            guard applied > 0 else { return paint("Refused: nothing was changed.", "33") }
            return paint("Refused: \(Self.count(applied, "change")) applied before the refusal (see above); nothing more was changed.", "33")
        case .error: return paint("Failed: \(report.error?.message ?? "error").", "31")
        }
    }

    /// The writes that failed or were refused, which are no changes, for the closing line.
    func unmade(_ report: RunReport) -> String {
        let parts = [Change.Status.failed, .refused].compactMap { status -> String? in
            let count = report.changes(status).count
            return count == 0 ? nil : "\(count) write\(count == 1 ? "" : "s") \(status.rawValue)"
        }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ": not changes)"
    }

    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
