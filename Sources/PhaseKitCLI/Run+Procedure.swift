import ArgumentParser
import Foundation
import LuaRuntime
import PhaseKit

extension PhaseKitCommand.Run {
    /// `phasekit run PROCEDURE`: all phases in analysis, or phase by phase in execution.
    func runProcedure() throws {
        let site: SiteConfiguration? = try siteOptions.requireSite()
        if planOut != nil || plan != nil {
            var options = RunOptions(mode: .analyze, limits: limitOptions.limits(site: site), site: site,
                                     searchPath: SearchPath.directories(site: site),
                                     parameters: SiteConfiguration.parameters(of: site, for: target), procedure: target)
            options.fingerprinting = true
            // The plan of an execution: steps plan what execution does (the services pre-check's
            // starts and stops included), as each phase's own plan does when it is applied.
            options.intent = .execute
            options.change = try site.flatMap { try ProcedureChange.load(procedure: target, site: $0) }
            let analysis = ProcedureRunner(procedure: try Catalog.make(site: site, limits: options.limits).procedure(named: target), options: options).run()
            if let planOut {
                try SavedPlan(report: analysis).write(to: planOut)
                Bookkeeping.archive(analysis, site: site)
                Output.report(analysis, json: siteOptions.json)
                throw ExitCode(analysis.exitCode)
            }
            try PlanCheck.verify(savedAt: plan, against: analysis)
        }
        if execute && !yes && plan == nil && !Output.hasTerminal {
            throw PhaseKitError.refused("Refusing to execute without a terminal to confirm on; pass --yes.")
        }
        let savedPlan = try plan.map(SavedPlan.read(from:))
        let report = try ProcedureCommand.run(
            procedureName: target, site: site, mode: execute ? .execute : .analyze, limits: limitOptions.limits(site: site),
            json: siteOptions.json, completed: [], savedPlan: savedPlan, confirm: { [yes, plan] step in
                yes || plan != nil || Output.confirm("Apply \(step.changes(.planned).count) change(s) of \(step.title)? Proceed?")
            })
        throw ExitCode(report.exitCode)
    }
}

/// Shared by `run PROCEDURE` and `resume`: runs a procedure with live rows, a journal for
/// executions, and deferred signals for procedures that cannot be stopped.
enum ProcedureCommand {
    static func run(
        procedureName: String, site: SiteConfiguration?, mode: RunMode, limits: LuaLimits,
        json: Bool, completed: Set<String>, savedPlan: SavedPlan? = nil, resumes: String? = nil, confirm: @escaping @Sendable (RunReport.Step) -> Bool
    ) throws -> RunReport {
        let procedure = try Catalog.make(site: site, limits: limits).procedure(named: procedureName)
        let lock = try Bookkeeping.lock(site)
        defer { withExtendedLifetime(lock) {} }
        var options = RunOptions(mode: mode, site: site, searchPath: SearchPath.directories(site: site),
                                 parameters: SiteConfiguration.parameters(of: site, for: procedureName), procedure: procedureName)
        options.limits = limits
        options.savedPlan = savedPlan
        options.change = try site.flatMap { try ProcedureChange.load(procedure: procedureName, site: $0) }
        var runner = ProcedureRunner(procedure: procedure, options: options)
        runner.completed = completed
        if mode == .execute, let site {
            runner.journal = try Journal(stateDirectory: site.stateDirectory, runID: Self.runID(), resumes: resumes)
        }
        // Until it applies, a signal ends the execution unconfirmed (exit 4), its journal closed
        // as refused; then a procedure that cannot be stopped defers signals.
        let journal = runner.journal
        let signals = mode == .execute ? RunSignals(deferWhileApplying: !procedure.interruptible, progress: runner.progress, beforeExit: {
            var entry = Journal.Entry(event: .runFinished)
            entry.state = RunReport.Outcome.refused.rawValue
            try? journal?.appendIfStarted(entry)
        }) : nil
        runner.confirm = { step in
            let confirmed = confirm(step)
            if confirmed { signals?.startApplying() }
            return confirmed
        }
        runner.willApply = { signals?.startApplying() }
        let live = !json
        let renderer = ReportRenderer(color: ReportRenderer.terminalWantsColor)
        if live { print("phasekit: \(mode == .execute ? "execution" : "analysis (nothing is changed)") of \(procedure.title)") }
        runner.onEvent = { event in
            guard live else { return }
            switch event {
            case .stepStarted(let step, let server):
                if ReportRenderer.terminalWantsColor { print("  … \(step.title)\(server.map { " [\($0)]" } ?? "")") }
            case .stepFinished(let step): print(renderer.render(step).joined(separator: "\n"))
            case .phasePlanned(let step):
                print("  plan for \(step.title)\(step.server.map { " [\($0)]" } ?? ""):")
                for change in step.changes(.planned) { print("      + \(change.summary)") }
            case .procedurePlanned(let plan):
                print(renderer.render(plan), terminator: "")
            }
        }
        var report = runner.run()
        withExtendedLifetime(signals) {}
        report.resumes = resumes
        report.warnings = procedure.siteNotes + report.warnings
        Bookkeeping.archive(report, site: site)
        if json {
            Output.report(report, json: true)
        } else {
            for warning in report.warnings { print(renderer.paintWarning(warning)) }
            print("")
            print(renderer.summary(report))
        }
        return report
    }

    static func runID() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd'T'HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date()) + "-\(getpid())"
    }
}

/// The procedure catalog for a site (or for the bundled scripts alone).
enum Catalog {
    static func make(site: SiteConfiguration?, limits: LuaLimits) throws -> ProcedureCatalog {
        ProcedureCatalog(siteRoot: site?.scriptsDirectory, bundledRoot: try BundledScripts.require(), limits: limits)
    }
}
