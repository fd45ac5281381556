import ArgumentParser
import Foundation
import PhaseKit
import PhaseKitAuthoring

extension PhaseKitCommand {
    /// `phasekit bindings`: writes the Lua API as LuaCATS files (and the API reference) from the registry.
    struct Bindings: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the LuaCATS definition files (and the API reference) generated from the binding registry.",
            discussion: "Bindings/ in the repository holds the result; a test fails when it differs from what the registry generates."
        )

        @Option(name: .long, help: "Directory for the generated .lua files and .luarc.json.")
        var out: String

        @Option(name: .long, help: "Also write the Markdown API reference to this file.")
        var docs: String?

        func run() throws {
            try BindingsWriter.write(registry: .standard, to: out, reference: docs)
        }
    }
}
