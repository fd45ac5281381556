public import Foundation

/// Spawn attributes for a child that starts as from a shell: no signal blocked, every signal's
/// action the default (test threads block and ignore some, and a child would inherit that).
/// The one place the test targets set this up, whatever they launch (phasekit, tmux).
public enum CleanSpawn {
    /// Calls `body` with attributes that unblock every signal and reset every action to default.
    public static func withAttributes<Result>(_ body: (inout posix_spawnattr_t) throws -> Result) rethrows -> Result {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        return try body(&attributes)
    }
}
