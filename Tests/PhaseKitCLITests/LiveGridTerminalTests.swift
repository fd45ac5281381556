import Foundation
import Testing
import TestSupport

/// `phasekit run configure` on a real terminal (a tmux window): the live progress grid, the prompt
/// of a procedure that cannot be stopped, and `status` from a second terminal.
@Suite("Live progress grid on a terminal", .serialized)
struct LiveGridTerminalTests {
    /// The grid in a window's text: its heading (the line starting with `heading`), the column
    /// names, the step lines and the legend. Records an issue unless there is exactly one.
    static func grid(in text: String, heading: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        let lines = text.components(separatedBy: "\n")
        let starts = lines.indices.filter { lines[$0].hasPrefix(heading) }
        #expect(starts.count == 1, "the grid is drawn once in place: \(starts.count) heading(s) '\(heading)' in\n\(text)", sourceLocation: sourceLocation)
        guard let start = starts.first, let end = lines[start...].firstIndex(where: { $0.contains("○ pending") }) else {
            Issue.record("no grid with its legend under '\(heading)':\n\(text)", sourceLocation: sourceLocation)
            return []
        }
        return Array(lines[start...end])
    }

    /// The mark under each server in the grid line of the step whose title starts with `title`.
    static func marks(_ grid: [String], step title: String, servers: [String]) -> [String?] {
        guard grid.count > 1, let line = grid.first(where: { $0.hasPrefix("  " + title) }) else { return servers.map { _ in nil } }
        return servers.map { ProgressGridTests.mark(in: line, under: $0, header: grid[1]) }
    }

    /// Every step line appears once in the grid, and once only in the whole window in grid form.
    static func expectEveryRowOnce(_ grid: [String], in text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let steps = grid.dropFirst(2).dropLast()
        #expect(steps.count >= 10, "\(grid)", sourceLocation: sourceLocation)
        let all = text.components(separatedBy: "\n")
        for line in steps {
            #expect(all.filter { $0 == line }.count == 1, "printed more than once: \(line)", sourceLocation: sourceLocation)
        }
    }

    static let servers = ["production", "recovery1", "recovery2"]

