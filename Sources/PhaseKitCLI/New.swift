import ArgumentParser
import Foundation
import PhaseKit
import PhaseKitAuthoring

extension PhaseKitCommand {
    /// `phasekit new PROCEDURE/NAME --site DIR`: scaffolds a documented step script in the site.
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a documented step script in the site's scripts/ (a new step, or an override of a bundled one).",
            discussion: "On the name of a bundled step it copies the bundled script, to be edited; otherwise it writes a documented skeleton."
        )

        @Argument(help: "PROCEDURE/[SECTION/]NAME, such as sync/io/4_check_pools.")
        var step: String

        @Option(name: .long, help: "The site directory; defaults to the current directory when it holds a site.yaml.", completion: .directory)
        var site: String?

        func validate() throws {
            guard step.range(of: "^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+){1,2}$", options: .regularExpression) != nil else {
                throw ValidationError("name the step PROCEDURE/NAME or PROCEDURE/SECTION/NAME (letters, digits, _ and -)")
            }
        }

        func run() throws {
            let configuration = try SiteConfiguration.load(directory: SiteOptions.requireDirectory(given: site))
            let path = configuration.scriptsDirectory + "/" + step + ".lua"
            guard !FileManager.default.fileExists(atPath: path) else { throw PhaseKitError.configuration("\(path) already exists") }
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let bundled = try BundledScripts.require() + "/" + step + ".lua"
            if FileManager.default.fileExists(atPath: bundled) {
                try FileManager.default.copyItem(atPath: bundled, toPath: path)
                Output.note("phasekit: copied the bundled step \(bundled); the site's copy overrides it (delete it to go back)")
            } else {
                try StepTemplate.text(for: step).write(toFile: path, atomically: true, encoding: .utf8)
            }
            print(path)
        }
    }
}
