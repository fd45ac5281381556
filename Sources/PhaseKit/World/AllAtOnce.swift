import Foundation

/// Runs blocking work (an ssh handshake, an agent's start) on one thread per item, all at once;
/// and two parts of one result (a report's JSON and its text) on two threads.
///
/// `DispatchQueue.concurrentPerform` runs as many items at once as there are cores: on 2 cores a
/// third host's handshake waited for one of the first two. A handshake mostly waits (on the
/// network, on the host's sshd), so each gets its own thread and every one starts together.
enum AllAtOnce {
    /// Calls `body` with every index of `0..<count`, each on its own thread, and returns once all
    /// returned. One item runs on the calling thread.
    static func run(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        guard count > 1 else {
            if count == 1 { body(0) }
            return
        }
        let group = DispatchGroup()
        for index in 1..<count {
            group.enter()
            Thread.detachNewThread {
                body(index)
                group.leave()
            }
        }
        body(0)
        group.wait()
    }

    /// Calls `first` on a thread of its own while `second` runs on the calling thread, and
    /// returns both results once both returned.
    static func both<First: Sendable, Second>(_ first: @escaping @Sendable () -> First, _ second: () -> Second) -> (First, Second) {
        let slot = ResultSlot<First>()
        let group = DispatchGroup()
        group.enter()
        Thread.detachNewThread {
            slot.value = first()
            group.leave()
        }
        let other = second()
        group.wait()
        guard let value = slot.value else { preconditionFailure("the other thread returned no result") }
        return (value, other)
    }
}

/// The result of work on another thread: written there before its group is left, read here only
/// after waiting for that group (which orders the two).
private final class ResultSlot<Value>: @unchecked Sendable {
    var value: Value?
}
