import Foundation

/// A private tmux server (its own socket, `-S`, in the test process's scratch directory) whose
/// windows give commands a real terminal: the live grid's end-to-end tests and the fault campaign
/// run `phasekit` in them and read the screen with `capture-pane`. Waits poll the pane for a condition, bounded;
/// ``close()`` ends the server.
public final class TmuxSession {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// What a window showed when its command ended.
    public struct Ended {
        public var status: Int32
        /// The window's scrollback and screen, wrapped lines joined.
        public var text: String
        public var lines: [String] { text.components(separatedBy: "\n") }
    }

    public static let path = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
    private let socket = TestScratch.root.appendingPathComponent("tmux-\(UUID().uuidString.prefix(8))").path
    private let session = "grid"

    /// Starts the server with a detached session of `columns` × `rows`.
    public init(columns: Int, rows: Int) throws {
        guard Self.path != nil else {
            throw Failure(description: "tmux is not installed (Tests/Support/install-deps.sh test installs it)")
        }
        // The first window only keeps the session open; `cat` waits on its terminal.
        try tmux(["new-session", "-d", "-s", session, "-x", "\(columns)", "-y", "\(rows)", "cat"])
        try tmux(["set-option", "-g", "history-limit", "50000"])
    }

    /// Runs `command` (a shell command line) in a new window named `name`. When it ends, the
    /// window prints `[exited N]` and stays open for ``capture(_:)``.
    public func open(_ name: String, _ command: String) throws {
        try tmux(["new-window", "-d", "-t", session, "-n", name, "\(command); echo \"[exited $?]\"; exec cat"])
    }

    /// Runs `command` (an executable and its arguments, started without a shell around it, so
    /// the signals of the terminal and its exit status are its own) as the process of a new window
    /// named `name`; the window stays when it ends, for ``capture(_:)`` and ``ended(_:)``.
    public func start(_ name: String, _ command: [String]) throws {
        try tmux(["set-option", "-g", "remain-on-exit", "on"])
        try tmux(["new-window", "-d", "-t", session, "-n", name] + command)
    }

    /// How the command of a ``start(_:_:)`` window ended: nil while it runs, else its exit status
    /// or the signal that killed it.
    public func ended(_ name: String) throws -> (status: Int32?, signal: Int32?)? {
        let fields = try tmux(["display-message", "-p", "-t", "\(session):\(name)", "#{pane_dead} #{pane_dead_status} #{pane_dead_signal}"])
            .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ", omittingEmptySubsequences: false)
        let number = { (index: Int) in fields.count > index ? Int32(fields[index]) : nil }
        guard fields.first == "1" else { return nil }
        // The pane is dead once the terminal's last writer closed it; the status is known only once
        // tmux has reaped the process (until then it is a zombie that `status` sees as running).
        // tmux 3.3a at times misses that SIGCHLD and never reaps it: one more makes it look again.
        guard number(1) != nil || number(2) != nil else {
            let server = try tmux(["display-message", "-p", "#{pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
            if let pid = Int32(server) { kill(pid, SIGCHLD) }
            return nil
        }
        return (number(1), number(2))
    }

    /// Closes a window (and ends its command).
    public func closeWindow(_ name: String) throws {
        try tmux(["kill-window", "-t", "\(session):\(name)"])
    }

    /// Types `keys` (tmux key names, such as `y` and `Enter`) into a window.
    public func send(_ name: String, _ keys: String...) throws {
        try tmux(["send-keys", "-t", "\(session):\(name)"] + keys)
    }

    /// The window's scrollback and screen, as text (wrapped lines joined).
    public func capture(_ name: String) throws -> String {
        try tmux(["capture-pane", "-p", "-J", "-S", "-", "-t", "\(session):\(name)"])
    }

    /// Polls the window until `condition` holds on its text (at most `seconds`); its text then.
    @discardableResult
    public func waitFor(_ name: String, seconds: Double = 120, until condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let text = try capture(name)
            if condition(text) { return text }
            guard Date() < deadline else { throw Failure(description: "window \(name) after \(seconds) s:\n\(text)") }
            usleep(50_000)   // the interval between two polls of the condition
        }
    }

    /// Waits for the window's command to end, with its exit status and what it showed.
    public func awaitExit(_ name: String, seconds: Double = 120) throws -> Ended {
        let text = try waitFor(name, seconds: seconds) { $0.contains("[exited ") }
        let status = text.components(separatedBy: "[exited ").last?.prefix { $0.isNumber }
        return Ended(status: status.flatMap { Int32($0) } ?? -1, text: text)
    }

    /// Ends the server and every window's processes, and removes its socket.
    public func close() {
        _ = try? tmux(["kill-server"])
        unlink(socket)
    }

    /// Runs one tmux command to its end; its standard output.
    ///
    /// Spawned directly and waited for with waitpid, output in files: the server the first
    /// command forks keeps whatever the client inherited (a Foundation `Process` never sees that
    /// client end, and a pipe the server holds never reaches end of file). The server starts as
    /// from a shell: no signal blocked or ignored (test threads block some).
    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let executable = Self.path ?? "tmux"
        var variables = ProcessInfo.processInfo.environment
        variables["TERM"] = "xterm-256color"
        variables.removeValue(forKey: "TMUX")
        let finished = try CleanSpawn.run(executable, ["-S", socket] + arguments, environment: variables)
        guard finished.status == 0 else {
            throw Failure(description: "tmux \(arguments.joined(separator: " ")) (status \(finished.status)): \(finished.errors)")
        }
        return finished.output
    }
}
