public import LuaRuntime

/// The change a procedure's `applies(change)` predicates look at, computed from the site.
///
/// `configure` diffs the replication group's saved configuration against the operator's edit
/// (see docs/configure.md); other procedures have no change and their steps declare no predicate.
public enum ProcedureChange {
    public static func load(procedure: String, site: SiteConfiguration) throws -> LuaTable? {
        switch procedure {
        case "configure": try ReplicationChange.load(siteDirectory: site.directory)
        default: nil
        }
    }
}
