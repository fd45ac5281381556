public import LuaRuntime

extension TargetRunner {
    /// The analysis of a procedure as `phasekit run NAME` (without `--execute`) makes it, for a
    /// viewer that must leave the site as it found it (`phasekit serve`): the same options, change
    /// provider and analyze policy, but without taking the site's lock (a viewer must never make
    /// an operator's run refuse), without archiving the report or journaling anything, and without
    /// writing `phase.review`'s worksheet (its marks are read).
    ///
    /// - Returns: the analysis and the procedure's change (`ctx.change`; nil when there is none).
    /// - Throws: ``PhaseKitError`` when the procedure or its change cannot be loaded.
    public static func preview(_ request: RunRequest) throws -> (report: RunReport, change: LuaTable?) {
        guard case .procedure(let name) = request.target else {
            throw PhaseKitError.configuration("a preview analyzes a procedure, not a script")
        }
        let procedure = try catalog(site: request.site, limits: request.limits).procedure(named: name)
        var options = RunOptions(request: request, intent: .analyze, procedure: name)
        options.writesWorksheets = false
        let change = try ProcedureChange.load(procedure: procedure, site: request.site, providers: request.changeProviders)
        options.change = change
        var report = ProcedureRunner(procedure: procedure, options: options).run()
        report.warnings = procedure.siteNotes + report.warnings
        return (report, change)
    }
}
