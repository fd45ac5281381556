import Foundation
public import LuaRuntime

/// One run: a sandboxed Lua state, the dispatcher enforcing the mode, and the world it acts on.
///
/// Steps run one after the other on the same world and dispatcher (so later steps see what
/// earlier ones planned), but each step, and each row of a per-server step, runs in a Lua state of
/// its own: fresh globals, library tables, `require` cache and binding modules, so nothing one
/// step does to its environment (`rawset` on a module, a replaced library function, a kept
/// coroutine) reaches another. Each step's changes, issues and log lines are collected into its
/// ``RunReport/Step``. Close the session with ``finish()``: in analysis that rolls back the run's
/// database transaction.
public final class RunSession {
    public let options: RunOptions
    /// The Lua state of the step running now (or of the last one).
    public private(set) var lua: LuaState
    public let dispatcher: Dispatcher
    let world: World
    /// `options.change` converted into the current state once; every use pushes a copy of it.
    private var changeTemplate: LuaTableTemplate?
    /// Whether ``lua`` has run a step: the next step gets a fresh state.
    private var stateUsed = false
    /// Warnings of the states of earlier steps.
    private var earlierWarnings: [String] = []
    public var recorder: RunRecorder { dispatcher.recorder }
    /// Warnings emitted by every step's state so far (`warn(...)`), oldest first.
    public var warnings: [String] { earlierWarnings + lua.warnings }

    public init(options: RunOptions, registry: BindingRegistry = .standard) throws {
        self.options = options
        self.world = WorldBuilder.world(for: options.site, mode: options.mode, procedure: options.procedure)
        self.lua = try LuaState(limits: options.limits, searchPath: options.searchPath)
        self.dispatcher = try Dispatcher(
            intent: options.intent, registry: registry, world: world,
            defaultServer: options.site?.defaultServer.name ?? "local", parameters: options.parameters,
            stateDirectory: options.site?.stateDirectory, writesWorksheets: options.writesWorksheets
        )
        try dispatcher.install(into: lua)
    }

    /// Gives the next step a pristine Lua state: the first step uses the one made with the
    /// session, every later one a new state with the bindings installed afresh.
    func freshState() throws {
        guard stateUsed else {
            stateUsed = true
            return
        }
        earlierWarnings += lua.warnings
        changeTemplate = nil
        let next = try LuaState(limits: options.limits, searchPath: options.searchPath)
        next.continueLimits(from: lua)
        try dispatcher.install(into: next)
        lua = next
    }

    /// Runs a script file as one step, in a pristine Lua state (see ``RunSession``). A chunk that returns a step table (`{ title = ..., run =
    /// function(ctx) ... end }`) has its `run` called with the step context; any other chunk is the
    /// step itself.
    public func runScript(
        path: String, id: String, title: String, section: String? = nil, server: String? = nil
    ) -> RunReport.Step {
        var notApplicable = false
        var report = runStep(id: id, title: title, section: section, server: server, scriptPath: path) {
            try freshState()
            let results = try lua.call(try lua.load(file: path))
            guard case .table(let step)? = results.first, case .function(let run) = step["run"] else { return }
            let context = try context(step: id, server: server)
            if case .function(let applies) = step["applies"] {
                // No change (nothing edited, or already initialized): no predicate step applies.
                guard options.change != nil else {
                    notApplicable = true
                    return
                }
                let verdict = try lua.call(applies, [try change(), .table(context)])
                guard case .boolean(true)? = verdict.first else {
                    notApplicable = true
                    return
                }
            }
            try lua.call(run, [.table(context)])
        }
        if notApplicable { report.state = .skipped }
        return report
    }

    /// The `ctx` a step's `run` receives.
    ///
    /// `ctx.mode` and `ctx.intent` come from the run's ``RunIntent``: `ctx.intent` is "execute" in
    /// the analysis that plans an execution, so a step can plan what execution needs (the services
    /// initialization starts required services instead of stopping the run); it grants nothing:
    /// the dispatcher alone decides what reaches the world.
    func context(step: String, server: String?) throws -> LuaTable {
        try LuaTable([
            "mode": .text(options.intent.presentedMode.rawValue), "intent": .text(options.intent.presentedIntent.rawValue), "step": .text(step),
            "params": .table(options.parameters), "procedure": .text(options.procedure ?? ""),
            "change": change(),
            "server": .text(server ?? options.site?.defaultServer.name ?? "local"),
        ])
    }

