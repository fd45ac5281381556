import Foundation
public import LuaRuntime

/// Runs any target — a script or a procedure — the way every command does: take the site's lock,
/// analyze, save or check a plan, confirm, apply, journal, and archive the report.
///
/// Commands parse their options into a ``RunRequest``, call ``run(_:hooks:)`` and print what it
/// returns; ``RunHooks`` is how the run asks the operator and reports progress meanwhile.
public enum TargetRunner {
    /// Runs `request` and returns its report (also archived under the site's `state/reports/`).
    ///
    /// - Throws: ``PhaseKitError`` when the run cannot start (no such procedure, the lock held, a
    ///   saved plan that does not match, no terminal to confirm on) — nothing was changed then.
    public static func run(_ request: RunRequest, hooks: RunHooks) throws -> RunReport {
        switch request.target {
        case .script(let path): try runScript(path, request, hooks)
        case .procedure(let name): try runProcedure(name, request, hooks)
        }
    }

    /// The procedure catalog of a site (or of the bundled scripts alone).
    ///
    /// - Throws: ``PhaseKitError/configuration(_:)`` when the bundled scripts cannot be found.
    public static func catalog(site: SiteConfiguration?, limits: LuaLimits) throws -> ProcedureCatalog {
        ProcedureCatalog(siteRoot: site?.scriptsDirectory, bundledRoot: try BundledScripts.require(), limits: limits)
    }

    /// A script: analysis (staged when confirmed up front), then, for an execution with changes,
    /// confirmation and the execution.
    static func runScript(_ path: String, _ request: RunRequest, _ hooks: RunHooks) throws -> RunReport {
        let execute = request.mode == .execute
        if execute { hooks.executionStarting(RunHooks.Execution(interruptible: true, progress: nil, markNotConfirmed: {})) }
        let lock = try lock(request)
        defer { withExtendedLifetime(lock) {} }
        // A step script run on its own gets its procedure's parameters and required services.
        let procedure = ProcedureCatalog.stepLocation(URL(fileURLWithPath: path).standardizedFileURL.path)?.procedure
        let savesOrChecksPlan = request.planOut != nil || request.plan != nil
        // A saved plan is the plan of an execution: the script sees "execute", as in a staged run,
        // and what each step reads is fingerprinted.
        var options = RunOptions(request: request, intent: savesOrChecksPlan ? .stagedExecution(fingerprinted: true) : .analyze,
                                 procedure: procedure)
        if execute { try DatabaseIntegrity.check(site: request.site) }
        // Confirmed up front: the analysis stages the execution, and applies it by committing
        // when it planned database writes only (see StagedRun).
        let staged = execute && request.confirmedUpFront && request.plan == nil ? StagedRun(path: path, options: options) : nil
        let plan = staged?.plan ?? ScriptRunner.run(path: path, options: options)
        archive(plan, request, hooks, lock: lock)
        if let planOut = request.planOut { try SavedPlan(report: plan).write(to: planOut) }
        // A failed analysis is that failure, never a plan that "differs" from the saved one.
        if plan.error == nil { try SavedPlan.verify(savedAt: request.plan, against: plan) }
        guard execute, plan.outcome == .changes else { return plan }
        hooks.planned(plan)
        guard request.confirmedUpFront || request.plan != nil
                || hooks.confirm(RunHooks.Confirmation(changes: plan.changes(.planned).count, title: nil)) else {
            return RunReport.make(plan.heading(.execute, startedAt: Date()), steps: plan.steps.map(ProcedureRunner.notConfirmed), notConfirmed: true)
        }
        options.intent = try request.plan.map { .applySavedPlan(try SavedPlan.read(from: $0)) } ?? .execute
        hooks.willApply()
        let applied = staged?.execute() ?? ScriptRunner.run(path: path, options: options)
        archive(applied, request, hooks, lock: lock)
        return applied
    }

    /// Takes the site's lock: a held lock is a refusal naming the holder.
    static func lock(_ request: RunRequest) throws -> SiteLock? {
        guard let site = request.site else { return nil }
        return try SiteLock(stateDirectory: site.stateDirectory, command: request.command)
    }

    /// Stores the report under the site's `state/reports/` (plain text, no colour), its diffs
    /// bounded, and rotates the older ones to their summaries (the site's `reports:`); a failure
    /// is told, not thrown: the run itself is over. With ``RunHooks/archivesInBackground``, on
    /// the ``ArchiveQueue``, holding the site's `lock` until it is done.
    static func archive(_ report: RunReport, _ request: RunRequest, _ hooks: RunHooks, lock: SiteLock?) {
        guard let site = request.site else { return }
        let (stateDirectory, maximumDiffBytes, keep) = (site.stateDirectory, site.reports.maximumDiffBytes, site.reports.keep)
        let work: @Sendable () -> Void = {
            withExtendedLifetime(lock) {
                CrashPoints.reached(.archive)
                do {
                    let stored = ReportArchive.bounded(report, maximumDiffBytes: maximumDiffBytes)
                    // Its two forms are made at once (a big plan's JSON and text take tens of milliseconds each).
                    let (json, human) = AllAtOnce.both({ Result { try ReportArchive.encode(stored) } }, { ReportRenderer(color: false).render(stored) })
                    try ReportArchive.store(stored, json: try json.get(), human: human, stateDirectory: stateDirectory)
                    try ReportArchive.rotate(stateDirectory: stateDirectory, keep: keep)
                } catch {
                    hooks.note("phasekit: warning: could not store the run's report in \(stateDirectory)/reports (\(FileErrorText.reason(of: error)))")
                }
            }
        }
        if hooks.archivesInBackground { ArchiveQueue.add(work) } else { work() }
    }
}
