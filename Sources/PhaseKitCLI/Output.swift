import Foundation
import PhaseKit

/// Printing reports and messages; the commands' only output path.
enum Output {
    static func report(_ report: RunReport, json: Bool, verbose: Bool = false) {
        if json {
            print(encode(report))
        } else {
            print(ReportRenderer(color: ReportRenderer.terminalWantsColor, verbose: verbose).render(report), terminator: "")
        }
    }

    static func encode(_ report: RunReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return (try? encoder.encode(report)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// A message for the operator on standard error (keeps standard output clean for --json).
    static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Asks `Proceed? [y/N]` on the terminal; only y or yes proceed. End of input, and a signal
    /// that ``Prompt/interrupt()`` passes on while it waits, are no.
    static func confirm(_ question: String) -> Bool {
        FileHandle.standardError.write(Data("\(question) [y/N] ".utf8))
        guard case .line(let line) = Prompt.readLine() else {
            // Ended without an answer (end of input, a signal): the next message starts a line.
            FileHandle.standardError.write(Data("\n".utf8))
            return false
        }
        let answer = line.trimmingCharacters(in: .whitespaces).lowercased()
        return answer == "y" || answer == "yes"
    }

    static var hasTerminal: Bool { isatty(STDIN_FILENO) != 0 }
}
