import Foundation
import PhaseKit

/// The progress of a procedure as a grid, after the product's Configuration Initialization
/// Progress window: a line per step, a column per server, a mark per cell.
///
/// A pure value: events set marks, ``render(heading:elapsed:width:color:)`` returns the frame's
/// lines, each no wider than the terminal (titles are shortened with `…`, each still telling its
/// row apart: ``GridTitles``). Steps that run once
/// (not per server) get their mark in a leading `once` column; a cell of a server a step does not
/// run on stays blank. ``LiveGrid`` draws the frames in place; `status` prints one.
struct ProgressGrid: Equatable {
    /// What a cell shows.
    enum Mark: String, CaseIterable, Sendable {
        case pending = "○"
        case running = "▸"
        case done = "✓"
        case failed = "✗"
        case planned = "~"
        case notChosen = "·"
        case issues = "!"
        /// In flight when its process died (status of an interrupted execution).
        case interrupted = "?"

        var meaning: String {
            switch self {
            case .pending: "pending"
            case .running: "running"
            case .done: "done"
            case .failed: "failed"
            case .planned: "planned (changes found)"
            case .notChosen: "not chosen"
            case .issues: "needs action"
            case .interrupted: "cut off"
            }
        }

        /// The mark of a finished row in a report.
        init(_ state: RunReport.Step.State) {
            switch state {
            case .done: self = .done
            case .failed: self = .failed
            case .issues: self = .issues
            case .skipped: self = .notChosen
            case .planned: self = .planned
            }
        }

        /// The mark of a row a journal recorded as finished (`done`, `skipped`, `failed`, `issues`).
        init(journalState: String) {
            self = RunReport.Step.State(rawValue: journalState).map(Mark.init) ?? .failed
        }

        /// The ANSI colour of the mark.
        var colorCode: String {
            switch self {
            case .done: "32"
            case .failed: "31"
            case .issues, .interrupted: "33"
            case .running, .planned: "36"
            case .pending, .notChosen: "2"
            }
        }
    }

    /// One step: its title and the mark of each of its servers (nil: the step runs once).
    struct Line: Equatable {
        var step: String
        var title: String
        var marks: [String?: Mark]
    }

    /// The column of steps that run once, when there are some.
    static let onceColumn = "once"

    /// Whether the grid shows an analysis: then a planned row counts as finished.
    var isAnalysis = false
    private(set) var lines: [Line] = []
    /// The servers in the order they first appear.
    private(set) var servers: [String] = []
    var hasOnceSteps: Bool { lines.contains { $0.marks.keys.contains(nil) } }

    /// A grid of rows (`step`, its title, its server or nil), every cell pending.
    init(rows: [(step: String, title: String, server: String?)]) {
        for row in rows {
            if let server = row.server, !servers.contains(server) { servers.append(server) }
            if let index = lines.firstIndex(where: { $0.step == row.step }) {
                lines[index].marks[row.server] = .pending
            } else {
                lines.append(Line(step: row.step, title: row.title, marks: [row.server: .pending]))
            }
        }
    }

    /// Sets the mark of a row; a row the grid does not have is ignored.
    mutating func set(step: String, server: String?, to mark: Mark) {
        guard let index = lines.firstIndex(where: { $0.step == step }), lines[index].marks[server] != nil else { return }
        lines[index].marks[server] = mark
    }

    /// The mark of a row, or nil when the grid has no such row.
    func mark(step: String, server: String?) -> Mark? {
        lines.first { $0.step == step }?.marks[server] ?? nil
    }

    /// Every cell's mark, row by row.
    var allMarks: [Mark] { lines.flatMap { line in line.marks.values } }

    /// Rows finished (done or not chosen; in analysis, every row analyzed) and rows in all.
    var doneCount: Int {
        allMarks.filter { $0 == .done || $0 == .notChosen || (isAnalysis && $0 != .pending && $0 != .running) }.count
    }
    var totalCount: Int { allMarks.count }

    /// Elapsed time as `m:ss` (or `h:mm:ss`).
    static func clock(_ seconds: TimeInterval) -> String {
        let total = max(0, Int(seconds))
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
    }

