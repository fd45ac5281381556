import Foundation
import TestSupport

/// Runs `phasekit` on a real terminal (a window of a private tmux server), answering its
/// `Proceed? [y/N]` prompts as the caller decides and giving the caller a turn between polls.
final class TerminalRunner {
    /// What to do at a prompt.
    enum Answer {
        /// Type keys (tmux key names, such as `y` and `Enter`, `C-c`, `C-d`).
        case keys([String])
        /// Send a signal to phasekit.
        case signal(Int32)
    }

    struct Run {
        var exit: Exit
        /// The window's text (standard output and error as the operator saw them).
        var output: String
        /// Prompts shown.
        var prompts: Int
    }

    private let tmux: TmuxSession
    private var windows = 0

    init() throws { tmux = try TmuxSession(columns: 220, rows: 60) }

    func close() { tmux.close() }

    /// Runs `phasekit ARGUMENTS` with `environment`; `answer(n)` says what to do at the nth prompt;
    /// `turn(pid)` is called between polls once the process id is known. Ends after `seconds` at most.
    func run(_ arguments: [String], environment: [String: String] = [:], seconds: Double = 300,
             answer: (Int) -> Answer, turn: (Int32) -> Void = { _ in }) throws -> Run {
        windows += 1
        let name = "run\(windows)"
        let pidFile = TestScratch.path("campaign-pid").path
        defer { try? FileManager.default.removeItem(atPath: pidFile) }   // scratch file: its removal cannot matter
        let variables = environment.map { "'\($0.key)=\($0.value)'" }.joined(separator: " ")
        let command = ([BuiltPhasekit.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        try tmux.open(name, "sh -c \"echo \\$\\$ > \(pidFile); exec env \(variables) \(command)\"")
        let deadline = Date().addingTimeInterval(seconds)
        var handled = 0
        var pid: Int32?
        while true {
            let text = try tmux.capture(name)
            if text.contains("[exited ") { return Self.ended(text, prompts: handled) }
            guard Date() < deadline else {
                if let pid { kill(pid, SIGKILL) }
                throw PhasekitProcess.Failure(description: "phasekit \(arguments.joined(separator: " ")) still runs after \(seconds) s:\n\(text.suffix(2000))")
            }
            if pid == nil {
                // Not written yet until the shell starts: try again at the next poll.
                pid = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            }
            let prompts = text.components(separatedBy: "Proceed? [y/N]").count - 1
            if prompts > handled, let pid {
                handled = prompts
                switch answer(prompts) {
                case .keys(let keys): try tmux.send(name, keys)
                case .signal(let signal): kill(pid, signal)
                }
            }
            if let pid { turn(pid) }
            usleep(20_000)
        }
    }

    /// Types keys into the newest window.
    func type(_ keys: [String]) throws { try tmux.send("run\(windows)", keys) }

    private static func ended(_ text: String, prompts: Int) -> Run {
        let code = text.components(separatedBy: "[exited ").last.flatMap { Int32($0.prefix { $0.isNumber }) } ?? -1
        let exit: Exit = code > 128 ? .signal(code - 128) : .code(code)
        let output = text.components(separatedBy: "[exited ").dropLast().joined(separator: "[exited ")
        return Run(exit: exit, output: output, prompts: prompts)
    }
}

extension TmuxSession {
    /// Types `keys` into window `name`.
    func send(_ name: String, _ keys: [String]) throws {
        for key in keys { try send(name, key) }
    }
}
