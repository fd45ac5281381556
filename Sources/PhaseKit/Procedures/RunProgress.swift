import Synchronization

/// How many rows of an execution are left, readable from a signal handler's queue.
public final class RunProgress: Sendable {
    private let remainingRows = Mutex(0)

    public init() {}

    public var remaining: Int { remainingRows.withLock { $0 } }
    func set(_ count: Int) { remainingRows.withLock { $0 = count } }
    func finishOne() { remainingRows.withLock { $0 = max(0, $0 - 1) } }
}
