import Foundation

/// Reports stored while the command goes on printing: a big plan's report takes tens of
/// milliseconds to encode, render and write, which the command line spends printing the same
/// report instead of waiting (``RunHooks/archivesInBackground``).
///
/// The work runs one item after another on a queue of its own, each holding the site's lock until
/// its report is stored and rotated; ``waitForAll()`` returns once every item is done. The
/// `phasekit` command calls it at exit (`atexit`), however it exits, so that no report is lost to
/// the process ending first.
public enum ArchiveQueue {
    private static let queue = DispatchQueue(label: "phasekit.report-archive")
    private static let group = DispatchGroup()

    /// Runs `work` after every item added before it.
    static func add(_ work: @escaping @Sendable () -> Void) {
        queue.async(group: group, execute: work)
    }

    /// Waits until every report added so far is stored.
    public static func waitForAll() {
        group.wait()
    }
}