    /// What changed (`ctx.change`, and the argument of `applies`), or nil: each call a fresh copy
    /// of one conversion per session, so a step that changes its copy changes no other step's.
    func change() throws -> LuaValue {
        guard let change = options.change else { return .nil }
        if let changeTemplate { return .copy(of: changeTemplate) }
        let template = try lua.makeTemplate(change)
        changeTemplate = template
        return .copy(of: template)
    }

    /// Runs `body` as one step, collecting what it recorded; database writes of the step commit
    /// atomically in execution and roll back when it fails.
    public func runStep(
        id: String, title: String, section: String?, server: String?, scriptPath: String?, _ body: () throws -> Void
    ) -> RunReport.Step {
        let serverName = server ?? options.site?.defaultServer.name ?? "local"
        let rowKey = PlannedWrites.key(step: id, server: server)
        let step = StepContext(name: id, server: serverName, rowKey: rowKey)
        dispatcher.enter(step)
        var error: RunReport.ErrorDetail?
        var rollbackFailure: (any Error)?
        do {
            try body()
            // A host lost during the step fails it, even when the script caught the failed request.
            try RemoteWorld.checkConnections(of: world)
            try checkPlan(row: rowKey)
            try WorldBuilder.finishStep(world, success: true)
        } catch let failure {
            if let lost = RemoteWorld.lostConnection(in: world, failure: failure) {
                error = RunReport.ErrorDetail(lost)
            } else if let precondition = step.phase.unmetPrecondition {
                // A precondition raised in the script reaches here as the Lua error it became on its way.
                error = RunReport.ErrorDetail(PhaseKitError.precondition(precondition.summary + (precondition.detail.map { "\n" + $0 } ?? "")))
            } else {
                // A remote change's failure raised by the step's end names the call that made it.
                error = RunReport.ErrorDetail(dispatcher.located(failure))
            }
            do {
                try WorldBuilder.finishStep(world, success: false)
            } catch let rollback {
                rollbackFailure = rollback
                error?.message += "; rolling back the step's database writes failed too (\(rollback))"
            }
        }
        // Remote changes sent without waiting are all answered by now: those not made are recorded so.
        dispatcher.settleUnmade()
        recorder.forgetTickets()
        let slice = recorder.slice(step: id, server: serverName)
        var changes = slice.changes
        if error != nil && options.mode == .execute {
            // The failed step's writes that roll back with it (the database's) are not applied.
            for index in changes.indices where changes[index].status == .applied
                && dispatcher.registry.traits(of: changes[index].binding).contains(.rollsBackWithStep) {
                changes[index].status = .failed
                changes[index].error = rollbackFailure.map { "the step failed and its rollback failed (\($0)): check the database" }
                    ?? "rolled back: the step failed"
            }
        }
        let state = Self.state(failed: error != nil, findings: slice.findings, planned: changes.contains { $0.status == .planned }, mode: options.mode)
        return RunReport.Step(
            id: id, title: step.phase.title ?? title, section: section, server: server, state: state,
            script: scriptPath.flatMap(Self.identity(of:)),
            changes: changes, issues: slice.findings, log: slice.log.map(\.message), error: error,
            stateFingerprint: dispatcher.stateFingerprint(step: id, server: serverName)
        )
    }

    /// Under a saved plan: the step left it (a write refused, even if the script caught the
    /// error) or made fewer changes than it holds. Throwing fails the step, so its database
    /// writes roll back.
    func checkPlan(row key: String) throws {
        guard let plannedWrites = dispatcher.plannedWrites else { return }
        if let violation = plannedWrites.violation { throw PhaseKitError.refused("the execution left the saved plan: \(violation)") }
        let remaining = plannedWrites.remaining(key: key)
        guard remaining.isEmpty else {
            throw PhaseKitError.refused("the execution did not make \(remaining.count) change(s) of the saved plan: "
                                        + remaining.map(\.summary).joined(separator: ", "))
        }
    }

    /// The state of a step that ran in `mode`: failed, with issues (in analysis every finding is
    /// one; in execution only those an operator must act on), planned (analysis with changes), or done.
    static func state(failed: Bool, findings: [Finding], planned: Bool, mode: RunMode) -> RunReport.Step.State {
        if failed { return .failed }
        if findings.contains(where: { $0.resolution == .manual || mode == .analyze }) { return .issues }
        return mode == .analyze && planned ? .planned : .done
    }

    /// Ends the run: refuses later binding calls and closes the world.
    public func finish() {
        dispatcher.close()
        WorldBuilder.close(world)
    }

    /// The path and content hash of a script.
    public static func identity(of path: String) -> RunReport.ScriptIdentity? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return RunReport.ScriptIdentity(path: path, sha256: SHA256.hex(Array(data)))
    }
}
