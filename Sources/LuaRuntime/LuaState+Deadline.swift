import Foundation
internal import CLua
internal import CLuaShim

extension LuaState {
    /// The largest chunk `load`, `require` and ``load(file:)`` compile: 4 MiB.
    public static let maximumChunkBytes = Int(CLUA_MAXIMUM_CHUNK)

    /// Ends the process with exit status 1 and "time limit exceeded" on standard error when a
    /// state runs script code (or compiles a chunk) `grace` past its deadline: the backstop for
    /// work nothing cooperative can stop. Process-wide and permanent; for the command line tool
    /// only (a test process would be ended with it).
    public static func enableBackstop(grace: Duration) {
        clua_backstop_enable(grace.secondsValue)
    }

    /// Time left before the run's deadline (zero once it passed), or nil when the run has no time limit.
    public var remainingTime: Duration? {
        let deadline = runtime.pointee.deadline
        guard deadline > 0 else { return nil }
        let left = max(0, deadline - clua_monotonic_seconds())
        return .microseconds(Int64((left * 1e6).rounded(.up)))
    }

    /// Whether the run is out of time: the time limit tripped, or the deadline passed (give or
    /// take 10 ms: host code that stopped at the deadline by another clock counts as stopped by it).
    public var isPastDeadline: Bool {
        if trippedLimit == .time { return true }
        let deadline = runtime.pointee.deadline
        return deadline > 0 && clua_monotonic_seconds() >= deadline - 0.01
    }
}

extension LuaCall {
    /// Time left before the run's deadline, or nil when the run has no time limit.
    public var remainingTime: Duration? { state.remainingTime }

    /// Whether the run is out of time (a host function asks this in long work, and stops).
    public var isPastDeadline: Bool { state.isPastDeadline }

    /// Says what this call is doing (such as the SQL statement it runs), for the message of a
    /// limit that trips meanwhile and of the backstop; cleared when the call returns.
    public func noteActivity(_ text: String) {
        let runtime = state.runtime
        text.withCString { clua_set_activity(runtime, $0) }
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var secondsValue: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
