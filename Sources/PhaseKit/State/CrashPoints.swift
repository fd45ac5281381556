import Foundation
import Synchronization

/// Fault injection for the crash-recovery tests: `PHASEKIT_CRASH_AT=KIND:N` makes the process
/// kill itself with SIGKILL right after the Nth event of that kind, exactly as a power loss would
/// stop it there. `PHASEKIT_HANG_AT=KIND:N` makes it block there instead, as a system call that
/// never returns would (the time limit's backstop must end it). `PHASEKIT_STOP_AT=KIND:N` makes
/// it pause there: it creates the file `PHASEKIT_STOP_FILE` and waits until that file is gone, so
/// that a test changes the world at that exact point (fills the disk, stops a server) and then
/// lets it go on. (A SIGSTOP would not do: a terminal multiplexer continues a stopped pane.)
///
/// Kinds: `journal` (a journal record was made durable), `write` (a write binding was applied in
/// execution, before the step's database transaction commits), `commit` (a step's database
/// transaction committed, before the journal records the step as finished — the "committed but
/// not recorded" window), `archive` (a run's report is about to be stored). Without the variables
/// every check is a single comparison.
///
/// Compiled into debug builds only (the builds the tests run): in a release build, such as the
/// one `make install` installs, ``reached(_:)`` does nothing and the variables are never read,
/// so no environment can make a production run kill itself.
enum CrashPoints {
    enum Kind: String { case journal, write, commit, archive }

    #if DEBUG
    private static func target(_ variable: String) -> (kind: Kind, count: Int)? {
        guard let value = ProcessInfo.processInfo.environment[variable] else { return nil }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let kind = Kind(rawValue: String(parts[0])), let count = Int(parts[1]), count > 0 else { return nil }
        return (kind, count)
    }

    private static let crash = target("PHASEKIT_CRASH_AT")
    private static let hang = target("PHASEKIT_HANG_AT")
    private static let stop = target("PHASEKIT_STOP_AT")
    /// How many events of each kind happened so far.
    private static let seen = Mutex<[Kind: Int]>([:])

    /// Counts an event; kills the process (or blocks it for good) when it is the chosen one.
    static func reached(_ kind: Kind) {
        guard crash?.kind == kind || hang?.kind == kind || stop?.kind == kind else { return }
        let count = seen.withLock { seen -> Int in
            seen[kind, default: 0] += 1
            return seen[kind, default: 0]
        }
        if let crash, crash.kind == kind, count == crash.count { kill(getpid(), SIGKILL) }
        if let stop, stop.kind == kind, count == stop.count { pause() }
        if let hang, hang.kind == kind, count == hang.count {
            while true { sleep(1000) }
        }
    }
    /// Creates `PHASEKIT_STOP_FILE` and waits until the test removes it.
    private static func pause() {
        guard let file = ProcessInfo.processInfo.environment["PHASEKIT_STOP_FILE"] else { return }
        let descriptor = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return }   // no file to wait on: the fault point does nothing
        close(descriptor)
        while access(file, F_OK) == 0 { usleep(10_000) }
    }
    #else
    /// Does nothing: fault injection is compiled into debug builds only.
    @inline(__always)
    static func reached(_ kind: Kind) {}
    #endif
}
