import Dispatch
import Synchronization

/// Runs the engine's synchronous work (reading the journal, analyses, reports) one piece at a
/// time on a dedicated thread, never on the server's event loops, with at most ``maxWaiting``
/// requests waiting for it: beyond that a request is answered 503 at once.
final class EngineQueue: Sendable {
    /// The engine is busy: too many requests wait for it.
    struct Busy: Error {}

    private let queue = DispatchQueue(label: "phasekit.serve.engine", qos: .userInitiated)
    private let waiting = Mutex(0)
    let maxWaiting: Int

    init(maxWaiting: Int = 64) {
        self.maxWaiting = maxWaiting
    }

    /// Runs `work` on the engine's thread and returns what it returns.
    ///
    /// - Throws: ``Busy`` when ``maxWaiting`` requests already wait, or what `work` throws.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let admitted = waiting.withLock { count in
            guard count < maxWaiting else { return false }
            count += 1
            return true
        }
        guard admitted else { throw Busy() }
        defer { waiting.withLock { $0 -= 1 } }
        return try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }
}
