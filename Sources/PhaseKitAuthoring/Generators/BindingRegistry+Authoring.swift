import PhaseKit

extension BindingRegistry {
    /// Declares what a script is given and what it returns besides the bindings: `phase.mode` and
    /// `phase.params`, the `ctx` of `run(ctx)`, the step table and the `procedure.lua` manifest,
    /// with their closed sets of values taken from the Swift types that check them.
    mutating func registerAuthoringTypes() {
        register(alias: LuaAliasSpec("phasekit.Mode", "How the run treats write bindings.",
                                     values: RunMode.allCases.map { ($0.rawValue, $0 == .analyze ? "writes are planned, never applied" : "writes are applied") }))
        register(alias: LuaAliasSpec("phasekit.Resource", "A resource a step may declare in `needs`.",
                                     values: MetadataLoader.resources.sorted().map { ($0, "the \($0) bindings") }))
        register(class: LuaClassSpec("phasekit.Context", "The `ctx` a step's `run` (and `applies`) receives.", fields: [
            .init("mode", "phasekit.Mode", "the run's mode"),
            .init("intent", "phasekit.Mode", "\"execute\" also in the analysis that plans an execution; it grants nothing"),
            .init("step", "string", "this step's id, such as sync/io/1_terminate_requests"),
            .init("procedure", "string", "the procedure's name, or \"\" for a script run alone"),
            .init("server", "string", "the server this row runs for"),
            .init("params", "table<string, any>", "the site.yaml parameters of the procedure"),
            .init("change", "table", optional: true, "what changed, from the procedure's change provider (procedure.lua's change)"),
        ]))
        register(class: LuaClassSpec("phasekit.Step", "What a step script returns (`---@type phasekit.Step`).", fields: [
            .init("title", "string", "one line, shown in plans and reports"),
            .init("description", "string", "what the step checks and changes, for phasekit show"),
            .init("order", "integer", "position within its section"),
            .init("section", "string", optional: true, "the section; defaults to the directory the script is in"),
            .init("needs", "phasekit.Resource[]", optional: true, "the resources the step uses"),
            .init("scope", "\"once\"|\"each\"|string", optional: true, "once (default), each: once per server of the procedure's roles, or a role: once per server of that role"),
            .init("run", "fun(ctx: phasekit.Context)", "does the step's work; in analysis, writes are planned"),
            .init("applies", "fun(change: table, ctx: phasekit.Context): boolean", optional: true, "whether the step is needed for this change"),
        ]))
        register(class: LuaClassSpec("phasekit.Procedure", "What procedure.lua returns (`---@type phasekit.Procedure`).", fields: [
            .init("title", "string", "the procedure's title"),
            .init("description", "string", optional: true, "what it is for"),
            .init("sections", "string[]", optional: true, "the sections in the order they run"),
            .init("confirm", "\"phase\"|\"once\"", optional: true, "ask before each phase (default) or once for the whole plan"),
            .init("interruptible", "boolean", optional: true, "false: once execution started, SIGINT, SIGTERM and SIGHUP are deferred"),
            .init("change", "string", optional: true, "the change provider that computes ctx.change (configure: \"replication\")"),
            .init("roles", "string[]", optional: true, "the server roles its per-server steps act on (default: every server)"),
        ]))
    }
}
