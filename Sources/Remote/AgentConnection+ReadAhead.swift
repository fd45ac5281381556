import Foundation
import Synchronization

extension AgentConnection {
    /// Sends a read without waiting for its answer, which is kept for ``takeRead(_:)`` (or
    /// forgotten by ``dropRead(_:)``): so that a host answers while the controller is busy with
    /// another. Answers come in the order of requests, so it is read before the answer of any
    /// later request on this connection.
    ///
    /// - Returns: the request's id, or nil when it was not sent: the connection is closed or
    ///   broken, a posted change failed and was not thrown yet, or too many answers wait. A
    ///   connection that breaks while sending it is marked broken, and its next request says so.
    public func postRead(_ operation: AgentOperation) -> Int? {
        precondition(operation.name.isRead, "only a read is sent ahead")
        let (server, host, timeout) = (self.server, self.host, requestTimeout)
        return channel.withLock { state -> Int? in
            guard state != nil, state!.broken == nil, state!.failure == nil, state!.pending.count < Self.pendingWindow / 2 else { return nil }
            var numbered = AgentRequest(operation)
            numbered.id = state!.nextID
            guard let encoded = try? JSONEncoder().encode(numbered) else { return nil }
            state!.nextID += 1
            do {
                try AgentFrame.write(Array(encoded), to: state!.output, whileReading: state!.input, deadline: .now + timeout) {
                    try Self.collectOne(&state!, timeout: timeout, server: server, host: host)
                }
            } catch {
                // Whatever stopped it, part of a frame may be out: the connection is broken, and the
                // server's next request throws why (``lostWhileReadingAhead``).
                if state!.broken == nil {
                    let lost = error as? RemoteError ?? .connectionLost("cannot send (\(error))")
                    _ = Self.lose(&state!, lost, timeout: timeout, server: server, host: host)
                }
                state!.lostReadingAhead = true
                return nil
            }
            state!.pending.append(PendingChange(id: numbered.id, name: operation.name, ticket: nil, isRead: true))
            return numbered.id
        }
    }

    /// The answer of the read ``postRead(_:)`` sent as `id`, waiting for it (at most the request
    /// time limit); an agent's failure is thrown as the backend's error, as ``request(_:timeout:)``
    /// does. Taken once.
    ///
    /// - Returns: nil when there is no such read (dropped, or taken already).
    /// - Throws: ``RemoteError/connectionLost(_:)`` when the connection broke (whether or not this
    ///   answer had come), a protocol error when the answer is not the one of this read.
    public func takeRead(_ id: Int) throws -> AgentResponse? {
        let (server, host, timeout) = (self.server, self.host, requestTimeout)
        return try channel.withLock { state -> AgentResponse? in
            guard state != nil else {
                throw RemoteError.connectionLost("server '\(server)' on \(host): \(RemoteError.connectionLostMarker)the connection was closed")
            }
            if let broken = state!.broken { throw Self.thrownLoss(&state!, broken) }
            while state!.readAnswers[id] == nil, let position = state!.pending.firstIndex(where: { $0.id == id }) {
                try Self.collect(&state!, keep: state!.pending.count - position - 1, blocking: true, timeout: timeout, server: server, host: host)
            }
            guard let (name, frame) = state!.readAnswers.removeValue(forKey: id) else { return nil }
            let answer: AgentAnswer
            do {
                answer = try Self.decode(frame, to: name)
                guard answer.id == id else { throw RemoteError.protocolError("an answer to another request (\(answer.id), not \(id))") }
                guard answer.response.answers(name) else { throw RemoteError.protocolError("an answer of another shape to \(name.rawValue)") }
            } catch let error as RemoteError {
                throw Self.lose(&state!, error, timeout: timeout, server: server, host: host)
            }
            if let failure = answer.response.failure { throw AgentErrors.error(for: failure, server: server, host: host) }
            return answer.response
        }
    }

    /// Forgets the read sent as `id`: its answer is thrown away, now or when it comes.
    public func dropRead(_ id: Int) {
        channel.withLock { state in
            guard state != nil else { return }
            if state!.readAnswers.removeValue(forKey: id) == nil, state!.pending.contains(where: { $0.id == id }) {
                state!.droppedReads.insert(id)
            }
        }
    }
}
