import Foundation

/// How many rows of an execution are left, readable from a signal handler's queue.
public final class RunProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var remainingRows = 0

    public init() {}

    public var remaining: Int { lock.withLock { remainingRows } }
    func set(_ count: Int) { lock.withLock { remainingRows = count } }
    func finishOne() { lock.withLock { remainingRows = max(0, remainingRows - 1) } }
}
