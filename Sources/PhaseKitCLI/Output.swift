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
        encoded(report)
    }

    /// A document as the commands print JSON: pretty, sorted keys, ISO 8601 dates. A document that
    /// cannot be encoded is never printed as something else: the failure is said on standard error
    /// and the process exits 1 (standard output gets nothing).
    static func encoded(_ document: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        do {
            return String(decoding: try encoder.encode(document), as: UTF8.self)
        } catch {
            note("phasekit: the result cannot be written as JSON (\(error))")
            Foundation.exit(RunReport.Outcome.error.exitCode)
        }
    }

    /// A message for the operator on standard error (keeps standard output clean for --json).
    ///
    /// Neutralized (``TerminalText/block(_:)``): messages embed data (ssh's and SQL's error text,
    /// an agent's answer, paths, names), and none of them carries phasekit's own colours.
    static func note(_ message: String) {
        // What was printed before the note comes before it, also when standard output is a pipe.
        fflush(nil)
        FileHandle.standardError.write(Data((TerminalText.block(message) + "\n").utf8))
    }

    /// Asks `Proceed? [y/N]` on the terminal; only y or yes proceed. End of input, and a signal
    /// that ``Prompt/interrupt()`` passes on while it waits, are no. The question names a
    /// procedure's title (data): it is neutralized to one line.
    static func confirm(_ question: String) -> Bool {
        // The plan printed before the question is on screen before it, whatever standard output is.
        flushBeforeAsking()
        // Closed when released (a terminal opened for the question).
        let terminal = promptTerminal()
        terminal.write(Data("\(TerminalText.line(question)) [y/N] ".utf8))
        guard case .line(let line) = Prompt.readLine() else {
            // Ended without an answer (end of input, a signal): the next message starts a line.
            terminal.write(Data("\n".utf8))
            return false
        }
        let answer = line.trimmingCharacters(in: .whitespaces).lowercased()
        return answer == "y" || answer == "yes"
    }

    static var hasTerminal: Bool { isatty(STDIN_FILENO) != 0 }

    /// Where a question goes: standard error, unless it is not a terminal (`2>log`) while the
    /// controlling terminal can be opened: the question goes to the terminal the answer comes from.
    static func promptTerminal() -> FileHandle {
        guard isatty(STDERR_FILENO) == 0, isatty(STDIN_FILENO) != 0 else { return .standardError }
        let descriptor = open("/dev/tty", O_WRONLY | O_CLOEXEC | O_NOCTTY)
        return descriptor >= 0 ? FileHandle(fileDescriptor: descriptor, closeOnDealloc: true) : .standardError
    }

    /// Whether standard output is a pipe whose reader is gone: what is written there is lost.
    static var standardOutputReaderIsGone: Bool {
        fflush(nil)
        var descriptor = pollfd(fd: STDOUT_FILENO, events: Int16(POLLOUT), revents: 0)
        return poll(&descriptor, 1, 0) == 1 && descriptor.revents & Int16(POLLERR) != 0
    }

    /// Flushes standard output; when it is a pipe (`| tee log`), also waits, at most half a
    /// second, until its reader has taken what is in it: the reader writes it to the terminal
    /// before the question that follows, which goes to the terminal directly.
    static func flushBeforeAsking() {
        fflush(nil)
        var status = stat()
        guard fstat(STDOUT_FILENO, &status) == 0, status.st_mode & S_IFMT == S_IFIFO else { return }
        let deadline = Date().addingTimeInterval(0.5)
        var unread: Int32 = 0
        while ioctl(STDOUT_FILENO, UInt(FIONREAD), &unread) == 0, unread > 0, Date() < deadline { usleep(5_000) }
        // The time for the reader to write out what it took.
        usleep(20_000)
    }
}
