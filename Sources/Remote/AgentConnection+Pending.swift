import Foundation
import Synchronization

/// A request sent without waiting for its answer: a change, or a read sent ahead
/// (``AgentConnection/postRead(_:)``).
struct PendingChange: Sendable {
    var id: Int
    var name: AgentOperation.Name
    /// The controller's mark for the change it records (``ChangeTicket``), if any.
    var ticket: Int?
    /// A read sent ahead: its answer is kept for ``AgentConnection/takeRead(_:)``, never a change's failure.
    var isRead = false
}

/// A posted change that was not made, or may not have been: its answer was a failure, or it was
/// skipped after an earlier change of its batch failed, or the connection was lost before its
/// answer arrived.
public struct UnmadeChange: Sendable, Equatable {
    /// The mark its controller gave it (``ChangeTicket/current`` when it was posted).
    public let ticket: Int
    /// True when it never reached the host's world (skipped or refused); false when it failed
    /// there or its fate is unknown.
    public let refused: Bool
    /// Why, in a sentence.
    public let reason: String
}

/// The mark of the change a binding call is making, set by the controller around the call so that
/// a change posted without waiting can be found again when its answer says it was not made.
public enum ChangeTicket {
    @TaskLocal public static var current: Int?
}

extension AgentConnection {
    /// At most this many changes wait for their answers; past it, sending waits for half of them.
    /// (A change is written while its connection's answers are read, so no count could make the
    /// two sides wait for each other; this bounds what a failure leaves sent and unmade.)
    static let pendingWindow = 4096

    /// Sends a change (a write or removal, or a `files.sync` of them) without waiting for its
    /// answer, which is read before the answer of any later ``request(_:timeout:)``, and at the
    /// latest by ``settle()``.
    ///
    /// The changes posted between two failures form a batch: when one fails, the agent makes
    /// none of the batch's later ones, and the failure is thrown, as the error the change's own
    /// call would have thrown, by the next post or request for a change on this connection
    /// (before it is sent), by ``raiseFailure()`` or by ``settle()``; a read goes on. What was
    /// not made is kept for ``takeUnmade()``.
    public func post(_ request: AgentRequest, ticket: Int?) throws {
        let (server, host, timeout) = (self.server, self.host, requestTimeout)
        try channel.withLock { state in
            guard state != nil else {
                throw RemoteError.connectionLost("server '\(server)' on \(host): \(RemoteError.connectionLostMarker)the connection was closed")
            }
            if let broken = state!.broken { throw Self.thrownLoss(&state!, broken) }
            try Self.collect(&state!, keep: 0, blocking: false, timeout: timeout, server: server, host: host)
            if state!.pending.count >= Self.pendingWindow {
                try Self.collect(&state!, keep: Self.pendingWindow / 2, blocking: true, timeout: timeout, server: server, host: host)
            }
            try Self.throwFailure(&state!, timeout: timeout, server: server, host: host)
            var numbered = request
            numbered.id = state!.nextID
            numbered.batch = state!.batch
            state!.nextID += 1
            if numbered.operation.name != .filesSync { state!.changes += 1 }
            do {
                try AgentFrame.write(Array(try JSONEncoder().encode(numbered)), to: state!.output, whileReading: state!.input,
                                     deadline: .now + timeout) {
                    try Self.collectOne(&state!, timeout: timeout, server: server, host: host)
                }
            } catch let error as RemoteError {
                // Lost while reading an answer meanwhile: already said (and every change in doubt).
                if state!.broken != nil { throw error }
                // Whether this one arrived is unknown: its call fails (and is recorded failed);
                // the changes posted before it are unknown too.
                throw Self.lose(&state!, error, timeout: timeout, server: server, host: host)
            }
            state!.pending.append(PendingChange(id: numbered.id, name: numbered.operation.name, ticket: ticket))
        }
    }

    /// Waits for the answers of every posted change.
    ///
    /// - Throws: the first failure among them (as its call would have thrown it), or the
    ///   connection's loss; either way what was not made is kept for ``takeUnmade()``.
    public func settle() throws {
        let (server, host, timeout) = (self.server, self.host, requestTimeout)
        try channel.withLock { state in
            guard state != nil else { return }
            if let broken = state!.broken { throw Self.thrownLoss(&state!, broken) }
            try Self.collect(&state!, keep: 0, blocking: true, timeout: timeout, server: server, host: host)
            try Self.throwFailure(&state!, timeout: timeout, server: server, host: host)
        }
    }

