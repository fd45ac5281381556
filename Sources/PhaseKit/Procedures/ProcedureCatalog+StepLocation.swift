extension ProcedureCatalog {
    /// A step script lives in `<procedure>/[section/]NAME.lua` under a scripts root, not in `lib/`
    /// or `examples/`, and is not a `procedure.lua` manifest.
    public static func stepLocation(_ file: String) -> (procedure: String, relative: String)? {
        let components = file.split(separator: "/").map(String.init)
        guard let rootIndex = components.lastIndex(where: { $0 == "Scripts" || $0 == "scripts" }), rootIndex + 2 < components.count + 0,
              components.count - rootIndex >= 3 else { return nil }
        let procedure = components[rootIndex + 1]
        let relative = components[(rootIndex + 2)...].joined(separator: "/")
        guard !ProcedureCatalog.reserved.contains(procedure), relative != "procedure.lua" else { return nil }
        return (procedure, relative)
    }
}
