import ArgumentParser
import Foundation
import PhaseKit
import PhaseKitAuthoring

extension PhaseKitCommand {
    /// `phasekit lint [PATH...]`: checks scripts without running them.
    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check Lua scripts: syntax, step metadata, unknown globals and bindings (luacheck).",
            discussion: "Exits 1 when a problem is found; each reads file:line: message. Without paths, lints the bundled Scripts/."
        )

        @Argument(help: "Scripts or directories to check.")
        var paths: [String] = []

        @OptionGroup var limitOptions: LimitOptions

        func run() throws {
            let targets = paths.isEmpty ? [try BundledScripts.require()] : paths
            let (problems, luacheck) = try ScriptLinter(limits: limitOptions.limits(site: nil)).lint(targets)
            if !luacheck { Output.note("phasekit lint: luacheck is not installed (apt-get install lua-check); checked syntax and metadata only") }
            // A problem quotes the script (data): neutralized.
            for problem in problems { print(TerminalText.block(problem.description)) }
            if !problems.isEmpty { throw ExitCode.failure }
            Output.note("phasekit lint: \(ScriptLinter.scripts(in: targets).count) script(s), no problems")
        }
    }
}
