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
            let rotated = try configuration.map { try ReportArchive.summaries(stateDirectory: $0.stateDirectory) }
            let unreadable = (stored?.unreadable.count ?? 0) + (rotated?.unreadable.count ?? 0)
            // A report that cannot be read may be the last run's: then nobody knows it never ran.
            var history = unreadable > 0 ? "not in the readable reports (\(unreadable) cannot be read: see phasekit history)" : "never run on this site"
            if let last = Self.lastScript(of: found.id, reports: stored?.reports ?? [], summaries: rotated?.summaries ?? []),
               let previous = last.script {
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

        /// The last stored run (a full report or, once rotated, its summary) whose step `id` ran a
        /// script, and that script.
        static func lastScript(of id: String, reports: [(id: String, report: RunReport)], summaries: [(id: String, summary: ReportSummary)])
            -> (id: String, script: RunReport.ScriptIdentity?)? {
            let full = reports.map { run in
                (run.id, run.report.startedAt, run.report.steps.first { $0.id == id && $0.script != nil }?.script)
            }
            let summarized = summaries.map { run in
                (run.id, run.summary.startedAt, run.summary.steps.first { $0.id == id && $0.script != nil }?.script)
            }
            return (full + summarized).filter { $0.2 != nil }.max { ($0.1, $0.0) < ($1.1, $1.0) }.map { ($0.0, $0.2) }
        }
    }
}
