import ArgumentParser
import LuaRuntime
import PhaseKit

extension PhaseKitCommand {
    /// `phasekit list [PROCEDURE]`: procedures, or one procedure's steps with where each comes from.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List procedures, or the steps of one.",
            discussion: "Each step shows its section, order, name, title and origin (bundled, site override, site addition, disabled)."
        )

        @Argument(help: "A procedure to list the steps of.", completion: .custom(ProcedureCompletion.names))
        var procedure: String?

        @OptionGroup var siteOptions: SiteOptions

        @OptionGroup var limitOptions: LimitOptions

        func run() throws {
            let configuration = try siteOptions.loadSite()
            let catalog = try TargetRunner.catalog(site: configuration, limits: limitOptions.limits(site: configuration))
            guard let procedure else {
                let procedures = try catalog.procedureNames().map { try catalog.procedure(named: $0) }
                if siteOptions.json { return Output.json(ListDocument(procedures: procedures.map { .init($0, withSteps: false) })) }
                for definition in procedures {
                    // Titles come from site scripts (data): neutralized, tabs kept.
                    print(TerminalText.line("\(definition.name)\t\(definition.title)\t\(definition.enabledSteps.count) steps"))
                }
                return
            }
            let definition = try catalog.procedure(named: procedure)
            if siteOptions.json { return Output.json(ListDocument(procedures: [.init(definition, withSteps: true)])) }
            print(TerminalText.line("\(definition.name): \(definition.title)"))
            for step in definition.steps {
                let name = step.id.dropFirst(definition.name.count + 1)
                let origin = "[\(step.origin.rawValue)]"
                print(TerminalText.line("  \(step.section)\t\(step.order)\t\(name)\t\(step.title(for: nil))\t\(origin)\(step.scope == .once ? "" : "\t(\(step.scope.rawValue))")"))
            }
            for orphan in definition.unmatchedDisabledFiles {
                print(TerminalText.line("  warning: \(orphan) disables no step (no bundled \(orphan.dropLast(".disabled".count)))"))
            }
        }
    }
}

/// `list --json`: procedures, and with a procedure named, its steps.
struct ListDocument: Encodable {
    struct Procedure: Encodable {
        var name: String
        var title: String
        var description: String
        var enabledSteps: Int
        var steps: [Step]?
        var unmatchedDisabledFiles: [String]

        init(_ definition: ProcedureDefinition, withSteps: Bool) {
            name = definition.name
            title = definition.title
            description = definition.description
            enabledSteps = definition.enabledSteps.count
            steps = withSteps ? definition.steps.map(Step.init) : nil
            unmatchedDisabledFiles = definition.unmatchedDisabledFiles
        }
    }

    struct Step: Encodable {
        var id: String
        var section: String
        var order: Int
        var title: String
        var origin: String
        var enabled: Bool
        var scope: String
        var path: String

        init(_ step: StepDefinition) {
            id = step.id
            section = step.section
            order = step.order
            title = step.title(for: nil)
            origin = step.origin.rawValue
            enabled = step.origin != .disabled
            scope = step.scope.rawValue
            path = step.path
        }
    }

    var format = "phasekit-list"
    var version = RunReport.formatVersion
    var phasekitVersion = PhaseKitVersion.current
    var procedures: [Procedure]
}
