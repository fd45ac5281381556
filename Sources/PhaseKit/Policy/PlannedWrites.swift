/// The writes a saved plan allows an execution (`--execute --plan FILE`), per step and server.
///
/// The dispatcher asks ``admit(_:key:)`` before every write of the execution reaches the world:
/// a write is admitted only when it is the next one the plan holds for its step row (same binding,
/// same arguments, same server). The first write that is not refuses it and every later write of
/// the run, so nothing beyond the plan is ever applied; the run then ends as refused (exit 4).
public final class PlannedWrites {
    /// Planned changes by row key (``key(step:server:)``), in the order they were planned.
    private let expected: [String: [Change]]
    /// How many of each row's changes were admitted so far.
    private var admitted: [String: Int] = [:]
    /// Why the execution left the plan, once it did.
    public private(set) var violation: String?

    public init(plan: SavedPlan) {
        var expected: [String: [Change]] = [:]
        for step in plan.steps { expected[Self.key(step: step.id, server: step.server), default: []] += step.changes }
        self.expected = expected
    }

    /// The key of a step row: `step@server`, with an empty server for steps that run once.
    public static func key(step: String, server: String?) -> String { RowKey(step: step, server: server).text }

    /// Admits `change` as the next write of row `key`, or throws ``PhaseKitError/refused(_:)``.
    func admit(_ change: Change, key: String) throws {
        if let violation { throw PhaseKitError.refused("\(change.summary): not applied, the execution already left the saved plan (\(violation))") }
        let planned = expected[key] ?? []
        let index = admitted[key] ?? 0
        guard index < planned.count else {
            return try refuse("\(change.summary) is not in the saved plan (it holds \(planned.count) change(s) for this step)")
        }
        let next = planned[index]
        guard next.summary == change.summary, next.server == change.server else {
            return try refuse("\(change.summary) is not the plan's next change of this step (\(next.summary))")
        }
        admitted[key] = index + 1
    }

    /// The plan's changes of row `key` that the execution has not made.
    public func remaining(key: String) -> [Change] {
        Array((expected[key] ?? []).dropFirst(admitted[key] ?? 0))
    }

    private func refuse(_ message: String) throws {
        violation = message
        throw PhaseKitError.refused(message)
    }
}
