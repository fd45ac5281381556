extension PhaseBindings {
    /// What the running step's `phase` functions said about its row: fresh for every step (it
    /// comes with the step's ``StepContext``), read by the run when the step ends.
    final class StepState {
        /// The title the step gave its row with `phase.title`, or nil.
        var title: String?
        /// The descriptions of the `phase.change` calls now running, outermost first: writes take
        /// the innermost (``group``).
        var changeGroups: [String] = []
        /// Set when the step called `phase.precondition`: the run stops with exit code 3.
        var unmetPrecondition: Finding?

        init() {}

        /// The description the step's writes are shown under now, or nil outside `phase.change`.
        var group: String? { changeGroups.last }
    }
}
