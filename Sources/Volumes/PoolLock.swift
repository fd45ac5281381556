import SystemCalls
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An `flock(2)` lock on a pool's lock file, serializing changes across processes and threads.
///
/// Each acquisition opens the lock file anew, so two threads of one process conflict just
/// like two processes do (flock locks belong to open file descriptions). The lock is
/// released when the object goes away: closing the descriptor drops it.
final class PoolLock {
    private let file: FileDescriptor

    /// How often a blocked acquisition retries.
    private static let pollInterval: Duration = .milliseconds(5)

    /// Takes the lock, waiting up to `timeout` for another holder to release it.
    ///
    /// - Parameters:
    ///   - path: the lock file, created when missing for an exclusive lock; it must exist for a shared one.
    ///   - exclusive: `true` for changes (`LOCK_EX`), `false` for reads (`LOCK_SH`).
    ///   - timeout: how long to wait for a conflicting holder.
    /// - Returns: the held lock, or `nil` when `timeout` passed first.
    /// - Throws: ``SystemCallError`` when the lock file cannot be opened or locked.
    static func acquire(path: String, exclusive: Bool, timeout: Duration) throws(SystemCallError) -> PoolLock? {
        // Only a change creates the lock file; a read opens an existing one (``DirVolumePool``
        // reads a pool without a lock file without locking).
        let file = try FileDescriptor(path: path, flags: exclusive ? O_RDWR | O_CREAT : O_RDONLY)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            if try file.tryLock(exclusive ? LOCK_EX : LOCK_SH) { return PoolLock(file: file) }
            if clock.now >= deadline { return nil }
            let nanoseconds = pollInterval.components.attoseconds / 1_000_000_000
            var request = timespec(tv_sec: 0, tv_nsec: Int(nanoseconds))
            _ = nanosleep(&request, nil)  // An early wake-up only means an earlier retry.
        }
    }

    private init(file: FileDescriptor) {
        self.file = file
    }
}
