extension ReportRenderer {
    /// A step row's title: its title naming the server (``StepDefinition/title(for:)``), or the
    /// title with the server in brackets when the title does not name it.
    /// Neutralized (``TerminalText``): titles and servers are data.
    public static func rowTitle(_ step: RunReport.Step) -> String {
        guard let server = step.server, !StepDefinition.title(step.title, names: server) else { return TerminalText.line(step.title) }
        return TerminalText.line("\(step.title) [\(server)]")
    }

    /// The changes of a step in operator terms, one line each; consecutive writes that the script
    /// described together (`phase.change`) with the same outcome share one line. Verbose adds
    /// each write's raw call and `file:line`; a file's diff shows under its change.
    func renderChanges(_ changes: [Change]) -> [String] {
        var lines: [String] = []
        var index = changes.startIndex
        while index < changes.endIndex {
            let first = changes[index]
            var end = index + 1
            if first.group != nil {
                while end < changes.endIndex && changes[end].group == first.group && changes[end].status == first.status { end += 1 }
            }
            let run = changes[index..<end]
            let note = switch first.status {
            case .failed, .refused: "  (\(first.status.rawValue), not a change)"
            case .notConfirmed: "  (not confirmed, not applied)"
            case .planned, .applied: ""
            }
            let count = run.count > 1 ? "  (\(run.count) writes)" : ""
            lines.append("      \(sign(first.status)) \(TerminalText.line(first.headline))\(count)\(note)")
            for change in run {
                if verbose {
                    let detail = first.group != nil ? (change.description.map { $0 + ": " } ?? "") : ""
                    lines.append("          \(paint(TerminalText.line(detail + change.summary + (change.location.map { "  at " + $0 } ?? "")), "2"))")
                }
                if let diff = change.diff {
                    lines += TextDiff.lines(diff).map { "          " + paintDiff(TerminalText.line($0)) }
                }
                if let error = change.error { lines.append("        \(paint(Self.block(error, indent: "          "), "31"))") }
            }
            index = end
        }
        return lines
    }

    func sign(_ status: Change.Status) -> String {
        switch status {
        case .planned: "+"
        case .applied: paint("✓", "32")
        case .failed: paint("✗", "31")
        case .refused: paint("⊘", "31")
        case .notConfirmed: paint("-", "33")
        }
    }

    func paintDiff(_ line: String) -> String {
        if line.hasPrefix("+") && !line.hasPrefix("+++") { return paint(line, "32") }
        if line.hasPrefix("-") && !line.hasPrefix("---") { return paint(line, "31") }
        if line.hasPrefix("@@") { return paint(line, "36") }
        return line
    }
}
