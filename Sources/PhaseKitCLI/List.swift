import ArgumentParser
import LuaRuntime
import PhaseKit

extension PhaseKitCommand {
    /// `phasekit list [PROCEDURE]`: procedures, or one procedure's steps with where each comes from.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List procedures, or the steps of one.")

        @Argument(help: "A procedure to list the steps of.")
        var procedure: String?

        @Option(name: .long, help: "The site directory (its scripts/ are searched before the bundled ones).")
        var site: String?

        @OptionGroup var limitOptions: LimitOptions

        func run() throws {
            let configuration = try site.map { try SiteConfiguration.load(directory: $0) }
            let catalog = Catalog.make(site: configuration, limits: limitOptions.limits(site: configuration))
            guard let procedure else {
                for name in catalog.procedureNames() {
                    let definition = try catalog.procedure(named: name)
                    print("\(name)\t\(definition.title)\t\(definition.enabledSteps.count) steps")
                }
                return
            }
            let definition = try catalog.procedure(named: procedure)
            print("\(definition.name): \(definition.title)")
            for step in definition.steps {
                let name = step.id.dropFirst(definition.name.count + 1)
                print("  \(step.section)\t\(step.order)\t\(name)\t\(step.title)\t[\(step.origin.rawValue)]\(step.scope == .once ? "" : "\t(\(step.scope.rawValue))")")
            }
        }
    }
}
