/// What a run is: the one value that decides which world bindings act on, how writes are
/// recorded, what reads are kept (the fingerprints of a saved plan), and what scripts are told
/// (`ctx.mode`, `phase.mode`, `ctx.intent`).
///
/// Every switch over it is exhaustive: a new kind of run must say, case by case, what each of
/// these is.
public enum RunIntent: Sendable {
    /// An analysis: the planned world, writes planned; scripts see "analyze".
    case analyze
    /// The analysis that plans an execution (a procedure's per-phase plans and re-analyses, the
    /// plan of one that confirms once, a procedure's plan saved with `--plan-out` or checked with
    /// `--plan`, which is `fingerprinted`): the planned world; scripts see mode "analyze" and
    /// intent "execute", so they plan what the execution needs. It grants nothing.
    case planExecution(fingerprinted: Bool)
    /// An analysis that stages an execution (a script confirmed up front, or its plan saved or
    /// checked, which is `fingerprinted`; see ``StagedRun``): the planned world, but scripts see
    /// "execute" as their mode and intent, so they do what the execution would do.
    case stagedExecution(fingerprinted: Bool)
    /// An execution: the real world, writes applied.
    case execute
    /// The execution of a saved plan (`--execute --plan FILE`): the real world, and every write
    /// must be the plan's next one for its step row, or it is refused before it reaches the world.
    case applySavedPlan(SavedPlan)

    /// The intent of a plain run in `mode`.
    public init(_ mode: RunMode) {
        self = switch mode {
        case .analyze: .analyze
        case .execute: .execute
        }
    }

    /// Which world bindings act on and how writes are recorded: planned, or applied.
    public var mode: RunMode {
        switch self {
        case .analyze, .planExecution, .stagedExecution: .analyze
        case .execute, .applySavedPlan: .execute
        }
    }

    /// What scripts see as their mode (`ctx.mode`, `phase.mode`).
    public var presentedMode: RunMode {
        switch self {
        case .analyze, .planExecution: .analyze
        case .stagedExecution, .execute, .applySavedPlan: .execute
        }
    }

    /// What steps see as `ctx.intent`: "execute" in every run that is, or plans, an execution.
    public var presentedIntent: RunMode {
        switch self {
        case .analyze: .analyze
        case .planExecution, .stagedExecution, .execute, .applySavedPlan: .execute
        }
    }

    /// Whether every read's arguments and results are kept per step row, so that a saved plan can
    /// tell whether the state a step read has changed since (``SavedPlan``): in the analysis
    /// whose plan is saved or checked, and in no other run.
    public var fingerprinting: Bool {
        switch self {
        case .planExecution(let fingerprinted), .stagedExecution(let fingerprinted): fingerprinted
        case .analyze, .execute, .applySavedPlan: false
        }
    }

    /// The saved plan an execution applies, when it applies one.
    public var savedPlan: SavedPlan? {
        switch self {
        case .applySavedPlan(let plan): plan
        case .analyze, .planExecution, .stagedExecution, .execute: nil
        }
    }

    /// The analysis that plans this run: itself for an analysis, ``planExecution(fingerprinted:)``
    /// (keeping no fingerprints) for an execution.
    public var planning: RunIntent {
        switch self {
        case .analyze, .planExecution, .stagedExecution: self
        case .execute, .applySavedPlan: .planExecution(fingerprinted: false)
        }
    }
}
