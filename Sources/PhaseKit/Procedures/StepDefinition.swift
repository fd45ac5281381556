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

/// When a step runs: once, or once per server (all of the procedure's, or those of one role).
public enum StepScope: Sendable, Hashable {
    /// Once for the whole procedure.
    case once
    /// Once per server the procedure acts on: those whose role its manifest lists in `roles`
    /// (every server when it lists none).
    case each
    /// Once per server with this role in site.yaml.
    case role(String)

    /// The scope a step declares: `once`, `each`, or a server role.
    public init(_ text: String) {
        switch text {
        case "once": self = .once
        case "each": self = .each
        default: self = .role(text)
        }
    }

    /// As the step declares it.
    public var rawValue: String {
        switch self {
        case .once: "once"
        case .each: "each"
        case .role(let role): role
        }
    }

    /// Whether a step of this scope runs for a server with `role`, in a procedure acting on
    /// servers of `roles` (empty: every server).
    public func includes(role: String, procedureRoles roles: [String]) -> Bool {
        switch self {
        case .once: false
        case .each: roles.isEmpty || roles.contains(role)
        case .role(let wanted): role == wanted
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
