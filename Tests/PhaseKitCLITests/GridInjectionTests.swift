import Foundation
import Synchronization
import Testing
@testable import PhaseKitCLI

/// The live grid draws titles, servers and headings from data neutralized: its only escapes are
/// its own colours and cursor movement.
@Suite("Progress grid with hostile data")
struct GridInjectionTests {
    static let rows: [(step: String, title: String, server: String?)] = [
        ("c/01", "Save\u{1B}[1A\u{1B}[2K configuration", nil),
        ("c/02", "Copy \u{202E}noitarugifnoc", "prod\u{1B}]0;x\u{07}"),
    ]

    @Test func titlesServersAndHeadingAreNeutralizedAndMeasuredSo() {
        let grid = ProgressGrid(rows: Self.rows)
        let frame = grid.render(heading: "Audit\u{1B}[2J: analysis", elapsed: 0, width: 120, color: false)
        let text = frame.joined(separator: "\n")
        #expect(!text.unicodeScalars.contains { TerminalInjectionTests.drivesTerminal($0) }, "\(frame)")
        #expect(frame[0].hasPrefix(#"Audit\x1b[2J: analysis  0/2 done"#), "\(frame)")
        #expect(frame[1].contains(#"once  prod\x1b]0;x\x07"#), "\(frame)")
        #expect(frame.contains { $0.hasPrefix(#"  Save\x1b[1A\x1b[2K configuration "#) }, "\(frame)")
        #expect(frame.contains { $0.hasPrefix(#"  Copy \u202enoitarugifnoc"#) }, "\(frame)")
        #expect(frame.allSatisfy { $0.count <= 120 })
        // In colour, the only escapes are the grid's own SGR codes.
        let colored = grid.render(heading: "Audit\u{1B}[2J", elapsed: 0, width: 120, color: true).joined(separator: "\n")
        let withoutColours = colored.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        #expect(!withoutColours.unicodeScalars.contains { TerminalInjectionTests.drivesTerminal($0) && $0 != "\n" }, "\(colored)")
    }

    @Test func theStatusLineIsNeutralized() {
        let written = Written()
        let live = LiveGrid(color: false, write: { written.append($0) }, size: { (80, 24) })
        live.status("Audit\u{1B}[2J\u{1B}]0;x\u{07}: analyzing before execution… 0/3")
        live.redraw()
        live.finish()
        let frames = written.text
        #expect(frames.contains(#"Audit\x1b[2J\x1b]0;x\x07: analyzing before execution… 0/3"#), "\(frames)")
        // The frame's own cursor movement (ESC[2K, ESC[J, ESC[nA) is all the ESC there is.
        let own = frames.replacingOccurrences(of: "\u{1B}\\[([0-9]*[AJ]|2K)", with: "", options: .regularExpression)
        #expect(!own.contains("\u{1B}"), "\(frames)")
    }
}

/// What a ``LiveGrid`` wrote, for tests.
private final class Written: Sendable {
    private let parts = Mutex<[String]>([])
    func append(_ text: String) { parts.withLock { $0.append(text) } }
    var text: String { parts.withLock { $0.joined() } }
}
