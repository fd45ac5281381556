import ArgumentParser
import Foundation
import PhaseKit

extension PhaseKitCommand.Run {
    /// `phasekit run PROCEDURE`: all phases in analysis, or phase by phase in execution.
    func runProcedure() throws {
        let site = try siteOptions.loadSite()
        let procedure = try Catalog.make(site: site).procedure(named: target)
        let options = RunOptions(
            mode: execute ? .execute : .analyze, limits: limitOptions.limits(site: site), site: site,
            searchPath: SearchPath.directories(site: site), parameters: SiteConfiguration.parameters(of: site, for: target), procedure: target
        )
        if execute && !yes && !Output.hasTerminal {
            Output.note("Refusing to execute without a terminal to confirm on; pass --yes.")
            throw ExitCode(RunReport.Outcome.refused.exitCode)
        }
        let live = !siteOptions.json
        let renderer = ReportRenderer(color: ReportRenderer.terminalWantsColor)
        var runner = ProcedureRunner(procedure: procedure, options: options)
        if live { print("phasekit: \(execute ? "execution" : "analysis (nothing is changed)") of \(procedure.title)") }
        runner.onEvent = { event in
            guard live else { return }
            switch event {
            case .stepStarted: break
            case .stepFinished(let step): print(renderer.render(step).joined(separator: "\n"))
            case .phasePlanned(let step):
                print("  plan for \(step.title)\(step.server.map { " [\($0)]" } ?? ""):")
                for change in step.changes { print("      + \(change.summary)") }
            }
        }
        runner.confirm = { step in yes || Output.confirm("Apply \(step.changes.count) change(s) of \(step.title)? Proceed?") }
        let report = runner.run()
        if siteOptions.json {
            Output.report(report, json: true)
        } else {
            for warning in report.warnings { print(renderer.paintWarning(warning)) }
            print("")
            print(renderer.summary(report))
        }
        throw ExitCode(report.exitCode)
    }
}

/// The procedure catalog for a site (or for the bundled scripts alone).
enum Catalog {
    static func make(site: SiteConfiguration?) -> ProcedureCatalog {
        ProcedureCatalog(siteRoot: site?.scriptsDirectory, bundledRoot: BundledScripts.locate())
    }
}
