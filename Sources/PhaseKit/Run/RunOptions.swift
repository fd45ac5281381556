public import LuaRuntime

/// What a run needs to know before it starts.
public struct RunOptions: Sendable {
    public var mode: RunMode
    public var limits: LuaLimits
    /// The site, or `nil` for a script that uses no site resources.
    public var site: SiteConfiguration?
    /// Directories `require` searches, site's before bundled.
    public var searchPath: [String]
    /// `phase.params` for the scripts.
    public var parameters: LuaTable
    /// The procedure being run, when it is one (decides which services are required).
    public var procedure: String?
    /// Keep a fingerprint of what each step reads (for saved plans).
    public var fingerprinting = false
    /// An analysis that stages the execution of a run confirmed up front (``StagedRun``): the
    /// world is the planned one, but scripts see "execute" (`ctx.mode`, `ctx.intent`,
    /// `phase.mode`), so they do what the execution would do. Only with ``mode`` `.analyze`.
    public var stagedExecution = false
    /// Change providers by name, for procedures whose manifest names one (`change = "NAME"`).
    public var changeProviders: [String: any ChangeProvider] = [:]
    /// What changed, for procedures whose steps declare `applies(change)`; `ctx.change` in steps.
    public var change: LuaTable?
    /// What steps see as `ctx.intent` when set: `.execute` in an analysis that plans an execution
    /// (a plan saved with `--plan-out`, checked with `--plan`, or confirmed once). It grants nothing.
    public var intent: RunMode?
    /// The saved plan an execution applies (`--execute --plan FILE`): every write must be the
    /// plan's next one for its step row, or it is refused before it reaches the world.
    public var savedPlan: SavedPlan?

    public init(mode: RunMode = .analyze, limits: LuaLimits = .default, site: SiteConfiguration? = nil,
                searchPath: [String] = [], parameters: LuaTable = LuaTable(), procedure: String? = nil) {
        self.procedure = procedure
        self.mode = mode
        self.limits = limits
        self.site = site
        self.searchPath = searchPath
        self.parameters = parameters
    }
}
