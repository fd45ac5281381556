import Foundation

extension TargetRunner {
    /// A procedure: under the site's lock, its plan saved or checked first when asked, then every
    /// phase in analysis, or phase by phase (or confirmed once) in a journaled execution.
    static func runProcedure(_ name: String, _ request: RunRequest, _ hooks: RunHooks) throws -> RunReport {
        let procedure = try catalog(site: request.site, limits: request.limits).procedure(named: name)
        let execute = request.mode == .execute
        let confirmed = request.confirmedUpFront || request.plan != nil
        // A resume without a terminal finishes what was confirmed and stops before the rest.
        if execute && !confirmed && !hooks.canConfirm && request.resume == nil {
            throw PhaseKitError.refused("Refusing to execute without a terminal to confirm on; pass --yes.")
        }
        // One order for every run: lock, analyze, save or check the plan, confirm, journal, apply, archive.
        let lock = try lock(request)
        defer { withExtendedLifetime(lock) {} }
        if request.planOut != nil || request.plan != nil {
            // The plan of an execution: steps plan what execution does (the services pre-check's
            // starts and stops included), as each phase's own plan does when it is applied.
            var options = RunOptions(request: request, intent: .planExecution(fingerprinted: true), procedure: name)
            options.change = try ProcedureChange.load(procedure: procedure, site: request.site, providers: request.changeProviders)
            let analysis = ProcedureRunner(procedure: procedure, options: options).run()
            if let planOut = request.planOut {
                try SavedPlan(report: analysis).write(to: planOut)
                archive(analysis, request, hooks, lock: lock)
                return analysis
            }
            // An analysis that failed (a host lost, a script error) is that failure, said as such
            // (a lost host: exit 3, nothing was changed), never a plan that "differs".
            if analysis.error != nil {
                archive(analysis, request, hooks, lock: lock)
                return analysis
            }
            try SavedPlan.verify(savedAt: request.plan, against: analysis)
        }
        let intent = try request.plan.map { .applySavedPlan(try SavedPlan.read(from: $0)) } ?? RunIntent(request.mode)
        var options = RunOptions(request: request, intent: intent, procedure: name)
        options.change = try ProcedureChange.load(procedure: procedure, site: request.site, providers: request.changeProviders)
        var runner = ProcedureRunner(procedure: procedure, options: options)
        runner.completed = request.resume?.completed ?? []
        runner.preconfirmed = request.resume?.confirmed ?? []
        runner.confirmedUpFront = confirmed
        runner.canAsk = confirmed || hooks.canConfirm
        if execute, let site = request.site {
            runner.journal = try Journal(stateDirectory: site.stateDirectory, runID: runID(), resumes: request.resume?.runID)
        }
        if execute {
            let journal = runner.journal
            hooks.executionStarting(RunHooks.Execution(interruptible: procedure.interruptible, progress: runner.progress, markNotConfirmed: {
                var entry = Journal.Entry(event: .runFinished)
                entry.state = RunReport.Outcome.notConfirmed.rawValue
                do {
                    try journal?.appendIfStarted(entry)
                } catch {
                    // Said, not thrown: the process is about to exit on the signal.
                    hooks.note("phasekit: warning: the journal could not record that the run ended not confirmed "
                               + "(\(FileErrorText.reason(of: error))); status may show it as interrupted")
                }
            }))
        }
        runner.confirm = confirmation(procedure, request, hooks, confirmed: confirmed)
        runner.willApply = hooks.willApply
        hooks.procedureReady(runner)
        hooks.onEvent(.procedureStarted(procedure, request.mode))
        runner.onEvent = hooks.onEvent
        var report = runner.run()
        report.resumes = request.resume?.runID
        report.warnings = procedure.siteNotes + report.warnings
        archive(report, request, hooks, lock: lock)
        return report
    }

    /// How the runner asks for a phase: not at all when confirmed up front, on the terminal when
    /// there is one, and otherwise (a resume without a terminal) the answer is no, with what to do.
    static func confirmation(_ procedure: ProcedureDefinition, _ request: RunRequest, _ hooks: RunHooks,
                             confirmed: Bool) -> @Sendable (RunReport.Step) -> Bool {
        // A resume on a terminal asks for the phase this one cannot ask for (the execution stays resumable).
        let again = "phasekit resume" + (request.site.map { " --site \($0.directory)" } ?? "")
        let interruptible = procedure.interruptible
        return { step in
            let applies: Bool
            if confirmed {
                applies = true
            } else if hooks.canConfirm {
                applies = hooks.confirm(RunHooks.Confirmation(changes: step.changes(.planned).count, title: step.title,
                                                              interruptible: interruptible))
            } else {
                hooks.note("phasekit: \(step.title) was not confirmed before the interruption, and there is no terminal to ask on; "
                           + "to apply it, run \(again) on a terminal.")
                applies = false
            }
            if applies { hooks.willApply() }
            return applies
        }
    }

    /// A journal's run ID: the UTC start time and the process ID.
    static func runID() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd'T'HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date()) + "-\(getpid())"
    }
}
