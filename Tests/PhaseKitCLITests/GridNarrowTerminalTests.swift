import Foundation
import PhaseKit
import Testing
@testable import PhaseKitCLI

/// The grid on a narrow terminal, and the elapsed time `status` gives: each row can be told
/// apart at 80 columns, and the time spent at a prompt is not execution.
@Suite("Progress grid on a narrow terminal, and status's elapsed time")
struct GridNarrowTerminalTests {
    /// The titles of configure's grid lines, as the live grid names them (per-server steps cover each server).
    static let configureTitles = [
        "Save configuration", "Copy configuration to each server", "Delete internal logical volumes",
        "Delete replication container logical volumes on each server",
        "Delete log record file container and snapshot logical volumes on each server",
        "Delete replication container and snapshot logical volumes on each server",
        "Delete all containers and logical volumes on each server", "Delete snapshot logical volumes on each server",
        "Delete snapshot container logical volumes on each server",
        "Delete replication container, snapshot, and log record file container logical volumes",
        "Create containers and logical volumes on each server", "Set all logical volumes as replicated",
        "Set new logical volumes as requiring replication on each server", "Reset Send process (LCA)",
        "Reset Apply process (ABA) on each server", "Load drivers on each server",
        "Delete logical volume device special files on each server", "Delete failover context on each server",
        "Delete failover context on each server (changed servers)", "Verify configuration on each server",
    ]

    @Test(arguments: [80, 72])
    func everyRowOfConfigureCanBeToldApart(columns: Int) {
        let servers = ["production", "recovery1", "recovery2"]
        let rows = Self.configureTitles.enumerated().flatMap { index, title -> [(step: String, title: String, server: String?)] in
            let keys: [String?] = index == 0 ? [nil] : servers.map(Optional.some)
            return keys.map { (step: "c/\(index)", title: title, server: $0) }
        }
        let frame = ProgressGrid(rows: rows).render(heading: "Configuration-change initialization: analysis (nothing is changed)", elapsed: 3,
                                                    width: columns, color: false)
        let steps = Array(frame.dropFirst(2).dropLast())
        #expect(steps.count == Self.configureTitles.count, "\(frame)")
        #expect(frame.allSatisfy { $0.count <= columns }, "no line is wider than the terminal: \(frame)")
        // A line's title is what stands before its marks.
        let titles = steps.map { (line: String) in line.replacingOccurrences(of: #"[ ○]+$"#, with: "", options: String.CompareOptions.regularExpression) }
        #expect(Set(titles).count == titles.count, "two rows read the same at \(columns) columns:\n\(steps.joined(separator: "\n"))")
        #expect(frame[0].hasPrefix("Configuration-change initialization: analysis  "), "a heading too long drops its remark, not half of it: \(frame[0])")
        let failover = titles.filter { $0.hasPrefix("  Delete fail") }
        #expect(failover.count == 2 && failover.contains { $0.hasSuffix("(changed servers)") }, "\(failover)")
    }

    @Test func titlesThatDifferOnlyAtTheirEndKeepIt() {
        let shown = GridTitles.fitted(["Delete failover context on each server", "Delete failover context on each server (changed servers)",
                                       "Delete snapshot logical volumes on each server", "Short"], width: 30)
        #expect(shown.allSatisfy { $0.count <= 30 }, "\(shown)")
        #expect(shown[1].hasSuffix("(changed servers)"), "\(shown)")
        #expect(shown[0] != shown[1], "\(shown)")
        #expect(shown[2] == "Delete snapshot logical volum…", "a title that no other one resembles is cut at its end: \(shown)")
        #expect(shown[3] == "Short")
    }

    /// A journal whose execution waited `wait` seconds at a prompt answered by `answer`.
    static func journal(waiting wait: TimeInterval, answeredBy answer: Journal.Entry.Event) -> JournalSummary? {
        let start = Date(timeIntervalSince1970: 1_000_000)
        var started = Journal.Entry(event: .runStarted, at: start)
        started.procedure = "configure"
        started.mode = .execute
        started.rows = ["c/01_save"]
        started.rowTitles = ["Save configuration"]
        // Analysis took 2 s; then the question waited `wait` s; then the row ran 3 s.
        var answered = Journal.Entry(event: answer, at: start.addingTimeInterval(2 + wait))
        answered.askedAt = start.addingTimeInterval(2)
        answered.rows = answer == .confirmed ? ["c/01_save"] : nil
        if answer == .stepStarted { answered.step = "c/01_save" }
        var finished = Journal.Entry(event: .stepFinished, at: start.addingTimeInterval(5 + wait))
        (finished.step, finished.state) = ("c/01_save", "done")
        var ended = Journal.Entry(event: .runFinished, at: start.addingTimeInterval(5 + wait))
        ended.state = "applied"
        return JournalSummary([started, answered, finished, ended])
    }

    @Test(arguments: [Journal.Entry.Event.confirmed, .stepStarted])
    func theWaitAtAPromptIsNotElapsedExecutionTime(answer: Journal.Entry.Event) throws {
        let summary = try #require(Self.journal(waiting: 600, answeredBy: answer))
        #expect(summary.waitedAtPrompts == 600)
        #expect(ProgressGrid.elapsed(summary, alive: false) == 5, "2 s of analysis and 3 s of the row, not the 10 min at the prompt")
        #expect(ProgressGrid.elapsed(try #require(Self.journal(waiting: 0, answeredBy: answer)), alive: false) == 5)
    }
}