    /// Throws the failure of a posted change, if one came back and was not thrown yet (reading
    /// the answers that are ready, without waiting): called before each binding call on any
    /// server of a run that sent changes, so that the next call raises it.
    public func raiseFailure() throws {
        let (server, host, timeout) = (self.server, self.host, requestTimeout)
        try channel.withLock { state in
            guard state != nil, state!.broken == nil, !state!.pending.isEmpty || state!.failure != nil else { return }
            try Self.collect(&state!, keep: 0, blocking: false, timeout: timeout, server: server, host: host)
            try Self.throwFailure(&state!, timeout: timeout, server: server, host: host)
        }
    }

    /// Whether posted changes wait for their answers, or a failure among them was not thrown yet.
    public var hasPending: Bool {
        channel.withLock { state in state.map { $0.pending.contains { !$0.isRead } || $0.failure != nil } ?? false }
    }

    /// The posted changes found not made (or of unknown fate) since the last call, oldest first.
    public func takeUnmade() -> [UnmadeChange] {
        channel.withLock { state in
            guard state != nil else { return [] }
            defer { state!.unmade = [] }
            return state!.unmade
        }
    }

    /// Reads answers of posted changes, oldest first, until at most `keep` wait (or, when not
    /// `blocking`, until none is ready). The first failure is kept in ``Channel/failure``; the
    /// batch's later changes come back refused by the agent.
    static func collect(_ open: inout Channel, keep: Int, blocking: Bool, timeout: Duration,
                        server: String, host: String) throws {
        while open.pending.count > keep {
            do {
                if !blocking, try !AgentFrame.waitReadable(open.input, deadline: .now) { return }
            } catch let error as RemoteError {
                throw lose(&open, error, timeout: timeout, server: server, host: host)
            }
            try collectOne(&open, timeout: timeout, server: server, host: host)
        }
    }

    /// Reads the answer of the oldest posted change (waiting for it at most `timeout`).
    static func collectOne(_ open: inout Channel, timeout: Duration, server: String, host: String) throws {
        guard !open.pending.isEmpty else {
            // Input with no change waiting for an answer: the agent's end, or a protocol error.
            throw lose(&open, RemoteError.protocolError("the agent sent what nobody asked for"), timeout: timeout, server: server, host: host)
        }
        do {
            do {
                guard let frame = try AgentFrame.read(from: open.input, deadline: .now + timeout) else {
                    throw RemoteError.connectionLost("the connection closed")
                }
                let head = open.pending[0]
                if head.isRead {
                    // Kept as it came: decoded (and its id checked) when taken; never, when dropped.
                    open.pending.removeFirst()
                    if open.droppedReads.remove(head.id) == nil { open.readAnswers[head.id] = (head.name, frame) }
                    return
                }
                let answer = try decode(frame, to: head.name)
                guard answer.id == head.id else {
                    throw RemoteError.protocolError("an answer to another request (\(answer.id), not \(head.id))")
                }
                guard answer.response.answers(head.name) else {
                    throw RemoteError.protocolError("an answer of another shape to \(head.name.rawValue)")
                }
                open.pending.removeFirst()
                guard let failure = answer.response.failure else { return }
                // What a view took in at sending is wrong now: counted as a change, it forgets.
                open.changes += 1
                if open.failure == nil {
                    open.failure = failure
                    let error = AgentErrors.error(for: failure, server: server, host: host)
                    if let ticket = head.ticket {
                        open.unmade.append(UnmadeChange(ticket: ticket, refused: failure.kind == .refused, reason: String(describing: error)))
                    }
                } else if let ticket = head.ticket {
                    open.unmade.append(UnmadeChange(ticket: ticket, refused: true,
                                                    reason: "not made: an earlier change sent with it failed"))
                }
            }
        } catch let error as RemoteError {
            throw lose(&open, error, timeout: timeout, server: server, host: host)
        }
    }

    /// After a failure was collected: reads the rest of its batch, starts a new batch and throws it.
    static func throwFailure(_ open: inout Channel, timeout: Duration, server: String, host: String) throws {
        guard let failure = open.failure else { return }
        try collect(&open, keep: 0, blocking: true, timeout: timeout, server: server, host: host)
        open.failure = nil
        open.batch += 1
        throw AgentErrors.error(for: failure, server: server, host: host)
    }

    /// Marks the connection broken by `error`; every change still waiting is of unknown fate.
    static func lose(_ open: inout Channel, _ error: RemoteError, timeout: Duration, server: String, host: String) -> RemoteError {
        let message = "server '\(server)' on \(host): " + RemoteError.connectionLostMarker + reason(error, open)
        open.broken = message
        for change in open.pending {
            guard let ticket = change.ticket else { continue }
            open.unmade.append(UnmadeChange(ticket: ticket, refused: false,
                                            reason: message + " (before this change was answered: whether it was made is unknown)"))
        }
        open.pending = []
        if case .timedOut = error { return .connectionLost(message + " (no answer within \(timeout))") }
        return .connectionLost(message)
    }
}
