import Foundation
import Synchronization

/// A terminal of `rows` rows with unlimited scrollback, for the grid's unit tests: it keeps the
/// text and follows the escapes the grid uses (`ESC[nA`, `ESC[2K`, `ESC[J`, `\r`, `\n`; colours are
/// dropped). As on a real terminal, the cursor cannot go up past the top of the screen, so a frame
/// that does not fit leaves copies of its lines in the scrollback.
final class VirtualTerminal: Sendable {
    private struct Screen {
        var lines: [String] = [""]
        var row = 0
        var writes = 0
    }

    private let rows: Int
    private let screen = Mutex(Screen())

    init(rows: Int) { self.rows = rows }

    /// Scrollback and screen, top to bottom.
    var lines: [String] { screen.withLock { $0.lines } }
    /// How many times something was written.
    var writes: Int { screen.withLock { $0.writes } }

    @Sendable func feed(_ text: String) {
        screen.withLock { screen in
            screen.writes += 1
            var characters = Substring(text)
            while let character = characters.first {
                characters = characters.dropFirst()
                switch character {
                case "\u{1B}":
                    guard characters.first == "[" else { continue }
                    let body = characters.dropFirst().prefix { !$0.isLetter }
                    let command = characters.dropFirst(1 + body.count).first ?? "m"
                    characters = characters.dropFirst(2 + body.count)
                    switch command {
                    case "A": screen.row = max(max(0, screen.lines.count - rows), screen.row - (Int(body) ?? 1))
                    case "K": screen.lines[screen.row] = ""
                    case "J":
                        screen.lines[screen.row] = ""
                        screen.lines.removeSubrange((screen.row + 1)...)
                    default: break
                    }
                case "\r": break   // every line the grid writes is cleared first: the column is 0 there
                case "\n":
                    screen.row += 1
                    if screen.row == screen.lines.count { screen.lines.append("") }
                default:
                    screen.lines[screen.row].append(character)
                }
            }
        }
    }
}
