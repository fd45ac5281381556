import Foundation
import LuaRuntime

/// Runs a procedure: every step in analysis, or phase by phase in execution.
///
/// Analysis runs all steps in one session, so later phases see the changes earlier ones planned.
/// Execution takes one phase (step) at a time: analyze it, show its plan and ask (unless told
/// yes), apply it, and analyze it again; a phase that still has changes or issues stops the run
/// before the next one (exit 3). A re-run continues where it stopped, since finished phases
/// analyze clean and are passed over.
///
/// ## Thread model
///
/// A run starts on the caller's thread, and everything but the rows of a per-server step runs
/// there. In a procedure that confirms once, the rows of one per-server step run at the same time
/// (at most ``maximumConcurrentRows``), each on a thread of its own (`Thread`, not the Swift
/// concurrency pool: rows block for seconds on services, processes and disks):
/// - each row has its own ``RunSession``: its own Lua state, dispatcher, recorder and world,
///   which never leave that thread;
/// - the threads share only Sendable values: this runner (a Sendable value whose callbacks are
///   `@Sendable`), its ``Journal`` and ``RunProgress`` (each behind a `Mutex`), and the step's
///   results, gathered behind a `Mutex`; ``onEvent`` is called under that same lock, so the
///   caller sees one event at a time;
/// - the compiler checks all of this: nothing in the engine opts out of its Sendable checking.
///
/// ``onEvent`` and ``willApply`` may thus be called from a row's thread; ``confirm`` is only
/// called on the caller's thread. docs/runtime.md describes the whole run's threads (the
/// deadline watchdog, signal handling).
public struct ProcedureRunner: Sendable {
    /// What the runner tells its caller while it works.
    public enum Event: Sendable {
        /// A run of the procedure starts in this mode (said by ``TargetRunner``).
        case procedureStarted(ProcedureDefinition, RunMode)
        case stepStarted(StepDefinition, server: String?)
        case stepFinished(RunReport.Step)
        /// The warnings (`phase.warn`) of the row that just finished, right after its
        /// ``stepFinished(_:)``, so that they can be shown under it; the report keeps them too.
        case stepWarned([String])
        /// The plan of one phase, about to be applied.
        case phasePlanned(RunReport.Step)
        /// The whole plan of a procedure that confirms once, about to be applied.
        case procedurePlanned(RunReport)
        /// Execution's rows start (after the plan of a procedure that confirms once): the rows'
        /// events that follow are the execution's, not its analysis's.
        case executionStarted
    }

    public var procedure: ProcedureDefinition
    public var options: RunOptions
    public var onEvent: @Sendable (Event) -> Void = { _ in }
    /// Asked before each phase's changes are applied; `true` applies.
    public var confirm: @Sendable (RunReport.Step) -> Bool = { _ in false }
    /// The execution's journal; nil runs unjournaled (analysis never journals).
    public var journal: Journal?
    /// Rows (`step@server`) a resumed execution passes over: they finished before.
    public var completed: Set<String> = []
    /// Rows the operator confirmed before this run (a resume's in-flight and confirmed rows):
    /// they apply without ``confirm``.
    public var preconfirmed: Set<String> = []
    /// The execution was confirmed before it started (`--yes`, a saved plan); the journal's
    /// run-started record says so, for `resume`.
    public var confirmedUpFront = false
    /// Whether ``confirm`` can ask anyone. When it cannot (a resume without a terminal), a phase
    /// it refuses was not declined: the run-finished record leaves the execution resumable.
    public var canAsk = true
    /// Called (from the row's thread) just before an execution first changes the world: an
    /// execute pass starts. Until then nothing was changed.
    public var willApply: @Sendable () -> Void = {}
    /// Rows left, for the message of a deferred signal.
    public let progress = RunProgress()
    /// At most this many rows of one per-server step run at once.
    public var maximumConcurrentRows = 3

    public init(procedure: ProcedureDefinition, options: RunOptions) {
        self.procedure = procedure
        self.options = options
    }

    /// Runs the procedure in `options.mode` and reports.
    public func run() -> RunReport {
        options.mode == .analyze ? analyze() : execute()
    }

    /// The servers a step runs for: `nil` for once, otherwise the matching servers of the site.
    func servers(for step: StepDefinition) -> [String?] {
        guard step.scope != .once, let site = options.site else { return [nil] }
        return site.servers.filter { step.scope.includes(role: $0.role, procedureRoles: procedure.roles) }.map(\.name)
    }

    /// Every row of the procedure (step and server, nil for once), in the order they run.
    public var rows: [(step: StepDefinition, server: String?)] {
        procedure.enabledSteps.flatMap { step in servers(for: step).map { (step, $0) } }
    }

    func analyze() -> RunReport {
        let started = Date()
        var steps: [RunReport.Step] = []
        var warnings: [String] = []
        do {
            // Always analysis; the plan of an execution (confirm once) plans what its rows do.
            var analysisOptions = options
            analysisOptions.intent = options.intent.planning
            let session = try RunSession(options: analysisOptions)
            var stopped = false
            for step in procedure.enabledSteps {
                for server in servers(for: step) {
                    if stopped {
                        steps.append(skipped(step, server: server))
                        continue
                    }
                    onEvent(.stepStarted(step, server: server))
                    let warned = session.recorder.warnings.count
                    let report = session.runScript(path: step.path, id: step.id, title: step.title(for: server), section: step.section, server: server)
                    onEvent(.stepFinished(report))
                    let rowWarnings = session.recorder.warnings.dropFirst(warned)
                    if !rowWarnings.isEmpty { onEvent(.stepWarned(Array(rowWarnings))) }
                    steps.append(report)
                    stopped = report.state == .failed
                }
            }
            session.finish()
            warnings = session.warnings + session.recorder.warnings
        } catch {
            return RunReport.make(heading(.analyze, started), steps: steps, warnings: warnings, error: RunReport.ErrorDetail(error))
        }
        return RunReport.make(heading(.analyze, started), steps: steps, warnings: warnings)
    }

    /// The heading of this procedure's reports.
    func heading(_ mode: RunMode, _ started: Date) -> RunReport.Heading {
        RunReport.Heading(target: procedure.name, site: options.site?.directory, mode: mode, startedAt: started)
    }

    func skipped(_ step: StepDefinition, server: String?) -> RunReport.Step {
        RunReport.Step(id: step.id, title: step.title(for: server), section: step.section, server: server, state: .skipped,
                       script: RunSession.identity(of: step.path), changes: [], issues: [], log: [], error: nil)
    }
}
