public import LuaRuntime

/// A procedure's change model: what changed on a site, for the steps' `applies(change)`
/// predicates and `ctx.change`.
///
/// The engine knows no change model of its own. A procedure names one in its manifest
/// (`change = "replication"` in `procedure.lua`); the program that embeds the engine registers
/// providers by name in ``RunOptions/changeProviders``, and the run asks the named one once,
/// before the first step. A procedure that names none has no change (`ctx.change` is nil and
/// its steps declare no predicate).
///
/// Requirements:
/// - `change(site:files:)` only reads: it runs in analysis too. It reads the servers' files
///   through `files`, so that a server on its own host is read there.
/// - Errors are ``PhaseKitError/configuration(_:)`` naming the file and line at fault.
public protocol ChangeProvider: Sendable {
    /// The change the procedure's steps see, or `nil` when there is nothing to do.
    ///
    /// - Throws: ``PhaseKitError/configuration(_:)`` when the site's description of the change is invalid.
    func change(site: SiteConfiguration, files: SiteFiles) throws -> LuaTable?
}
