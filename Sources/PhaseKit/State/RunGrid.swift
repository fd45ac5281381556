public import Foundation

/// An execution as a grid of step rows by servers, folded from its journal: what `phasekit serve`
/// pushes to the Configuration Window, and the same reading as `phasekit status` (a row in flight
/// whose process is gone is cut off, not running).
///
/// Each cell carries when its row started and finished (the journal's record times) and the
/// message of a row that did not finish well, so a timeline can be drawn from it.
public struct RunGrid: Sendable {
    /// One cell: a step on one server (or once, for a step without servers).
    public struct Cell: Sendable, Codable, Equatable {
        public var step: String
        public var server: String?
        /// `done`, `skipped`, `failed`, `issues`, `running`, `in flight` (cut off), `not run`, or a
        /// journal state this version does not know, as written.
        public var state: String
        public var startedAt: Date?
        public var finishedAt: Date?
        /// The journal's message of the row (a failure's reason), when there is one.
        public var message: String?
        /// Changes the row applied, once finished.
        public var applied: Int?
    }

    /// A step's key and its title (a server's name replaced by "each server" for a step of many).
    public struct Step: Sendable, Codable, Equatable {
        public var key: String
        public var title: String

        public init(key: String, title: String) {
            self.key = key
            self.title = title
        }
    }

    public var summary: JournalSummary
    public var steps: [Step] = []
    /// The servers of the run, in the order of its rows.
    public var servers: [String] = []
    public var cells: [Cell] = []

    /// Folds `entries` (one journal, run-started first); `alive` tells whether the run's process
    /// still runs. Nil when the entries hold no run-started record.
    public init?(_ entries: [Journal.Entry], alive: Bool) {
        guard let summary = JournalSummary(entries) else { return nil }
        self.summary = summary
        var started: [String: Date] = [:], finished: [String: Date] = [:], messages: [String: String] = [:]
        for entry in entries {
            guard let step = entry.step else { continue }
            let key = Journal.key(step: step, server: entry.server)
            if entry.event == .stepStarted { started[key] = entry.at }
            if entry.event == .stepFinished {
                finished[key] = entry.at
                if let message = entry.message { messages[key] = message }
            }
        }
        for row in RunHistory.rows(summary, alive: alive) {
            let key = Journal.key(step: row.step, server: row.server)
            if !steps.contains(where: { $0.key == row.step }) {
                steps.append(Step(key: row.step, title: Self.stepTitle(row.title, server: row.server)))
            }
            if let server = row.server, !servers.contains(server) { servers.append(server) }
            cells.append(Cell(step: row.step, server: row.server, state: row.state, startedAt: started[key],
                              finishedAt: finished[key], message: messages[key], applied: row.applied))
        }
    }

    /// A row's title as its step's: a title naming its server stands for every server of the step.
    static func stepTitle(_ title: String, server: String?) -> String {
        guard let server, StepDefinition.title(title, names: server) else { return title }
        return title.replacingOccurrences(of: server, with: "each server")
    }

    /// Rows finished well (done, or skipped as not applicable).
    public var doneCount: Int { cells.filter { $0.state == "done" || $0.state == "skipped" }.count }
}
