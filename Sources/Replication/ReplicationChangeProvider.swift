public import LuaRuntime
public import PhaseKit

/// The change provider of procedures whose manifest says `change = "replication"` (the bundled
/// `configure`): the replication group's pending edit, as ``ReplicationChange/load(siteDirectory:)``
/// computes it.
public struct ReplicationChangeProvider: ChangeProvider {
    /// The name procedures give in `procedure.lua`.
    public static let name = "replication"

    public init() {}

    public func change(site: SiteConfiguration, files: SiteFiles) throws -> LuaTable? {
        try ReplicationChange.load(site: site, files: files)
    }
}