    @Test func configureDrawsItsGridInPlaceAndStatusShowsItFromAnotherTerminal() throws {
        let tmux = try TmuxSession(columns: 160, rows: 50)
        defer { tmux.close() }
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let phasekit = "'\(CLITests.binary.path)'"
        let title = "Configuration-change initialization"

        // Analysis: the grid with the planned rows, then the usual details and closing line.
        try tmux.open("analysis", "\(phasekit) run configure --site '\(site)'")
        let analysis = try tmux.awaitExit("analysis")
        #expect(analysis.status == 2, "\(analysis.text)")
        let analyzed = Self.grid(in: analysis.text, heading: "\(title): analysis")
        #expect(analyzed.first?.range(of: #"  (\d+)/\1 analyzed  \d+:\d\d$"#, options: .regularExpression) != nil, "\(analyzed)")
        #expect(analyzed.count > 1 && analyzed[1].contains("once  production  recovery1  recovery2"), "\(analyzed)")
        #expect(Self.marks(analyzed, step: "Copy configuration to", servers: Self.servers) == ["~", "~", "~"], "\(analyzed)")
        #expect(Self.marks(analyzed, step: "Save configuration", servers: ["once"]) == ["✓"], "\(analyzed)")
        #expect(Self.marks(analyzed, step: "Reset Send process", servers: Self.servers) == ["~", nil, nil], "\(analyzed)")
        Self.expectEveryRowOnce(analyzed, in: analysis.text)
        #expect(analysis.text.contains("+ copy replication/new.yaml to etc/replication/group.yaml on production"), "the details follow the grid")
        #expect(analysis.text.contains("Nothing was changed"))

        // Execution: the prompt says the procedure cannot be stopped; no grid before it.
        try tmux.open("execution", "\(phasekit) run configure --site '\(site)' --execute")
        let prompt = try tmux.waitFor("execution") { $0.contains("Proceed? [y/N]") }
        #expect(prompt.contains("Once started, this procedure cannot be stopped. Proceed? [y/N]"), "\(prompt)")
        #expect(!prompt.contains("\(title): execution"), "\(prompt)")

        // status from another terminal while the execution waits at its prompt: every row pending.
        try tmux.open("waiting", "\(phasekit) status --site '\(site)'")
        let waiting = try tmux.awaitExit("waiting")
        #expect(waiting.status == 0, "\(waiting.text)")
        let pending = Self.grid(in: waiting.text, heading: "configure: running (pid ")
        #expect(pending.first?.range(of: #"  0/\d+ done  "#, options: .regularExpression) != nil, "\(pending)")
        #expect(Self.marks(pending, step: "Copy configuration to", servers: Self.servers) == ["○", "○", "○"], "\(pending)")

        try tmux.send("execution", "y", "Enter")
        let execution = try tmux.awaitExit("execution")
        #expect(execution.status == 0, "\(execution.text)")
        let executed = Self.grid(in: execution.text, heading: "\(title): execution")
        #expect(executed.first?.range(of: #"  (\d+)/\1 done  \d+:\d\d$"#, options: .regularExpression) != nil, "\(executed)")
        #expect(Self.marks(executed, step: "Copy configuration to", servers: Self.servers) == ["✓", "✓", "✓"], "\(executed)")
        #expect(Self.marks(executed, step: "Load drivers", servers: Self.servers) == ["·", "·", "✓"], "\(executed)")
        for line in executed.dropFirst(2).dropLast() {
            #expect(!line.contains("○") && !line.contains("▸") && !line.contains("✗"), "unfinished or failed: \(line)")
        }
        Self.expectEveryRowOnce(executed, in: execution.text)
        #expect(execution.text.contains("46 changes applied; 0 findings, 0 need manual action."), "\(execution.text)")

        // status afterwards: the last run's grid, finished.
        try tmux.open("finished", "\(phasekit) status --site '\(site)'")
        let finished = try tmux.awaitExit("finished")
        let last = Self.grid(in: finished.text, heading: "configure: finished (applied)")
        #expect(last.first?.range(of: #"  (\d+)/\1 done  "#, options: .regularExpression) != nil, "\(last)")
        #expect(Self.marks(last, step: "Copy configuration to", servers: Self.servers) == ["✓", "✓", "✓"], "\(last)")
        Self.expectEveryRowOnce(last, in: finished.text)
    }

    @Test func withoutATerminalEachFinishedRowIsOnePlainLine() throws {
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        let run = try CLITests.phasekit(["run", "configure", "--site", site])
        #expect(run.status == 2)
        #expect(!run.output.contains("\u{1B}["), "no escapes without a terminal")
        #expect(!run.output.contains("○ pending"))
        let copies = run.output.components(separatedBy: "\n").filter { $0.hasPrefix("  ~ Copy configuration to") }
        #expect(copies.count == 3, "one line per finished row: \(run.output)")
    }

    @Test func statusWithoutATerminalGivesDoneTotalAndElapsedTimeAboveItsRows() throws {
        let site = try CrashRecoveryTests.sampleSite()
        defer { CrashRecoveryTests.dispose(site) }
        #expect(try CLITests.phasekit(["run", "configure", "--site", site, "--execute", "--yes"]).status == 0)
        let status = try CLITests.phasekit(["status", "--site", site])
        let heading = status.output.components(separatedBy: "\n").first ?? ""
        #expect(heading.range(of: #"^configure: finished \(applied\)  (\d+)/\1 done  elapsed \d+:\d\d$"#, options: .regularExpression) != nil, "\(status.output)")
        #expect(!status.output.contains("\u{1B}["))
        #expect(status.output.contains("  ✓ Copy configuration to"), "one row per line: \(status.output)")
        let json = try CLITests.phasekit(["status", "--site", site, "--json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect((document["elapsedSeconds"] as? Double).map { $0 >= 0 } == true, "\(json.output.prefix(400))")
        #expect(document["done"] as? Int == document["total"] as? Int)
    }
}
