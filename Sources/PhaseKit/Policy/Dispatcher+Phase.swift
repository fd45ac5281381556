import LuaRuntime

extension Dispatcher {
    /// Installs `print`, which logs as `phase.log` does (the `phase` module itself comes from
    /// the registry, see ``PhaseBindings``).
    func installPrint(into lua: LuaState) {
        lua.installFunction("print", textArguments: true) { call in
            try self.log(&call)
            return 0
        }
    }

    /// Logs the arguments as one line, rendered within ``OutputLimits/logLineBytes``.
    func log(_ call: inout LuaCall) throws {
        let message = OutputLimits.describe(try call.values())
        recorder.record(LogLine(message: message, step: currentStep, server: currentServer))
        try chargeRecorder(call)
    }

    /// Counts what the recorder keeps against the run's memory limit.
    func chargeRecorder(_ call: borrowing LuaCall) throws {
        try call.setHostMemory("recorder", bytes: recorder.retainedBytes)
    }

    /// Reads `phase.issue{summary=..., detail=..., resolution="planned"|"manual"}` or
    /// `phase.issue("summary", {detail=..., resolution=...})`.
    func finding(from call: inout LuaCall) throws -> Finding {
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
                       location: call.callerLocation, step: currentStep, server: currentServer)
    }
}
