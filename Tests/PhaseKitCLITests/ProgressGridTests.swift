import Foundation
import PhaseKit
import Testing
@testable import PhaseKitCLI

/// The progress grid: its frames, and how they are drawn in place on a terminal.
@Suite("Progress grid")
struct ProgressGridTests {
    static let rows: [(step: String, title: String, server: String?)] = [
        ("c/01_save", "Save configuration", nil),
        ("c/02_copy", "Copy configuration to S", "production"),
        ("c/02_copy", "Copy configuration to S", "recovery1"),
        ("c/02_copy", "Copy configuration to S", "recovery2"),
        ("c/14_send", "Reset Send process (LCA)", "production"),
        ("c/15_apply", "Reset Apply process (ABA) on S", "recovery1"),
        ("c/15_apply", "Reset Apply process (ABA) on S", "recovery2"),
    ]

    /// The one mark under `column` in `line` (the non-blank character below the column's name).
    static func mark(in line: String, under column: String, header: String) -> String? {
        let head = Array(header), text = Array(line), name = Array(column)
        guard let start = head.indices.first(where: { Array(head[$0...].prefix(name.count)) == name }) else { return nil }
        let cell = text.indices.filter { $0 >= start && $0 < start + name.count && text[$0] != " " }
        return cell.count == 1 ? String(text[cell[0]]) : nil
    }

    @Test func aFrameHasALinePerStepAColumnPerServerAndALegend() {
        var grid = ProgressGrid(rows: Self.rows)
        grid.set(step: "c/01_save", server: nil, to: .done)
        grid.set(step: "c/02_copy", server: "production", to: .done)
        grid.set(step: "c/02_copy", server: "recovery1", to: .running)
        grid.set(step: "c/15_apply", server: "recovery2", to: .notChosen)
        let frame = grid.render(heading: "Configure: execution", elapsed: 65, width: 100, color: false)
        #expect(frame[0] == "Configure: execution  3/7 done  1:05")
        let header = frame[1]
        #expect(header.contains("once  production  recovery1  recovery2"))
        #expect(frame.count == 2 + 4 + 1, "heading, columns, a line per step, legend: \(frame)")
        for title in ["Save configuration", "Copy configuration to S", "Reset Send process (LCA)", "Reset Apply process (ABA) on S"] {
            #expect(frame.filter { $0.hasPrefix("  \(title) ") }.count == 1, "\(title): \(frame)")
        }
        #expect(Self.mark(in: frame[2], under: "once", header: header) == "✓")
        #expect(Self.mark(in: frame[2], under: "production", header: header) == nil)
        #expect(Self.mark(in: frame[3], under: "production", header: header) == "✓")
        #expect(Self.mark(in: frame[3], under: "recovery1", header: header) == "▸")
        #expect(Self.mark(in: frame[3], under: "recovery2", header: header) == "○")
        #expect(Self.mark(in: frame[4], under: "production", header: header) == "○")
        #expect(Self.mark(in: frame[4], under: "recovery1", header: header) == nil, "a server the step does not run on stays blank")
        #expect(Self.mark(in: frame[5], under: "recovery2", header: header) == "·")
        #expect(frame[6] == "  ○ pending  ▸ running  ✓ done  ✗ failed  ~ planned (changes found)  · not chosen  ! needs action")
        #expect(frame.allSatisfy { $0.count <= 100 })
    }

    @Test func aNarrowTerminalShortensTitlesNotCells() {
        let grid = ProgressGrid(rows: Self.rows)
        let frame = grid.render(heading: "Configure: analysis (nothing is changed)", elapsed: 0, width: 60, color: false)
        #expect(frame.allSatisfy { $0.count <= 60 }, "\(frame.map(\.count))")
        #expect(frame.contains { $0.hasPrefix("  Reset Apply proc…") })
        #expect(Self.mark(in: frame[5], under: "recovery2", header: frame[1]) == "○")
    }

    @Test func anAnalysisCountsPlannedRowsAsAnalyzed() {
        var grid = ProgressGrid(rows: Self.rows)
        grid.isAnalysis = true
        grid.set(step: "c/02_copy", server: "production", to: .planned)
        grid.set(step: "c/01_save", server: nil, to: .done)
        #expect(grid.render(heading: "A", elapsed: 0, width: 80, color: false)[0] == "A  2/7 analyzed  0:00")
    }

    @Test func colourWrapsOnlyTheMarks() {
        var grid = ProgressGrid(rows: Self.rows)
        grid.set(step: "c/02_copy", server: "recovery1", to: .failed)
        let line = grid.render(heading: "A", elapsed: 0, width: 100, color: true)[3]
        #expect(line.contains("\u{1B}[31m✗\u{1B}[0m"))
        #expect(line.hasPrefix("  Copy configuration to S "))
    }

