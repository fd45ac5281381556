import Foundation
import Remote

/// Renders a run report for people: steps as rows with their state, then changes, issues and log
/// lines under each, and a closing line saying what to do next. Colour only when asked.
///
/// Every string that comes from data (titles, servers, changes, diffs, findings, log lines, error
/// messages) goes through ``TerminalText`` where it is put into a line, so only the renderer's own
/// colours reach the terminal.
public struct ReportRenderer: Sendable {
    public var color: Bool
    /// Also show each change's raw binding call and the script's `file:line`.
    public var verbose: Bool

    public init(color: Bool, verbose: Bool = false) {
        self.color = color
        self.verbose = verbose
    }

    /// Whether standard output is a terminal that wants colour (respects `NO_COLOR`).
    public static var terminalWantsColor: Bool {
        isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    func paint(_ text: String, _ code: String) -> String {
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
        lines.append("phasekit: \(heading) of \(TerminalText.line(report.target))")
        for step in report.steps { lines.append(contentsOf: render(step)) }
        for warning in report.warnings { lines.append(paintWarning(warning)) }
        if let error = report.error, !report.steps.contains(where: { $0.error != nil }) {
            lines.append(paint("error: \(Self.block(error.message, indent: "       "))", "31"))
        }
        lines.append("")
        lines.append(summary(report))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The plan of an execution, shown before `Proceed? [y/N]`: the steps with their changes and
    /// findings, and what they add up to. Unlike an analysis report it does not end with
    /// "apply with --execute": the operator is applying it.
    public func renderPlan(_ report: RunReport) -> String {
        var lines = ["phasekit: plan of \(TerminalText.line(report.target)) (nothing is changed before you confirm)"]
        for step in report.steps { lines.append(contentsOf: render(step)) }
        for warning in report.warnings { lines.append(paintWarning(warning)) }
        lines.append("")
        lines.append(tally(report, verb: "planned") + ".")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A warning line, after `margin` (a step's warning is indented under its row); its further
    /// lines are indented under its text.
    public func paintWarning(_ text: String, margin: String = "") -> String {
        margin + paint("warning: \(Self.block(text, indent: margin + "         "))", "33")
    }

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
        let unconfirmed = step.changes(.notConfirmed).count
        if unconfirmed > 0 { counts.append("\(Self.count(unconfirmed, "change")) not confirmed") }
        if !step.issues.isEmpty { counts.append(Self.count(step.issues.count, "finding")) }
        var lines = ["  \(paint(marker, code)) \(Self.rowTitle(step))" + (counts.isEmpty ? "" : "  (\(counts.joined(separator: ", ")))")]
        lines += renderChanges(step.changes)
        let resolvedBy = step.changes.contains { $0.status == .applied } ? "resolved by the applied changes" : "resolved by the planned changes"
        for issue in step.issues {
            let how = issue.resolution == .manual ? "needs manual action" : resolvedBy
            let location = verbose ? (issue.location.map { "  \(paint("at " + TerminalText.line($0), "2"))" } ?? "") : ""
            lines.append("      \(paint("!", "33")) \(TerminalText.line(issue.summary)) (\(how))" + location)
            if let detail = issue.detail { lines.append("        " + Self.block(detail, indent: "        ")) }
        }
        // A log line with newlines continues on lines that are marked as log lines too.
        for entry in step.log { lines.append("      | " + Self.block(entry, indent: "      | ")) }
        // An unmet precondition's error repeats its finding, shown above: said once.
        if let error = step.error, !Self.repeatsFinding(error, of: step) {
            lines.append("      \(paint("error: " + Self.block(error.message, indent: "        "), "31"))")
            if let traceback = error.traceback { lines.append(contentsOf: traceback.split(separator: "\n").map { "        " + TerminalText.line($0) }) }
        }
        return lines
    }

    /// `message` ended as a sentence: with its own final stop (ssh's messages have one), else with one added.
    static func sentence(_ message: String) -> String {
        let text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        return [".", "!", "?"].contains(text.last.map(String.init) ?? "") ? text : text + "."
    }

    /// Whether `error` is an unmet precondition saying what one of the step's findings says
    /// (`phase.precondition` records the finding and fails with its summary and detail).
    static func repeatsFinding(_ error: RunReport.ErrorDetail, of step: RunReport.Step) -> Bool {
        error.kind == .precondition && error.traceback == nil
            && step.issues.contains { $0.summary + ($0.detail.map { "\n" + $0 } ?? "") == error.message }
    }

    /// What a run stopped by a lost or unreachable host changed: the changes applied, and those
    /// in doubt (sent to a host whose connection was lost before it answered: made or not,
    /// `resume` re-plans them from the host's real state), never "nothing more" over them.
    static func changedBeforeStop(_ report: RunReport) -> String {
        let applied = report.changes(.applied).count
        let doubtful = report.changes(.failed).filter { ($0.error ?? "").contains(RemoteError.connectionLostMarker) }.count
        let before = applied == 0 ? "" : "\(count(applied, "change")) applied before it (see above); "
        guard doubtful > 0 else { return applied == 0 ? "Nothing was changed." : before + "nothing more was changed." }
        let doubt = doubtful == 1 ? "1 change in doubt (sent, never answered: made or not, resume re-plans it from the host)"
            : "\(doubtful) changes in doubt (sent, never answered: made or not, resume re-plans them from the host)"
        return before + doubt + "; nothing else was changed."
    }

    /// The closing line: what happened and what to do next.
    public func summary(_ report: RunReport) -> String {
        switch report.outcome {
        case .clean: return "Nothing to change." + unmade(report)
        case .changes:
            return tally(report, verb: "planned") + "." + unmade(report) + " Nothing was changed; apply with --execute."
        case .applied: return tally(report, verb: "applied") + "." + unmade(report)
        case .blocked:
            let manual = report.issues.filter { $0.resolution == .manual }.count
            if manual == 0, let error = report.error, error.kind == .precondition {
                // Stopped by a precondition (a host lost or unreachable): what stopped it and what it changed.
                return paint("Stopped: \(Self.sentence(error.message)) \(Self.changedBeforeStop(report))", "33")
            }
            let count = manual > 0 ? manual : report.issues.count
            return paint("Stopped: \(Self.count(count, "finding")) need\(count == 1 ? "s" : "") manual action before the run can go on.", "33")
        case .refused:
            let applied = report.changes(.applied).count
            guard applied > 0 else { return paint("Refused: nothing was changed.", "33") }
            return paint("Refused: \(Self.count(applied, "change")) applied before the refusal (see above); nothing more was changed.", "33")
        case .notConfirmed:
            return paint(Self.notConfirmed(applied: report.changes(.applied).count, unconfirmed: report.changes(.notConfirmed).count), "33")
        case .error: return paint("Failed: \(report.error.map { Self.block($0.message, indent: "        ") } ?? "error").", "31")
        }
    }

    /// "34 changes planned; 21 findings, 0 need manual action": what the run adds up to.
    public func tally(_ report: RunReport, verb: String) -> String {
        let status: Change.Status = verb == "applied" ? .applied : .planned
        let changes = report.changes(status).count
        let findings = report.issues.count
        let manual = report.issues.filter { $0.resolution == .manual }.count
        return "\(Self.count(changes, "change")) \(verb); \(Self.count(findings, "finding")), \(manual) need\(manual == 1 ? "s" : "") manual action"
    }

    /// The writes that failed or were refused, which are no changes, for the closing line.
    func unmade(_ report: RunReport) -> String {
        let parts = [Change.Status.failed, .refused].compactMap { status -> String? in
            let count = report.changes(status).count
            return count == 0 ? nil : "\(count) write\(count == 1 ? "" : "s") \(status.rawValue)"
        }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ": not changes)"
    }

    /// Text from data that may have several lines: neutralized, each line after the first
    /// starting with `indent`. Indents are deeper than the columns of the report's own marks (a
    /// row's at 2; a change's, a finding's, a log line's at 6) or carry the mark of their kind
    /// (a log line's `|`), so no line of data can pass for a row, a change or a finding.
    static func block(_ text: String, indent: String) -> String {
        var shown = TerminalText.block(text)
        // Most data is one line: no search-and-replace over (possibly megabytes of) it.
        guard TerminalText.containsByte(of: &shown, where: { $0 == 0x0A }) else { return shown }
        return shown.replacingOccurrences(of: "\n", with: "\n" + indent)
    }

    /// The closing line of a run the operator did not confirm: "Not confirmed: nothing was
    /// changed." or, after confirmed phases, "Not confirmed: nothing more was changed. 2 changes
    /// applied before (see above); 8 not confirmed."
    public static func notConfirmed(applied: Int, unconfirmed: Int) -> String {
        let left = unconfirmed > 0 ? "\(count(unconfirmed, "change")) not confirmed" : ""
        guard applied > 0 else { return "Not confirmed: nothing was changed." + (left.isEmpty ? "" : " \(left.prefix(1).uppercased() + left.dropFirst()).") }
        return "Not confirmed: nothing more was changed. \(count(applied, "change")) applied before (see above)" + (left.isEmpty ? "." : "; \(left).")
    }

    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
