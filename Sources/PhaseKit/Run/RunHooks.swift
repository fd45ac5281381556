/// How a run talks to whoever started it: asking, telling, and the moments that matter for signals.
public struct RunHooks: Sendable {
    /// What the operator is asked to confirm.
    public struct Confirmation: Sendable {
        /// The changes to apply.
        public var changes: Int
        /// The phase (or the procedure, when it confirms once); nil for a script.
        public var title: String?
        /// Whether the run can still be stopped once it applies (`interruptible` in procedure.lua;
        /// always for a script): the prompt says so when it cannot.
        public var interruptible = true
    }

    /// What an execution tells before it starts, for the caller's signal handling.
    public struct Execution: Sendable {
        /// Whether signals may stop it once it applies (`interruptible` in procedure.lua).
        public var interruptible: Bool
        /// Rows left, for a procedure.
        public var progress: RunProgress?
        /// Records, in the journal, that the run ended unconfirmed (a signal before it applied).
        public var markNotConfirmed: @Sendable () -> Void
    }

    /// Whether the operator can be asked (a terminal); a procedure execution that would have to
    /// ask refuses up front without one.
    public var canConfirm = false
    /// Asks the operator; `true` applies. Not called with `--yes` or a saved plan.
    public var confirm: @Sendable (Confirmation) -> Bool = { _ in false }
    /// A procedure's runner, just before it starts (a presenter reads its rows and mode).
    public var procedureReady: @Sendable (ProcedureRunner) -> Void = { _ in }
    /// A procedure's progress, row by row (not for a `--plan-out` analysis).
    public var onEvent: @Sendable (ProcedureRunner.Event) -> Void = { _ in }
    /// A script's plan, about to be confirmed.
    public var planned: @Sendable (RunReport) -> Void = { _ in }
    /// An execution is about to start.
    public var executionStarting: @Sendable (Execution) -> Void = { _ in }
    /// The execution starts changing the world (it was confirmed, or needs no confirmation).
    public var willApply: @Sendable () -> Void = {}
    /// A message for the operator that is not part of the report (the report could not be archived).
    public var note: @Sendable (String) -> Void = { _ in }
    /// Stores the run's reports on another thread while the caller goes on (``ArchiveQueue``): the
    /// caller must call ``ArchiveQueue/waitForAll()`` before its process ends.
    public var archivesInBackground = false

    public init() {}
}
