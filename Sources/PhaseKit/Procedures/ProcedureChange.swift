public import LuaRuntime

/// Asks a procedure's change provider (``ProcedureDefinition/changeProvider``) for `ctx.change`.
public enum ProcedureChange {
    /// The change of `procedure` on `site`, or `nil` when the procedure names no provider or
    /// runs without a site.
    ///
    /// - Throws: ``PhaseKitError/configuration(_:)`` when the provider is not registered, or what
    ///   the provider throws.
    public static func load(
        procedure: ProcedureDefinition, site: SiteConfiguration?, providers: [String: any ChangeProvider]
    ) throws -> LuaTable? {
        guard let name = procedure.changeProvider, let site else { return nil }
        guard let provider = providers[name] else {
            let known = providers.keys.sorted().joined(separator: ", ")
            throw PhaseKitError.configuration(
                "\(procedure.path ?? procedure.name): change provider '\(name)' is not part of this phasekit (it has: \(known.isEmpty ? "none" : known))")
        }
        return try provider.change(site: site, files: SiteFiles(site: site))
    }
}
