import Foundation

/// Runs blocking work (an ssh handshake, an agent's start) on one thread per item, all at once.
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
}
