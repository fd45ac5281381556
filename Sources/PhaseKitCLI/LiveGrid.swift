import Foundation
import PhaseKit
import Synchronization

/// Draws a ``ProgressGrid`` (or one status line) in place on a terminal.
///
/// Each frame goes back up over the previous one (`ESC[nA`), rewrites its lines (`ESC[2K`) and
/// clears what is left below (`ESC[J`), so no row is printed twice. Updates only mark the frame
/// dirty; a clock thread redraws at most every 100 ms, and once a second for the elapsed time.
/// A grid taller than the terminal is drawn as a window around the first unfinished step until
/// the final frame, which shows every step and stays on screen. Thread-safe: rows of a step
/// report from several threads.
final class LiveGrid: Sendable {
    private struct State: Sendable {
        var grid: ProgressGrid?
        var heading = ""
        var status: String?
        var started = Date()
        /// Terminal rows the last frame took.
        var drawnHeight = 0
        var dirty = false
        var drawnSecond = -1
        /// Set by ``finish()``: the ticking thread ends.
        var finished = false
    }

    private let state = Mutex(State())
    private let color: Bool
    private let write: @Sendable (String) -> Void
    private let size: @Sendable () -> (columns: Int, rows: Int)

    /// - Parameters:
    ///   - write: writes a frame's bytes to the terminal (and flushes).
    ///   - size: the terminal's columns and rows.
    init(color: Bool, write: @escaping @Sendable (String) -> Void = LiveGrid.standardOutput,
         size: @escaping @Sendable () -> (columns: Int, rows: Int) = LiveGrid.terminalSize) {
        self.color = color
        self.write = write
        self.size = size
        Thread.detachNewThread { [weak self] in
            // The redraw clock: 100 ms between frames at most.
            while true {
                usleep(100_000)
                guard let self, self.tick() else { return }
            }
        }
    }

    /// Whether standard output is a terminal that can be redrawn in place (not `TERM=dumb`).
    static var terminalCanRedraw: Bool {
        isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["TERM"].map { $0 != "dumb" && !$0.isEmpty } ?? false
    }

    /// Shows `grid` under `heading`, timing from now.
    func start(_ grid: ProgressGrid, heading: String) {
        state.withLock { state in
            state.grid = grid
            state.status = nil
            state.heading = heading
            state.started = Date()
            state.dirty = true
        }
        tick()
    }

    /// Shows one line in place (such as the analysis before an execution's plan); it names a
    /// procedure (data), so it is drawn neutralized (``TerminalText``).
    func status(_ line: String) {
        state.withLock { state in
            state.status = line
            state.dirty = true
        }
    }

    /// Changes the grid; the next tick redraws it.
    func update(_ change: (inout ProgressGrid) -> Void) {
        state.withLock { state in
            guard var grid = state.grid else { return }
            change(&grid)
            state.grid = grid
            state.dirty = true
        }
    }

    /// Erases what is drawn (before other output, such as a plan and its prompt).
    func clear() {
        state.withLock { state in
            if state.drawnHeight > 0 { write("\r\u{1B}[\(state.drawnHeight)A\u{1B}[J") }
            state = State(drawnHeight: 0)
        }
    }

    /// Prints `message` (which ends with a newline) on standard error above the frame, which is
    /// then drawn again below it.
    func note(_ message: String) {
        state.withLock { state in
            if state.drawnHeight > 0 { write("\r\u{1B}[\(state.drawnHeight)A\u{1B}[J") }
            FileHandle.standardError.write(Data(message.utf8))
            state.drawnHeight = 0
            state.dirty = true
        }
    }

    /// Draws the final frame, every step shown, and stops redrawing; it stays on screen.
    func finish() {
        state.withLock { state in
            if state.grid == nil {
                if state.drawnHeight > 0 { write("\r\u{1B}[\(state.drawnHeight)A\u{1B}[J") }
            } else {
                draw(&state, final: true)
            }
            state = State(drawnHeight: 0, finished: true)
        }
    }

    /// Draws now what changed since the last frame (the clock thread does it every 100 ms).
    func redraw() {
        state.withLock { state in
            if state.dirty && !state.finished { draw(&state, final: false) }
        }
    }

    /// The current grid, for tests and for the report after it.
    var grid: ProgressGrid? { state.withLock { $0.grid } }

    /// Redraws when something changed or a second passed; false once finished.
    @discardableResult
    private func tick() -> Bool {
        state.withLock { state in
            guard !state.finished else { return false }
            let second = Int(Date().timeIntervalSince(state.started))
            if state.dirty || (state.grid != nil && second != state.drawnSecond) { draw(&state, final: false) }
            return true
        }
    }

    private func draw(_ state: inout State, final: Bool) {
        let (columns, rows) = size()
        let elapsed = Date().timeIntervalSince(state.started)
        var lines: [String]
        if let grid = state.grid {
            lines = grid.render(heading: state.heading, elapsed: elapsed, width: columns, color: color,
                                lineRange: final ? nil : Self.window(of: grid, rows: rows))
        } else if let status = state.status {
            lines = [String(TerminalText.line(status).prefix(max(1, columns - 1)))]
        } else {
            return
        }
        var frame = state.drawnHeight > 0 ? "\r\u{1B}[\(state.drawnHeight)A" : ""
        for line in lines { frame += "\u{1B}[2K" + line + "\n" }
        frame += "\u{1B}[J"
        write(frame)
        state.drawnHeight = lines.reduce(0) { $0 + Self.height(of: $1, columns: columns) }
        state.dirty = false
        state.drawnSecond = Int(elapsed)
    }

    /// The step lines a live frame shows on a terminal of `rows` rows: all when they fit, else a
    /// window starting just before the first unfinished step.
    static func window(of grid: ProgressGrid, rows: Int) -> Range<Int>? {
        // The heading, the column names and the legend, two "… step(s)" lines, and the cursor's line.
        guard grid.lines.count > rows - 6 else { return nil }
        let room = max(1, rows - 6)
        let unfinished = grid.lines.firstIndex { line in line.marks.values.contains { $0 == .pending || $0 == .running } } ?? grid.lines.count
        let start = min(max(0, unfinished - 1), grid.lines.count - room)
        return start..<(start + room)
    }

    /// Terminal rows a line takes (it wraps past `columns`), escapes not counted.
    static func height(of line: String, columns: Int) -> Int {
        let visible = line.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression).count
        return max(1, (visible + max(columns, 1) - 1) / max(columns, 1))
    }

    @Sendable static func standardOutput(_ text: String) {
        fflush(nil)   // what print() buffered goes first
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// The size of the terminal on standard output (80×24 when it cannot be read).
    @Sendable static func terminalSize() -> (columns: Int, rows: Int) {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return (80, 24) }
        return (Int(size.ws_col), Int(size.ws_row))
    }
}
