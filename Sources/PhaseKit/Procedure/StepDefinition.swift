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

/// A procedure's manifest (`procedure.lua`): its title and the order of its sections.
public struct ProcedureDefinition: Sendable {
    public var name: String
    public var title: String
    public var description: String
    /// Sections in the order they run; steps of other sections are refused.
    public var sections: [String]
    /// The manifest file, when there is one.
    public var path: String?
    /// Every step, enabled and disabled, in run order.
    public var steps: [StepDefinition]
    /// `confirm = "once"`: execution asks once for the whole plan, then runs every step; otherwise
    /// it asks before each phase.
    public var confirmOnce: Bool = false
    /// `interruptible = false`: once execution started, SIGINT, SIGTERM and SIGHUP are deferred.
    public var interruptible: Bool = true
    /// The site's `NAME.lua.disabled` files (relative to the procedure) that match no bundled step.
    public var unmatchedDisabledFiles: [String] = []

    /// The steps that run, in order.
    public var enabledSteps: [StepDefinition] { steps.filter { $0.origin != .disabled } }

    /// What the site turned off, for the run's warnings: each disabled step, and each
    /// `.disabled` file that matches no bundled step (a typo disables nothing).
    public var siteNotes: [String] {
        steps.filter { $0.origin == .disabled }.map { "step '\($0.title)' (\($0.id)) is disabled by the site (\($0.relativePath).disabled)" }
            + unmatchedDisabledFiles.map { "\(name)/\($0) disables nothing: there is no bundled step \(name)/\($0.dropLast(".disabled".count))" }
    }
}
