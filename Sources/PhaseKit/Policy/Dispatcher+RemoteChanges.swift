import Remote

/// Changes sent to other hosts without waiting for their answers (``AgentConnection/post(_:ticket:)``):
/// their records corrected when the answers say they were not made, and their failures raised
/// with the call that made them.
extension Dispatcher {
    /// Corrects the records of the remote changes found not made since the last call (sent without
    /// waiting, answered later), and says how many there were.
    @discardableResult
    func settleUnmade() -> Int {
        guard mode == .execute else { return 0 }
        changesInFlight = world.connections.contains { $0.hasPending }
        var count = 0
        for connection in world.connections {
            for unmade in connection.takeUnmade() {
                let amended = recorder.amend(ticket: unmade.ticket, status: unmade.refused ? .refused : .failed, error: unmade.reason)
                if let amended, !unmade.refused, !unmade.reason.contains(RemoteError.connectionLostMarker) {
                    deferredFailure = DeferredChangeFailure.Origin(reason: unmade.reason, binding: amended.binding, location: amended.location)
                }
                count += 1
            }
        }
        return count
    }

    /// `error` with the call that made the change it reports, when it is the failure of a change
    /// sent without waiting (raised by a later call, or by the step's end, whose own line would
    /// say nothing of it); `error` itself otherwise.
    func located(_ error: any Error) -> any Error {
        settleUnmade()
        // A failure is raised once, right after its answer is taken in: the origin serves that once.
        defer { deferredFailure = nil }
        guard let origin = deferredFailure, String(describing: error) == origin.reason else { return error }
        return DeferredChangeFailure(underlying: error, origin: origin)
    }

    /// Throws the failure of a remote change this step sent, when one came back and was not
    /// raised yet (``AgentConnection/raiseFailure()``).
    func raiseRemoteFailures() throws {
        guard changesInFlight else { return }
        for connection in world.connections { try connection.raiseFailure() }
    }
}
