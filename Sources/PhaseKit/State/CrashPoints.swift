import Foundation

/// Fault injection for the crash-recovery tests: `PHASEKIT_CRASH_AT=KIND:N` makes the process
/// kill itself with SIGKILL right after the Nth event of that kind, exactly as a power loss would
/// stop it there.
///
/// Kinds: `journal` (a journal record was made durable), `write` (a write binding was applied in
/// execution, before the step's database transaction commits), `commit` (a step's database
/// transaction committed, before the journal records the step as finished — the "committed but
/// not recorded" window). Without the variable every check is a single comparison.
enum CrashPoints {
    enum Kind: String { case journal, write, commit }

    private static let target: (kind: Kind, count: Int)? = {
        guard let value = ProcessInfo.processInfo.environment["PHASEKIT_CRASH_AT"] else { return nil }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let kind = Kind(rawValue: String(parts[0])), let count = Int(parts[1]), count > 0 else { return nil }
        return (kind, count)
    }()
    private static let lock = NSLock()
    nonisolated(unsafe) private static var seen = 0

    /// Counts an event; kills the process when it is the chosen one.
    static func reached(_ kind: Kind) {
        guard let target, target.kind == kind else { return }
        let count = lock.withLock { () -> Int in
            seen += 1
            return seen
        }
        if count == target.count { kill(getpid(), SIGKILL) }
    }
}
