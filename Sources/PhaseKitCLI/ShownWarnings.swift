import Synchronization

/// The warnings already shown under their step, which the end of the run does not repeat.
final class ShownWarnings: Sendable {
    private let held = Mutex<[String: Int]>([:])

    /// Records warnings as shown.
    func add(_ warnings: [String]) { held.withLock { for warning in warnings { $0[warning, default: 0] += 1 } } }

    /// `warnings` less those shown (each shown one once).
    func notShown(_ warnings: [String]) -> [String] {
        held.withLock { shown in
            warnings.filter { warning in
                guard let count = shown[warning], count > 0 else { return true }
                shown[warning] = count - 1
                return false
            }
        }
    }
}
