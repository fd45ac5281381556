import Foundation

extension TargetRunner {
    /// A procedure: its plan saved or checked first when asked, then every phase in analysis, or
    /// phase by phase (or confirmed once) in a journaled execution.
    static func runProcedure(_ name: String, _ request: RunRequest, _ hooks: RunHooks) throws -> RunReport {
        let procedure = try catalog(site: request.site, limits: request.limits).procedure(named: name)
        if request.planOut != nil || request.plan != nil {
            var options = RunOptions(request: request, mode: .analyze, procedure: name)
            options.fingerprinting = true
            // The plan of an execution: steps plan what execution does (the services pre-check's
            // starts and stops included), as each phase's own plan does when it is applied.
            options.intent = .execute
            options.change = try ProcedureChange.load(procedure: procedure, site: request.site, providers: request.changeProviders)
            let analysis = ProcedureRunner(procedure: procedure, options: options).run()
            if let planOut = request.planOut {
                try SavedPlan(report: analysis).write(to: planOut)
                archive(analysis, request, hooks)
                return analysis
            }
            try SavedPlan.verify(savedAt: request.plan, against: analysis)
        }
        let execute = request.mode == .execute
        let confirmed = request.confirmedUpFront || request.plan != nil
        if execute && !confirmed && !hooks.canConfirm {
            throw PhaseKitError.refused("Refusing to execute without a terminal to confirm on; pass --yes.")
        }
        let lock = try lock(request)
        defer { withExtendedLifetime(lock) {} }
        var options = RunOptions(request: request, mode: request.mode, procedure: name)
        options.savedPlan = try request.plan.map(SavedPlan.read(from:))
        options.change = try ProcedureChange.load(procedure: procedure, site: request.site, providers: request.changeProviders)
        var runner = ProcedureRunner(procedure: procedure, options: options)
        runner.completed = request.resume?.completed ?? []
        if execute, let site = request.site {
            runner.journal = try Journal(stateDirectory: site.stateDirectory, runID: runID(), resumes: request.resume?.runID)
        }
        if execute {
            let journal = runner.journal
            hooks.executionStarting(RunHooks.Execution(interruptible: procedure.interruptible, progress: runner.progress, markRefused: {
                var entry = Journal.Entry(event: .runFinished)
                entry.state = RunReport.Outcome.refused.rawValue
                do {
                    try journal?.appendIfStarted(entry)
                } catch {
                    // Said, not thrown: the process is about to exit on the signal.
                    hooks.note("phasekit: warning: the journal could not record that the run ended unconfirmed "
                               + "(\(FileErrorText.reason(of: error))); status may show it as interrupted")
                }
            }))
        }
        runner.confirm = { step in
            let applies = confirmed || hooks.confirm(RunHooks.Confirmation(changes: step.changes(.planned).count, title: step.title,
                                                                                         interruptible: procedure.interruptible))
            if applies { hooks.willApply() }
            return applies
        }
        runner.willApply = hooks.willApply
        hooks.procedureReady(runner)
        hooks.onEvent(.procedureStarted(procedure, request.mode))
        runner.onEvent = hooks.onEvent
        var report = runner.run()
        report.resumes = request.resume?.runID
        report.warnings = procedure.siteNotes + report.warnings
        archive(report, request, hooks)
        return report
    }

    /// A journal's run ID: the UTC start time and the process ID.
    static func runID() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd'T'HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date()) + "-\(getpid())"
    }
}
