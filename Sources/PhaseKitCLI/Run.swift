import ArgumentParser
import Foundation
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
        @OptionGroup var reportOptions: ReportOptions

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
            let kind = RunTarget(target)
            // A script runs without a site when there is none; a procedure needs one.
            let site: SiteConfiguration? = if case .script = kind { try siteOptions.loadSite() } else { try siteOptions.requireSite() }
            var request = limitOptions.request(kind, site: site)
            request.mode = execute ? .execute : .analyze
            request.confirmedUpFront = yes
            request.planOut = planOut
            request.plan = plan
            let report = try RunPrinter(json: siteOptions.json, verbose: reportOptions.verbose).run(request)
            throw ExitCode(report.exitCode)
        }
    }
}
