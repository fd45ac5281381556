import ArgumentParser
import LuaRuntime
import PhaseKit

extension PhaseKitCommand {
    /// `phasekit show PROCEDURE/STEP`: a step's metadata and resolved path.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a step's metadata and where its script is.")

        @Argument(help: "PROCEDURE/STEP, such as sync/io/3_mark_allocated_addresses.")
        var step: String

        @Option(name: .long, help: "The site directory (its scripts/ are searched before the bundled ones).", completion: .directory)
        var site: String?

        @OptionGroup var limitOptions: LimitOptions

        func validate() throws {
            guard step.contains("/") else { throw ValidationError("name a step as PROCEDURE/STEP") }
        }

        func run() throws {
            let configuration = try SiteOptions.directory(given: site).map { try SiteConfiguration.load(directory: $0) }
            let procedureName = String(step.split(separator: "/")[0])
            let definition = try TargetRunner.catalog(site: configuration, limits: limitOptions.limits(site: configuration)).procedure(named: procedureName)
            let wanted = step.hasSuffix(".lua") ? String(step.dropLast(4)) : step
            guard let found = definition.steps.first(where: { $0.id == wanted }) else {
                throw PhaseKitError.configuration("no step '\(step)' (see phasekit list \(procedureName))")
            }
            let hash = RunSession.identity(of: found.path)?.sha256
            let stored = try configuration.map { try ReportArchive.list(stateDirectory: $0.stateDirectory) }
            // A report that cannot be read may be the last run's: then nobody knows it never ran.
            var history = stored?.unreadable.isEmpty == false
                ? "not in the readable reports (\(stored?.unreadable.count ?? 0) cannot be read: see phasekit history)" : "never run on this site"
            if let last = stored?.reports.last(where: { run in
                run.report.steps.contains { $0.id == found.id && $0.script != nil }
            }), let previous = last.report.steps.first(where: { $0.id == found.id })?.script {
                history = previous.sha256 == hash ? "unchanged since the last run (\(last.id))"
                    : "CHANGED since the last run (\(last.id) ran \(previous.sha256.prefix(12)) from \(previous.path))"
            }
            // Everything but the hash and the origin comes from the site's scripts (data): each field
            // is neutralized to one line, the description to its lines.
            let fields = [
                ("id", found.id), ("title", found.title(for: nil)), ("section", found.section), ("order", String(found.order)),
                ("scope", found.scope.rawValue), ("needs", found.needs.joined(separator: ", ")), ("origin", found.origin.rawValue),
                ("path", found.path), ("sha256", hash ?? "unreadable"), ("last run", history),
            ]
            for (name, value) in fields {
                print(name + ":" + String(repeating: " ", count: max(1, 12 - name.count)) + TerminalText.line(value))
            }
            print("")
            print(TerminalText.block(found.description))
        }
    }
}
