import LuaRuntime

extension PhaseBindings {
    /// Reads `phase.issue{summary=..., detail=..., resolution="planned"|"manual"}` or
    /// `phase.issue("summary", {detail=..., resolution=...})`, as a finding of the running step.
    static func finding(from call: inout LuaCall, _ step: StepContext) throws -> Finding {
        var summary: String?
        var options = LuaTable()
        switch try call.value(1) {
        case .string(let text):
            summary = OutputLimits.truncate(text.description, to: OutputLimits.findingTextBytes)
            options = try call.optionalTable(2) ?? LuaTable()
        case .table(let table):
            options = table
            summary = table["summary"].stringValue.map { OutputLimits.truncate($0, to: OutputLimits.findingTextBytes) }
        default:
            throw LuaArgumentError(function: "phase.issue", position: 1, "table or string expected")
        }
        guard let summary, !summary.isEmpty else {
            throw LuaArgumentError(function: "phase.issue", position: 1, "a non-empty summary is required")
        }
        let resolutionText = options["resolution"].stringValue ?? "manual"
        guard let resolution = Finding.Resolution(rawValue: resolutionText) else {
            throw LuaArgumentError(function: "phase.issue", position: 1, "resolution must be \"planned\" or \"manual\", got \"\(resolutionText)\"")
        }
        let detail: String? = switch options["detail"] {
        case .nil: nil
        case let other: OutputLimits.describe([other], maximum: OutputLimits.findingTextBytes)
        }
        return Finding(summary: summary, detail: detail, resolution: resolution,
                       location: call.callerLocation, step: step.name, server: step.server)
    }
}
