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
    /// `change = "NAME"`: the ``ChangeProvider`` that computes `ctx.change` for the steps.
    public var changeProvider: String?
    /// `roles = {...}`: the site roles of the servers a step of scope `each` runs for; servers of
    /// other roles are passed over. Empty: every server.
    public var roles: [String] = []
    /// The site's `NAME.lua.disabled` files (relative to the procedure) that match no bundled step.
    public var unmatchedDisabledFiles: [String] = []

    /// The steps that run, in order.
    public var enabledSteps: [StepDefinition] { steps.filter { $0.origin != .disabled } }

    /// What the site turned off, for the run's warnings: each disabled step, and each
    /// `.disabled` file that matches no bundled step (a typo disables nothing).
    public var siteNotes: [String] {
        steps.filter { $0.origin == .disabled }.map { "step '\($0.title(for: nil))' (\($0.id)) is disabled by the site (\($0.relativePath).disabled)" }
            + unmatchedDisabledFiles.map { "\(name)/\($0) disables nothing: there is no bundled step \(name)/\($0.dropLast(".disabled".count))" }
    }
}
