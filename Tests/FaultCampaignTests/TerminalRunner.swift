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
        // phasekit runs as a child of the window's shell, which stays a moment after it ends:
        // tmux 3.3a takes a pane for dead on its process's exit and may not have read the last
        // output yet (a closing "Failed:" line was seen missing), while the shell is its process
        // here. The shell ends as phasekit did (its status, or killed by its signal); it takes
        // Ctrl-C, SIGTERM and SIGHUP without dying meanwhile (caught, so phasekit starts with the
        // default actions). The pid file holds phasekit's pid (the inner shell execs it).
        let script = """
            trap : INT TERM HUP
            /bin/sh -c 'echo $$ > \(pidFile); exec env \(variables.replacingOccurrences(of: "'", with: "'\\''")) \(command.replacingOccurrences(of: "'", with: "'\\''"))'
            status=$?
            sleep 0.3
            if [ $status -gt 128 ]; then trap - INT TERM HUP; kill -$((status - 128)) $$; fi
            exit $status
            """
        try tmux.start(name, ["/bin/sh", "-c", script])
        defer { try? tmux.closeWindow(name) }   // the run is over: a window that cannot be closed only costs memory
        let deadline = Date().addingTimeInterval(seconds)
        var handled = 0
        var pid: Int32?
        while true {
            let ended = try tmux.ended(name)
            let text = try tmux.capture(name)
            if let ended { return Self.ended(text, ended, prompts: handled) }
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
            usleep(30_000)   // between two polls of the window
        }
    }

    /// Types keys into the newest window.
    func type(_ keys: [String]) throws { try tmux.send("run\(windows)", keys) }

    private static func ended(_ text: String, _ ended: (status: Int32?, signal: Int32?), prompts: Int) -> Run {
        let exit: Exit = ended.signal.map { .signal($0) } ?? .code(ended.status ?? -1)
        let output = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("Pane is dead") }
            .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)   // the screen's empty rows
        return Run(exit: exit, output: output, prompts: prompts)
    }
}

extension TmuxSession {
    /// Types `keys` into window `name`.
    func send(_ name: String, _ keys: [String]) throws {
        for key in keys { try send(name, key) }
    }
}
