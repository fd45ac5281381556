import Foundation

/// Writes the generated Lua API: one LuaCATS file per module, `types.lua`, `phase.lua` and
/// `.luarc.json`, replacing earlier generated `.lua` files so none go stale.
public enum BindingsWriter {
    /// Everything `phasekit bindings` writes, by file name.
    public static func files(registry: BindingRegistry) -> [String: String] {
        var files = LuaCATSGenerator.files(for: registry.withPhaseModule)
        files[".luarc.json"] = LuaCATSGenerator.luarc(globals: registry.withPhaseModule.modules)
        return files
    }

    public static func write(registry: BindingRegistry, to directory: String, reference: String?) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix(".lua") {
            try FileManager.default.removeItem(atPath: directory + "/" + name)
        }
        for (name, text) in files(registry: registry) {
            try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
        }
        if let reference {
            try APIReferenceGenerator.markdown(for: registry.withPhaseModule).write(toFile: reference, atomically: true, encoding: .utf8)
        }
    }
}

extension BindingRegistry {
    /// The registry plus declarations of the `phase` module, which the dispatcher installs itself
    /// (its bodies live in the dispatcher; these specs document it).
    var withPhaseModule: BindingRegistry {
        var registry = self
        registry.register(class: LuaClassSpec("phasekit.Issue", "A finding reported by a step.", fields: [
            .init("summary", "string", "one line"),
            .init("detail", "string", optional: true, "more context for the operator"),
            .init("resolution", "\"planned\"|\"manual\"", optional: true, "planned: the step's changes resolve it; manual (default): an operator must act"),
        ]))
        registry.register(class: LuaClassSpec("phasekit.ReviewItem", "A candidate listed in a review file.", fields: [
            .init("key", "string", "identifier without spaces"),
            .init("text", "string", optional: true, "what the operator sees"),
            .init("proposed", "boolean", optional: true, "pre-mark it with '*'"),
        ]))
        registry.register(module: "phase", summary: "The run itself: its mode, findings, logging and review files. phase.mode and phase.params are read-only fields.", [
            Binding(BindingSpec(module: "phase", name: "issue", parameters: [.init("issue", "phasekit.Issue|string", "the finding")],
                                summary: "Reports a finding; execution stops before the next phase while a manual one remains.", effect: .read)) { _, _ in 0 },
            Binding(BindingSpec(module: "phase", name: "log", parameters: [.init("...", "any", "values, each converted as tostring does, joined by tabs")],
                                summary: "Adds a line to the run's report and output (print does the same).", effect: .read)) { _, _ in 0 },
            Binding(BindingSpec(module: "phase", name: "review",
                                parameters: [.init("name", "string", "review file name"), .init("items", "phasekit.ReviewItem[]", "the candidates")],
                                results: [.init("string[]", "keys the operator marked with '*'"), .init("string", "the file, relative to the site")],
                                summary: "Writes or updates state/review/NAME.txt and returns the marked keys (phasekit's own worksheet, written in both modes).",
                                effect: .read)) { _, _ in 0 },
            Binding(BindingSpec(module: "phase", name: "warn", parameters: [.init("...", "any", "values, each converted as tostring does, joined by tabs")],
                                summary: "Adds a warning to the run's report; it does not change the outcome.", effect: .read)) { _, _ in 0 },
            Binding(BindingSpec(module: "phase", name: "precondition", parameters: [.init("issue", "phasekit.Issue|string", "what is not met")],
                                summary: "Stops the run: a precondition is not met (exit code 3).", effect: .read)) { _, _ in 0 },
            Binding(BindingSpec(module: "phase", name: "change",
                                parameters: [.init("description", "string", "what the writes do, in operator terms"),
                                             .init("fn", "fun(...): ...", "makes the writes"), .init("...", "any", "arguments passed to fn")],
                                results: [.init("...", "what fn returns")],
                                summary: "Calls fn and shows the writes it makes under the description (plans, prompts, reports); it grants nothing: each write is checked and recorded as outside. Groups nest (a write takes the innermost); an error in fn ends the group and propagates.",
                                effect: .read)) { _, _ in 0 },
            Binding(BindingSpec(module: "phase", name: "title", parameters: [.init("title", "string", "the row's title, such as naming what it acts on")],
                                summary: "Retitles the running step's row in the report (the step's own title is its default).", effect: .read)) { _, _ in 0 },
        ])
        registry.registerAuthoringTypes()
        return registry
    }
}