    /// The frame: a heading line, a line naming the columns, a line per step, and the legend.
    ///
    /// - Parameters:
    ///   - heading: what runs, such as `Configuration-change initialization: execution`.
    ///   - elapsed: seconds since it started.
    ///   - width: the terminal's columns; no line is wider.
    ///   - lineRange: only these step lines (with a line saying how many are left out before and
    ///     after), for a terminal too short for the whole grid.
    ///
    /// The heading, titles and servers are data: they are neutralized (``TerminalText``) before
    /// they are measured, so the frame's only escapes are its own colours.
    func render(heading: String, elapsed: TimeInterval, width: Int, color: Bool, lineRange: Range<Int>? = nil) -> [String] {
        let keys: [String?] = (hasOnceSteps ? [nil] : []) + servers.map(Optional.some)
        let columns = keys.map { $0.map(TerminalText.line) ?? Self.onceColumn }
        let titles = lines.map { TerminalText.line($0.title) }
        let heading = TerminalText.line(heading)
        let cellWidths = columns.map { max($0.count, 1) + 2 }
        let cellsWidth = cellWidths.reduce(0, +)
        let titleWidth = max(8, min(titles.map(\.count).max() ?? 0, width - 2 - cellsWidth - 1))
        func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        func fit(_ text: String, _ size: Int) -> String {
            text.count <= size ? text + String(repeating: " ", count: size - text.count) : String(text.prefix(max(0, size - 1))) + "…"
        }
        func centered(_ text: String, _ size: Int) -> (left: Int, right: Int) {
            let left = (size - text.count) / 2
            return (left, size - text.count - left)
        }
        var frame: [String] = []
        let summary = "\(doneCount)/\(totalCount) \(isAnalysis ? "analyzed" : "done")  \(Self.clock(elapsed))"
        let headingRoom = max(0, width - summary.count - 2)
        frame.append(String(fit(GridTitles.heading(heading, room: headingRoom), headingRoom).trimmingTrailingSpaces) + "  " + summary)
        var header = "  " + String(repeating: " ", count: titleWidth) + " "
        for (column, size) in zip(columns, cellWidths) {
            let pad = centered(column, size)
            header += String(repeating: " ", count: pad.left) + column + String(repeating: " ", count: pad.right)
        }
        frame.append(String(header.trimmingTrailingSpaces.prefix(width)))
        let range = lineRange ?? lines.indices
        if range.lowerBound > 0 { frame.append("  … \(range.lowerBound) step(s) above") }
        // Cut to the room left, each title still telling its row apart.
        let shownTitles = GridTitles.fitted(titles, width: titleWidth)
        for (line, title) in zip(lines[range], shownTitles[range]) {
            var text = "  " + fit(title, titleWidth) + " "
            for (key, size) in zip(keys, cellWidths) {
                let mark = line.marks[key]
                let glyph = mark?.rawValue ?? " "
                let pad = centered(glyph, size)
                text += String(repeating: " ", count: pad.left) + (mark.map { paint(glyph, $0.colorCode) } ?? glyph) + String(repeating: " ", count: pad.right)
            }
            frame.append(color ? text : String(text.trimmingTrailingSpaces))
        }
        if range.upperBound < lines.count { frame.append("  … \(lines.count - range.upperBound) step(s) below") }
        frame.append(legend(color: color, width: width))
        return frame
    }

    /// The legend line: every mark with its meaning (cut off ones only when a cell shows one).
    func legend(color: Bool, width: Int) -> String {
        let marks = Mark.allCases.filter { $0 != .interrupted || allMarks.contains(.interrupted) }
        var text = "  "
        var visible = 2
        for mark in marks {
            let item = "\(mark.rawValue) \(mark.meaning)"
            if visible + item.count + 2 > width { break }
            text += (visible > 2 ? "  " : "") + (color ? "\u{1B}[\(mark.colorCode)m\(mark.rawValue)\u{1B}[0m \(mark.meaning)" : item)
            visible += item.count + (visible > 2 ? 2 : 0)
        }
        return text
    }
}

extension String {
    /// The string without trailing spaces.
    var trimmingTrailingSpaces: Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " { end = index(before: end) }
        return self[startIndex..<end]
    }
}
