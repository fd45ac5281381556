import Foundation
import LuaRuntime

/// The execution of a run confirmed up front (`phasekit run FILE.lua --execute --yes`), staged on
/// the planned world first.
///
/// A confirmed run used to analyze and then execute: the same script twice, the second time
/// against the real world. The stage is that analysis, run so that the script does what the
/// execution would do (it sees "execute" as its mode) while every binding still acts on the
/// planned world. Then ``execute()``:
/// - when everything the stage planned is a write to the site database (which the planned world
///   makes inside one open transaction), committing that transaction is the execution, statement
///   for statement: the script does not run a second time;
/// - otherwise (services, volumes, files, a failed write) the stage is rolled back and the
///   execution runs as before, on the real world.
///
/// Until ``execute()`` or ``discard()``, the stage holds its database transaction open (a write
/// lock on SQLite), which is why only a run that needs no answer from the operator is staged.
public final class StagedRun {
    /// The stage as an analysis report: the plan shown before the execution.
    public let plan: RunReport
    private var session: RunSession?
    private let path: String
    private let options: RunOptions
    private let registry: BindingRegistry

    /// Runs the stage of `path` (as ``RunIntent/stagedExecution(fingerprinted:)``, whatever
    /// `options.intent`, fingerprinted when the plan it makes is saved).
    public init(path: String, options: RunOptions, registry: BindingRegistry = .standard) {
        var staged = options
        staged.intent = .stagedExecution(fingerprinted: options.intent.fingerprinting)
        (plan, session) = ScriptRunner.runKeepingSession(path: path, options: staged, registry: registry)
        self.path = path
        self.options = options
        self.registry = registry
    }

    deinit { discard() }

    /// Whether committing the stage is the whole execution: the plan holds planned database
    /// writes only, and no error.
    public var commitIsTheExecution: Bool {
        guard session != nil, plan.error == nil, plan.outcome == .changes else { return false }
        return plan.steps.allSatisfy { step in
            step.error == nil && step.changes.allSatisfy { $0.status == .planned && registry.traits(of: $0.binding).contains(.rollsBackWithStep) }
        }
    }

    /// Executes the run: commits the stage when ``commitIsTheExecution``, otherwise discards it
    /// and runs the script again in execution.
    public func execute() -> RunReport {
        var execution = options
        execution.intent = .execute
        guard commitIsTheExecution, let session else {
            discard()
            return ScriptRunner.run(path: path, options: execution, registry: registry)
        }
        var failure: RunReport.ErrorDetail?
        do {
            try WorldBuilder.commitStaged(session.world)
        } catch {
            failure = RunReport.ErrorDetail(error)
        }
        discard()
        let steps = failure != nil ? [] : plan.steps.map(Self.applied)
        return RunReport.make(plan.heading(.execute), steps: steps, warnings: plan.warnings, error: failure)
    }

    /// Rolls the stage back; harmless after ``execute()``.
    public func discard() {
        session?.finish()
        session = nil
    }

    /// A step of the stage as its execution reports it: the changes applied.
    static func applied(_ step: RunReport.Step) -> RunReport.Step {
        var step = step
        for index in step.changes.indices { step.changes[index].status = .applied }
        guard step.state != .skipped else { return step }
        step.state = RunSession.state(failed: step.error != nil, findings: step.issues, planned: step.plansChanges, mode: .execute)
        return step
    }
}
