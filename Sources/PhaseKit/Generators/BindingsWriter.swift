import Foundation

/// Writes the generated Lua API: one LuaCATS file per module, `types.lua`, `phase.lua` and
/// `.luarc.json`, replacing earlier generated `.lua` files so none go stale.
public enum BindingsWriter {
    /// Everything `phasekit bindings` writes, by file name.
    public static func files(registry: BindingRegistry) -> [String: String] {
        var files = LuaCATSGenerator.files(for: registry.forAuthoring)
        files[".luarc.json"] = LuaCATSGenerator.luarc(globals: registry.forAuthoring.modules)
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
            try APIReferenceGenerator.markdown(for: registry.forAuthoring).write(toFile: reference, atomically: true, encoding: .utf8)
        }
    }
}

extension BindingRegistry {
    /// The registry with the `phase` module (every run has it, whatever else a registry offers).
    var withPhaseModule: BindingRegistry {
        guard moduleSummaries["phase"] == nil else { return self }
        var registry = self
        registry.register(PhaseBindings.module)
        return registry
    }

    /// The registry as the generated files and `phasekit lint` describe it: with the `phase`
    /// module and what a script is given and returns besides the bindings.
    var forAuthoring: BindingRegistry {
        var registry = withPhaseModule
        registry.registerAuthoringTypes()
        return registry
    }
}
