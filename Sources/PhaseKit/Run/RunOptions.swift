public import LuaRuntime

/// What a run needs to know before it starts.
public struct RunOptions: Sendable {
    /// What the run is (analysis, the plan of an execution, a staged execution, an execution, the
    /// execution of a saved plan): it decides the world, the records and what scripts see.
    public var intent: RunIntent
    /// The world bindings act on: planned (analysis) or real (execution); from ``intent``.
    public var mode: RunMode { intent.mode }
    public var limits: LuaLimits
    /// The site, or `nil` for a script that uses no site resources.
    public var site: SiteConfiguration?
    /// Directories `require` searches, site's before bundled.
    public var searchPath: [String]
    /// `phase.params` for the scripts.
    public var parameters: LuaTable
    /// The procedure being run, when it is one (decides which services are required).
    public var procedure: String?
    /// Change providers by name, for procedures whose manifest names one (`change = "NAME"`).
    public var changeProviders: [String: any ChangeProvider] = [:]
    /// What changed, for procedures whose steps declare `applies(change)`; `ctx.change` in steps.
    public var change: LuaTable?

    public init(intent: RunIntent = .analyze, limits: LuaLimits = .default, site: SiteConfiguration? = nil,
                searchPath: [String] = [], parameters: LuaTable = LuaTable(), procedure: String? = nil) {
        self.procedure = procedure
        self.intent = intent
        self.limits = limits
        self.site = site
        self.searchPath = searchPath
        self.parameters = parameters
    }
}
