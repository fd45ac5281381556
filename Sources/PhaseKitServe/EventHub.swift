import Foundation
import Synchronization

/// The newest `/api/run` document and the event streams waiting for the next one.
///
/// Each stream is told only that something happened (a new document, or a heartbeat), with room
/// for one such signal: a client that does not keep up skips documents it has not sent yet and gets
/// the newest, so what a slow client holds is bounded by one document.
final class EventHub: Sendable {
    /// What a stream is told.
    enum Signal: Sendable {
        case changed
        case heartbeat
    }

    private struct State {
        var document = Data()
        var generation = 0
        var streams: [Int: AsyncStream<Signal>.Continuation] = [:]
        var nextID = 0
        var finished = false
    }

    private let state = Mutex(State())

    /// The newest document and its generation (0 before the first).
    var current: (document: Data, generation: Int) { state.withLock { ($0.document, $0.generation) } }

    /// The number of open event streams.
    var streamCount: Int { state.withLock { $0.streams.count } }

    /// Publishes a new document (when it differs from the last) and tells every stream.
    func publish(_ document: Data) {
        let streams = state.withLock { state -> [AsyncStream<Signal>.Continuation] in
            guard document != state.document else { return [] }
            state.document = document
            state.generation += 1
            return Array(state.streams.values)
        }
        for stream in streams { stream.yield(.changed) }
    }

    /// Tells every stream to send a heartbeat (or the document it has not sent).
    func heartbeat() {
        for stream in state.withLock({ Array($0.streams.values) }) { stream.yield(.heartbeat) }
    }

    /// A new stream's signals and its ID (for ``unsubscribe(_:)``).
    func subscribe() -> (id: Int, signals: AsyncStream<Signal>) {
        let (signals, continuation) = AsyncStream.makeStream(of: Signal.self, bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state -> Int in
            state.nextID += 1
            if state.finished { continuation.finish() } else { state.streams[state.nextID] = continuation }
            return state.nextID
        }
        return (id, signals)
    }

    func unsubscribe(_ id: Int) {
        state.withLock { $0.streams.removeValue(forKey: id) }?.finish()
    }

    /// Ends every stream (the server stops).
    func finishAll() {
        let streams = state.withLock { state -> [AsyncStream<Signal>.Continuation] in
            state.finished = true
            defer { state.streams = [:] }
            return Array(state.streams.values)
        }
        for stream in streams { stream.finish() }
    }
}
