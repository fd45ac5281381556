internal import Foundation

/// Polls a condition until it holds or a time limit passes; every wait in this module goes through it.
enum BoundedWait {
    /// Evaluates `condition` every `interval` until it returns `true` or `limit` has passed.
    ///
    /// The condition is always evaluated at least once, and once more after the limit passed.
    ///
    /// - Parameters:
    ///   - limit: how long to keep trying.
    ///   - interval: the pause between two evaluations.
    ///   - condition: the check; its errors end the wait and propagate.
    /// - Returns: `true` when the condition held within the limit.
    /// - Throws: whatever `condition` throws.
    static func until(limit: Duration, interval: Duration, _ condition: () throws -> Bool) rethrows -> Bool {
        let clock = ContinuousClock()
        var deadline = clock.now.advanced(by: limit)
        if let outer = WaitDeadline.current, outer < deadline { deadline = outer }
        while true {
            if try condition() { return true }
            if clock.now >= deadline { return false }
            Thread.sleep(forTimeInterval: min(interval, deadline - clock.now).seconds)
        }
    }
}

/// A deadline every wait on the current thread ends by at the latest, whatever its own limit: a
/// run's time limit, set around a binding call. A wait it cuts short fails as a timed-out wait does.
public enum WaitDeadline {
    private static let key = "phasekit.services.wait-deadline"

    /// Runs `body` with every wait on this thread ending by `deadline` (`nil`: no extra bound).
    public static func within<R>(_ deadline: ContinuousClock.Instant?, _ body: () throws -> R) rethrows -> R {
        let dictionary = Thread.current.threadDictionary
        let previous = dictionary[key]
        dictionary[key] = deadline
        defer { dictionary[key] = previous }
        return try body()
    }

    /// The deadline set on this thread, if any.
    static var current: ContinuousClock.Instant? {
        Thread.current.threadDictionary[key] as? ContinuousClock.Instant
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
