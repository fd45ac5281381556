import Foundation
import SystemCalls

/// One run at a time per site: an exclusive `flock` on `state/lock`, with the owner (pid, host,
/// start time, command) written into the file for messages.
///
/// The kernel releases a `flock` when its holder dies, however it dies, so a lock left by a
/// killed process is taken over safely by the next run: there is no stale lock to clear by hand.
public final class SiteLock: Sendable {
    private let descriptor: Int32
    public let path: String

    /// Takes the site's lock or throws ``PhaseKitError/refused(_:)`` naming the holder.
    public init(stateDirectory: String, command: String) throws {
        path = stateDirectory + "/lock"
        do {
            try SystemCall.run("mkdir", stateDirectory) { mkdir(stateDirectory, 0o755) }
        } catch where error.code == EEXIST {
            // There already: what was wanted.
        } catch {
            throw PhaseKitError.configuration("\(stateDirectory): cannot create the site's state directory (\(error.reason)); is the site read-only?")
        }
        let path = path
        do {
            descriptor = try SystemCall.run("open", path) { open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644) }
        } catch {
            throw PhaseKitError.configuration("\(path): cannot open the lock file (\(error.reason)); is the site read-only?")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            // Only for the refusal's message: an unreadable holder is told as unknown.
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(descriptor)
            throw PhaseKitError.refused("another phasekit run holds this site's lock (\(path)): \(holder?.isEmpty == false ? holder! : "owner unknown")")
        }
        let formatter = ISO8601DateFormatter()
        let owner = "pid \(getpid()) on \(ProcessInfo.processInfo.hostName), started \(formatter.string(from: Date())): \(command)\n"
        ftruncate(descriptor, 0)
        _ = owner.withCString { write(descriptor, $0, strlen($0)) }
        fsync(descriptor)
    }

    deinit {
        ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
