import PhaseKit

extension LuaCATSGenerator {
    /// Standard libraries for lua-language-server's `runtime.builtin`, matching phasekit's sandbox.
    ///
    /// The sandbox never opens `io`, `debug` or `package`, so they are disabled. It opens `os` with
    /// only `time`, `clock` and `date`; lua-language-server can only switch whole libraries, so
    /// `os` stays enabled. The base library's `dofile`, `loadfile` and `string.dump`, also removed
    /// by the sandbox, cannot be hidden this way either.
    static let builtinLibraries: [(name: String, state: String)] = [
        ("debug", "disable"),
        ("io", "disable"),
        ("os", "enable"),
        ("package", "disable"),
    ]

    /// A `.luarc.json` for lua-language-server that uses the generated files.
    ///
    /// It selects Lua 5.4, adds the generated files as a library, declares `phase` and the given
    /// module names as globals (so they are known even where the library is not loaded), and
    /// disables the standard libraries the sandbox removes. JSON holds no comments, so the layout it
    /// expects is described here: lua-language-server resolves relative `workspace.library` paths
    /// against the workspace root, so the default `["."]` fits a `.luarc.json` written next to the
    /// generated files at the root of the workspace; pass the path of the directory holding them,
    /// relative to the workspace root or absolute, when they live elsewhere.
    ///
    /// ```swift
    /// let json = LuaCATSGenerator.luarc(globals: registry.modules, library: ["Bindings"])
    /// // { ..., "diagnostics.globals": ["db", "phase", "volumes"], ... }
    /// ```
    ///
    /// - Parameters:
    ///   - globals: the module names scripts see as globals; `phase` is always added. Duplicates
    ///     are dropped and the list is sorted.
    ///   - library: the directories holding the generated files.
    /// - Returns: the JSON text, keys sorted, ending with a newline.
    public static func luarc(globals: [String], library: [String] = ["."]) -> String {
        let names = Set(globals + ["phase"]).sorted()
        let builtins = builtinLibraries.map { "    \(jsonString($0.name)): \(jsonString($0.state))" }
        let lines = [
            "{",
            "  \"$schema\": \"https://raw.githubusercontent.com/LuaLS/vscode-lua/master/setting/schema.json\",",
            "  \"diagnostics.globals\": \(jsonArray(names)),",
            "  \"runtime.builtin\": {",
            builtins.joined(separator: ",\n"),
            "  },",
            "  \"runtime.version\": \"Lua 5.4\",",
            "  \"workspace.library\": \(jsonArray(library))",
            "}",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    static func jsonArray(_ values: [String]) -> String {
        "[" + values.map(jsonString).joined(separator: ", ") + "]"
    }

    /// A JSON string literal.
    static func jsonString(_ value: String) -> String { StringLiteral.json(value) }
}
