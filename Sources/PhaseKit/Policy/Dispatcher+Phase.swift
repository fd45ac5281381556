import LuaRuntime

extension Dispatcher {
    /// The `phase` module: the run's mode, findings and logging. `print` logs too.
    ///
    /// `print`, `phase.log` and `phase.warn` convert their arguments as Lua's `tostring` does
    /// (`__tostring` included), as script code under the run's limits.
    func installPhaseModule(into lua: LuaState) throws {
        let issue: LuaHostFunction = { call in
            let finding = try self.finding(from: &call)
            self.recorder.record(finding)
            try self.chargeRecorder(call)
            return 0
        }
        let log: LuaHostFunction = { call in
            try self.log(&call)
            return 0
        }
        let warn: LuaHostFunction = { call in
            self.recorder.warn(OutputLimits.describe(try call.values()))
            try self.chargeRecorder(call)
            return 0
        }
        let title: LuaHostFunction = { call in
            let text = try call.string(1).split(whereSeparator: \.isNewline).joined(separator: " ")
            guard !text.isEmpty else { throw LuaArgumentError(function: "phase.title", position: 1, "a non-empty title is required") }
            self.rowTitle = OutputLimits.truncate(text, to: Self.changeDescriptionBytes)
            return 0
        }
        let review: LuaHostFunction = { call in
            try self.review(&call, stateDirectory: self.stateDirectory)
        }
        let precondition: LuaHostFunction = { call in
            let finding = try self.finding(from: &call)
            self.recorder.record(finding)
            try self.chargeRecorder(call)
            self.unmetPrecondition = finding
            throw PreconditionFailure(summary: finding.summary, detail: finding.detail)
        }
        try lua.installModule(
            "phase",
            functions: ["issue": issue, "log": log, "review": review, "precondition": precondition, "warn": warn, "title": title],
            constants: ["mode": .text(presentedMode.rawValue), "params": .table(parameters), "change": .function(try changeFunction(in: lua))],
            textArguments: ["log", "warn"]
        )
        lua.installFunction("print", textArguments: true) { call in
            try self.log(&call)
            return 0
        }
    }

    /// Logs the arguments as one line, rendered within ``OutputLimits/logLineBytes``.
    private func log(_ call: inout LuaCall) throws {
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
    private func finding(from call: inout LuaCall) throws -> Finding {
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
