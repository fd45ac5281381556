/// The step now running, as the dispatcher tags what it records: set once per step (and per row
/// of a per-server step) with ``Dispatcher/enter(_:)``, by `RunSession.runStep`.
public struct StepContext {
    /// The step's id; nil before the run's first step.
    public var name: String?
    /// The server its row runs for: the site's default server for a step run once.
    public var server: String
    /// The row's key in a saved plan (``PlannedWrites/key(step:server:)``).
    public var rowKey: String
    /// What the step's `phase` functions said about its row (its title, the open `phase.change`
    /// groups, an unmet precondition): fresh for every step, shared with the `phase` bindings.
    let phase = PhaseBindings.StepState()

    public init(name: String?, server: String, rowKey: String = "") {
        self.name = name
        self.server = server
        self.rowKey = rowKey
    }
}
