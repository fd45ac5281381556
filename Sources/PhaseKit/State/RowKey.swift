/// One row of a run: a step and the server it runs for, as journals, saved plans, reports and
/// `phasekit status` name it: `step@server`, `step@` for a step that runs once.
///
/// The one place that writes and reads that form; ``Journal/key(step:server:)`` and
/// ``PlannedWrites/key(step:server:)`` give its text.
public struct RowKey: Hashable, Sendable, CustomStringConvertible {
    public var step: String
    /// Nil for a step that runs once.
    public var server: String?

    public init(step: String, server: String?) {
        self.step = step
        self.server = server
    }

    /// Reads the text form: the step is what comes before the first `@` (step ids have none), the
    /// server what follows (none when empty). Text without an `@` names a step that runs once.
    public init(parsing text: String) {
        guard let at = text.firstIndex(of: "@") else {
            self.init(step: text, server: nil)
            return
        }
        let server = String(text[text.index(after: at)...])
        self.init(step: String(text[..<at]), server: server.isEmpty ? nil : server)
    }

    /// `step@server`, or `step@` for a step that runs once.
    public var text: String { step + "@" + (server ?? "") }

    public var description: String { text }
}
