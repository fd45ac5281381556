/// Where a step script comes from.
public enum StepOrigin: String, Sendable, Codable {
    /// Shipped in `Scripts/`.
    case bundled
    /// The site's `scripts/` replaces a bundled step of the same procedure and file name.
    case siteOverride = "site override"
    /// A step only the site has.
    case siteAddition = "site addition"
    /// A bundled step the site disabled (`scripts/<procedure>/<path>.lua.disabled`).
    case disabled
}

/// When a step of a per-server procedure runs.
public enum StepScope: String, Sendable, Codable, CaseIterable {
    /// Once for the whole procedure.
    case once
    /// Once per server.
    case each
    /// Once per production server.
    case production
    /// Once per recovery server.
    case recovery

    /// What the scope means, for the generated `phasekit.StepScope` alias.
    public var summary: String {
        switch self {
        case .once: "once for the whole procedure"
        case .each: "once per server of the replication group"
        case .production: "once per production server"
        case .recovery: "once per recovery server"
        }
    }
}

/// A step script's declared metadata, validated when it is loaded.
public struct StepDefinition: Sendable, Hashable {
    /// `procedure/relative/path` without `.lua`, such as `sync/io/3_mark_allocated_addresses`.
    public var id: String
    public var procedure: String
    /// The script's path relative to the procedure directory, such as `io/3_mark_allocated_addresses.lua`.
    public var relativePath: String
    /// The resolved script file.
    public var path: String
    public var origin: StepOrigin
    public var title: String
    public var section: String
    public var order: Int
    public var description: String
    public var needs: [String]
    public var scope: StepScope
    /// Whether the script declares an `applies(change)` predicate.
    public var hasPredicate: Bool
}