    @Test func aJournalGivesTheGridOfItsExecution() throws {
        var start = Journal.Entry(event: .runStarted)
        start.procedure = "configure"
        start.mode = .execute
        start.rows = Self.rows.map { Journal.key(step: $0.step, server: $0.server) }
        start.rowTitles = Self.rows.map(\.title)
        var finished = Journal.Entry(event: .stepFinished)
        (finished.step, finished.state) = ("c/01_save", "done")
        var skipped = Journal.Entry(event: .stepFinished)
        (skipped.step, skipped.server, skipped.state) = ("c/02_copy", "production", "skipped")
        var inFlight = Journal.Entry(event: .stepStarted)
        (inFlight.step, inFlight.server) = ("c/02_copy", "recovery1")
        let summary = try #require(JournalSummary([start, finished, skipped, inFlight]))
        let grid = ProgressGrid(journal: summary, alive: false)
        #expect(grid.mark(step: "c/01_save", server: nil) == .done)
        #expect(grid.mark(step: "c/02_copy", server: "production") == .notChosen)
        #expect(grid.mark(step: "c/02_copy", server: "recovery1") == .interrupted)
        #expect(grid.mark(step: "c/02_copy", server: "recovery2") == .pending)
        #expect(ProgressGrid(journal: summary, alive: true).mark(step: "c/02_copy", server: "recovery1") == .running)
        let frame = grid.render(heading: "configure", elapsed: 0, width: 120, color: false)
        #expect(frame[0].hasPrefix("configure  2/7 done"))
        #expect(frame.last?.hasSuffix("? cut off") == true)
    }

    @Test func liveFramesRedrawInPlaceSoNoRowIsPrintedTwice() {
        let terminal = VirtualTerminal(rows: 40)
        let live = LiveGrid(color: true, write: terminal.feed, size: { (100, 40) })
        live.start(ProgressGrid(rows: Self.rows), heading: "Configure: execution")
        for row in Self.rows {
            live.update { $0.set(step: row.step, server: row.server, to: .running) }
            live.redraw()
            live.update { $0.set(step: row.step, server: row.server, to: .done) }
            live.redraw()
        }
        live.finish()
        let screen = terminal.lines
        #expect(screen.filter { $0.hasPrefix("Configure: execution") }.count == 1, "\(screen)")
        #expect(screen.filter { $0.hasPrefix("  Copy configuration to S") }.count == 1, "\(screen)")
        #expect(screen.filter { $0.contains("pending") }.count == 1, "one legend: \(screen)")
        let copy = screen.first { $0.hasPrefix("  Copy configuration to S") } ?? ""
        let header = screen.first { $0.contains("production") } ?? ""
        #expect(["production", "recovery1", "recovery2"].map { Self.mark(in: copy, under: $0, header: header) } == ["✓", "✓", "✓"])
        #expect(terminal.writes > 2, "frames were drawn while it ran, not only the last")
    }

    @Test func aGridTallerThanTheTerminalShowsAWindowThenEveryStepOnce() {
        let rows = (1...30).map { (step: "c/\($0)", title: "Step number \($0)", server: "production" as String?) }
        let terminal = VirtualTerminal(rows: 12)
        let live = LiveGrid(color: false, write: terminal.feed, size: { (80, 12) })
        live.start(ProgressGrid(rows: rows), heading: "Tall: execution")
        for row in rows {
            live.update { $0.set(step: row.step, server: row.server, to: .done) }
            live.redraw()
            #expect(terminal.lines.count <= 12, "a live frame fits the terminal")
        }
        live.finish()
        for row in rows {
            #expect(terminal.lines.filter { $0.hasPrefix("  \(row.title) ") }.count == 1, "\(row.title): \(terminal.lines)")
        }
        #expect(!terminal.lines.contains { $0.contains("step(s) above") }, "the final frame shows every step")
    }

    @Test func clearErasesAStatusLine() {
        let terminal = VirtualTerminal(rows: 24)
        let live = LiveGrid(color: false, write: terminal.feed, size: { (80, 24) })
        live.status("Configure: analyzing before execution… 3/7")
        live.redraw()
        #expect(terminal.lines.filter { !$0.isEmpty } == ["Configure: analyzing before execution… 3/7"])
        live.clear()
        live.finish()
        #expect(terminal.lines.allSatisfy { $0.isEmpty }, "\(terminal.lines)")
    }
}
