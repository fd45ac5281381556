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
        let deadline = clock.now.advanced(by: limit)
        while true {
            if try condition() { return true }
            if clock.now >= deadline { return false }
            Thread.sleep(forTimeInterval: min(interval, deadline - clock.now).seconds)
        }
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
