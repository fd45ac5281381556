/// Polls a backend tool until a service settles or reaches a wanted state, within a limit.
///
/// Shared by the systemd and pacemaker backends, whose state changes complete asynchronously.
struct StateWaiter {
    /// The service, for error messages.
    var service: String
    /// The bound on the wait.
    var limit: Duration
    /// The pause between two readings.
    var interval: Duration

    /// Reads the state until it is settled (not in transition).
    ///
    /// - Parameter observe: one reading of the state.
    /// - Returns: the settled state.
    /// - Throws: ``ServiceError/Kind/timedOut`` naming the transitional state it stayed in, or what `observe` throws.
    func settled(_ observe: () throws -> ObservedState) throws -> ServiceState {
        var last = ObservedState(state: nil, detail: "not yet read")
        _ = try BoundedWait.until(limit: limit, interval: interval) {
            last = try observe()
            return last.state != nil
        }
        guard let state = last.state else {
            throw ServiceError(.timedOut, service: service, "still \(last.detail) after \(limit); no settled state")
        }
        return state
    }

    /// Reads the state until it satisfies `reached`.
    ///
    /// - Parameters:
    ///   - wanted: the wanted state's name, for messages.
    ///   - reached: whether a settled state is the wanted one.
    ///   - failsFast: whether a settled state means the change failed, so waiting on is pointless.
    ///   - observe: one reading of the state.
    /// - Throws: ``ServiceError/Kind/timedOut`` naming the state reached when the limit passed,
    ///   ``ServiceError/Kind/actionFailed`` when `failsFast` holds, or what `observe` throws.
    func wait(
        for wanted: String,
        reached: (ServiceState) -> Bool,
        failsFast: (ServiceState) -> Bool = { _ in false },
        _ observe: () throws -> ObservedState
    ) throws {
        var last = ObservedState(state: nil, detail: "not yet read")
        let done = try BoundedWait.until(limit: limit, interval: interval) {
            last = try observe()
            guard let state = last.state else { return false }
            return reached(state) || failsFast(state)
        }
        if let state = last.state, done, !reached(state) {
            throw ServiceError(.actionFailed, service: service, "did not become \(wanted): it is \(last.detail)")
        }
        if !done {
            throw ServiceError(.timedOut, service: service, "did not become \(wanted) within \(limit); it is \(last.detail)")
        }
    }
}
