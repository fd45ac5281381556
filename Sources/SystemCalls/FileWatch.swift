#if canImport(Glibc)
internal import Glibc
#endif

/// Wakes a thread when files change, with Linux's inotify: watched paths are directories (or
/// files), and ``wait(milliseconds:)`` returns as soon as any of them reports an event, or when
/// the time is up. Which event it was is not told: the caller looks at the files again (so an
/// event lost to a full queue costs nothing but a wake-up at the time-out).
///
/// One thread uses one watch; it is not shared.
public final class FileWatch {
    private let descriptor: Int32
    private var watched: Set<String> = []

    /// What a watch reports: writes, files created, renamed in or out, deleted.
    static let events = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ATTRIB)

    /// - Throws: ``SystemCallError`` when the system has no inotify instance left for this user.
    public init() throws(SystemCallError) {
        descriptor = try SystemCall.run("inotify_init1") { inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK)) }
    }

    deinit { close(descriptor) }

    /// Watches `path` (once; a path already watched is skipped). Returns false when it cannot be
    /// watched now (it does not exist yet): the caller tries again later.
    @discardableResult
    public func watch(_ path: String) -> Bool {
        if watched.contains(path) { return true }
        guard inotify_add_watch(descriptor, path, Self.events) >= 0 else { return false }
        watched.insert(path)
        return true
    }

    /// Waits until a watched path reports an event or `milliseconds` pass; drains every pending
    /// event. Returns whether there was one.
    public func wait(milliseconds: Int32) -> Bool {
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let ready = poll(&request, 1, milliseconds)
        guard ready > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        // Non-blocking: reads until the queue is empty (-1 with EAGAIN).
        while read(descriptor, &buffer, buffer.count) > 0 {}
        return true
    }
}
