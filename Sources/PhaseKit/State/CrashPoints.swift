import Foundation
import Synchronization

/// Fault injection for the crash-recovery tests: `PHASEKIT_CRASH_AT=KIND:N` makes the process
/// kill itself with SIGKILL right after the Nth event of that kind, exactly as a power loss would
/// stop it there. `PHASEKIT_HANG_AT=KIND:N` makes it block there instead, as a system call that
/// never returns would (the time limit's backstop must end it).
///
/// Kinds: `journal` (a journal record was made durable), `write` (a write binding was applied in
/// execution, before the step's database transaction commits), `commit` (a step's database
/// transaction committed, before the journal records the step as finished — the "committed but
/// not recorded" window). Without the variables every check is a single comparison.
///
/// Compiled into debug builds only (the builds the tests run): in a release build, such as the
/// one `make install` installs, ``reached(_:)`` does nothing and the variables are never read,
/// so no environment can make a production run kill itself.
enum CrashPoints {
    enum Kind: String { case journal, write, commit }

    #if DEBUG
    private static func target(_ variable: String) -> (kind: Kind, count: Int)? {
        guard let value = ProcessInfo.processInfo.environment[variable] else { return nil }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let kind = Kind(rawValue: String(parts[0])), let count = Int(parts[1]), count > 0 else { return nil }
        return (kind, count)
    }

    private static let crash = target("PHASEKIT_CRASH_AT")
    private static let hang = target("PHASEKIT_HANG_AT")
    /// How many events of each kind happened so far.
    private static let seen = Mutex<[Kind: Int]>([:])

    /// Counts an event; kills the process (or blocks it for good) when it is the chosen one.
    static func reached(_ kind: Kind) {
        guard crash?.kind == kind || hang?.kind == kind else { return }
        let count = seen.withLock { seen -> Int in
            seen[kind, default: 0] += 1
            return seen[kind, default: 0]
        }
        if let crash, crash.kind == kind, count == crash.count { kill(getpid(), SIGKILL) }
        if let hang, hang.kind == kind, count == hang.count {
            while true { sleep(1000) }
        }
    }
    #else
    /// Does nothing: fault injection is compiled into debug builds only.
    @inline(__always)
    static func reached(_ kind: Kind) {}
    #endif
}
