import ArgumentParser
import Foundation
import LuaRuntime
import PhaseKit

extension PhaseKitCommand {
    /// `phasekit run TARGET`: analysis by default, execution after confirmation.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Analyze (default) or execute a script.",
            discussion: "Analysis records every change the script would make and changes nothing. --execute shows the plan, asks Proceed? [y/N] and applies it."
        )

        @Argument(help: "A procedure (such as sync or configure) or a .lua script.", completion: .custom(ProcedureCompletion.names))
        var target: String

        @OptionGroup var siteOptions: SiteOptions
        @OptionGroup var limitOptions: LimitOptions

        @Flag(name: .long, help: "Apply the changes instead of only planning them.")
        var execute = false

        @Flag(name: .long, help: "With --execute: do not ask for confirmation.")
        var yes = false

        @Option(name: .customLong("plan-out"), help: "Analysis: also save the plan (script hashes, fingerprints of what each step read, changes) to FILE.")
        var planOut: String?

        @Option(name: .long, help: "With --execute: apply exactly the plan saved in FILE; refuse (exit 4) if a script or the state changed since.")
        var plan: String?

        func validate() throws {
            if yes && !execute { throw ValidationError("--yes only makes sense with --execute") }
            if planOut != nil && execute { throw ValidationError("--plan-out saves an analysis; run it without --execute") }
            if plan != nil && !execute { throw ValidationError("--plan FILE applies a saved plan: add --execute") }
            guard target.hasSuffix(".lua") || target.range(of: "^[A-Za-z0-9_-]+$", options: .regularExpression) != nil else {
                throw ValidationError("TARGET must be a procedure name or a .lua script")
            }
        }

        func run() throws {
            guard target.hasSuffix(".lua") else { return try runProcedure() }
            // Until the changes are applied, a signal ends the run unconfirmed (exit 4).
            let signals = execute ? RunSignals(deferWhileApplying: false) : nil
            defer { withExtendedLifetime(signals) {} }
            let site = try siteOptions.loadSite()
            let lock = try Bookkeeping.lock(site)
            defer { withExtendedLifetime(lock) {} }
            // A step script run on its own gets its procedure's parameters and required services.
            let procedure = ScriptLinter.stepLocation(URL(fileURLWithPath: target).standardizedFileURL.path)?.procedure
            var options = RunOptions(mode: .analyze, limits: limitOptions.limits(site: site), site: site,
                                     searchPath: SearchPath.directories(site: site),
                                     parameters: procedure.map { SiteConfiguration.parameters(of: site, for: $0) } ?? .init(),
                                     procedure: procedure)
            options.fingerprinting = planOut != nil || self.plan != nil
            try RemoteConnect.connect(site: site, mode: execute ? .execute : .analyze, limits: options.limits, json: siteOptions.json, target: target)
            if execute { try DatabaseIntegrity.check(site: site) }
            // A saved plan is the plan of an execution: the script sees "execute", as in a staged run.
            options.stagedExecution = planOut != nil || self.plan != nil
            // Confirmed up front: the analysis stages the execution, and applies it by committing
            // when it planned database writes only (see StagedRun).
            let staged = execute && yes && self.plan == nil ? StagedRun(path: target, options: options) : nil
            let plan = staged?.plan ?? ScriptRunner.run(path: target, options: options)
            Bookkeeping.archive(plan, site: site)
            if let planOut { try SavedPlan(report: plan).write(to: planOut) }
            try PlanCheck.verify(savedAt: self.plan, against: plan)
            guard execute, plan.outcome == .changes else {
                Output.report(plan, json: siteOptions.json)
                throw ExitCode(plan.exitCode)
            }
            if !siteOptions.json { Output.report(plan, json: false) }
            guard yes || self.plan != nil || (Output.hasTerminal && Output.confirm("Apply \(plan.changes(.planned).count) change(s)? Proceed?")) else {
                Output.note(Output.hasTerminal || yes ? "Not confirmed: nothing was changed." : "Refusing to execute without a terminal to confirm on; pass --yes.")
                let refused = RunReport.make(target: plan.target, site: plan.site, mode: .execute, startedAt: Date(),
                                             steps: [], warnings: [], error: nil, refused: true)
                if siteOptions.json { Output.report(refused, json: true) }
                throw ExitCode(refused.exitCode)
            }
            options.mode = .execute
            options.stagedExecution = false
            options.savedPlan = try self.plan.map(SavedPlan.read(from:))
            signals?.startApplying()
            let applied = staged?.execute() ?? ScriptRunner.run(path: target, options: options)
            Bookkeeping.archive(applied, site: site)
            Output.report(applied, json: siteOptions.json)
            throw ExitCode(applied.exitCode)
        }
    }
}
