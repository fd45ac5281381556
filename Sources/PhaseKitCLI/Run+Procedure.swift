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
            options.change = try site.flatMap { try ProcedureChange.load(procedure: target, site: $0) }
            let analysis = ProcedureRunner(procedure: try Catalog.make(site: site).procedure(named: target), options: options).run()
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
        let report = try ProcedureCommand.run(
            procedureName: target, site: site, mode: execute ? .execute : .analyze, limits: limitOptions.limits(site: site),
            json: siteOptions.json, completed: [], confirm: { [plan] step in
                yes || plan != nil || Output.confirm("Apply \(step.changes.count) change(s) of \(step.title)? Proceed?")
            })
        throw ExitCode(report.exitCode)
    }
}

/// Shared by `run PROCEDURE` and `resume`: runs a procedure with live rows, a journal for
/// executions, and deferred signals for procedures that cannot be stopped.
enum ProcedureCommand {
    static func run(
        procedureName: String, site: SiteConfiguration?, mode: RunMode, limits: LuaLimits,
        json: Bool, completed: Set<String>, resumes: String? = nil, confirm: @escaping (RunReport.Step) -> Bool
    ) throws -> RunReport {
        let procedure = try Catalog.make(site: site).procedure(named: procedureName)
        let lock = try Bookkeeping.lock(site)
        defer { withExtendedLifetime(lock) {} }
        var options = RunOptions(mode: mode, site: site, searchPath: SearchPath.directories(site: site),
                                 parameters: SiteConfiguration.parameters(of: site, for: procedureName), procedure: procedureName)
        options.limits = limits
        options.change = try site.flatMap { try ProcedureChange.load(procedure: procedureName, site: $0) }
        var runner = ProcedureRunner(procedure: procedure, options: options)
        runner.completed = completed
        runner.confirm = confirm
        if mode == .execute, let site {
            runner.journal = try Journal(stateDirectory: site.stateDirectory, runID: Self.runID(), resumes: resumes)
        }
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
                for change in step.changes { print("      + \(change.summary)") }
            case .procedurePlanned(let plan):
                print(renderer.render(plan), terminator: "")
            }
        }
        let deferral = mode == .execute && !procedure.interruptible ? SignalDeferral(progress: runner.progress) : nil
        var report = runner.run()
        report.resumes = resumes
        report.warnings = procedure.siteNotes + report.warnings
        withExtendedLifetime(deferral) {}
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
    static func make(site: SiteConfiguration?) throws -> ProcedureCatalog {
        ProcedureCatalog(siteRoot: site?.scriptsDirectory, bundledRoot: try BundledScripts.require())
    }
}
