import LuaRuntime

/// `phase`: the run itself — its mode and parameters, findings, logging, warnings and review files.
///
/// Registered like every other module, so one declaration drives the dispatcher, the generated
/// files and `phasekit lint`; its functions are of kind ``BindingKind/run``: they act on the run's
/// report, never on the world. `print` logs as `phase.log` does.
enum PhaseBindings {
    static func register(in registry: inout BindingRegistry) {
        registry.register(class: LuaClassSpec("phasekit.Issue", "A finding reported by a step.", fields: [
            .init("summary", "string", "one line"),
            .init("detail", "string", optional: true, "more context for the operator"),
            .init("resolution", "\"planned\"|\"manual\"", optional: true, "planned: the step's changes resolve it; manual (default): an operator must act"),
        ]))
        registry.register(class: LuaClassSpec("phasekit.ReviewItem", "A candidate listed in a review file.", fields: [
            .init("key", "string", "identifier without spaces"),
            .init("text", "string", optional: true, "what the operator sees"),
            .init("proposed", "boolean", optional: true, "pre-mark it with '*'"),
        ]))
        registry.register(constant: .init("mode", "phasekit.Mode", "the run's mode (read-only)"), of: "phase") { dispatcher in
            .text(dispatcher.presentedMode.rawValue)
        }
        registry.register(constant: .init("params", "table<string, any>", "the site.yaml parameters of the procedure (read-only)"), of: "phase") { dispatcher in
            .table(dispatcher.parameters)
        }
        registry.register(BindingSpec(module: "phase", name: "change",
                                      parameters: [.init("description", "string", "what the writes do, in operator terms"),
                                                   .init("fn", "fun(...): ...", "makes the writes"), .init("...", "any", "arguments passed to fn")],
                                      results: [.init("...", "what fn returns")],
                                      summary: "Calls fn and shows the writes it makes under the description (plans, prompts, reports); it grants nothing: each write is checked and recorded as outside. Groups nest (a write takes the innermost); an error in fn ends the group and propagates.",
                                      effect: .read, kind: .run)) { dispatcher, lua in
            try dispatcher.changeFunction(in: lua)
        }
        registry.register(module: "phase", summary: "The run itself: its mode, findings, logging and review files. phase.mode and phase.params are read-only fields.", [
            Binding(BindingSpec(module: "phase", name: "issue", parameters: [.init("issue", "phasekit.Issue|string", "the finding")],
                                summary: "Reports a finding; execution stops before the next phase while a manual one remains.",
                                effect: .read, kind: .run)) { call, invocation in
                let dispatcher = invocation.dispatcher
                dispatcher.recorder.record(try dispatcher.finding(from: &call))
                try dispatcher.chargeRecorder(call)
                return 0
            },
            Binding(BindingSpec(module: "phase", name: "log", parameters: [.init("...", "any", "values, each converted as tostring does, joined by tabs")],
                                summary: "Adds a line to the run's report and output (print does the same).",
                                effect: .read, kind: .run, textArguments: true)) { call, invocation in
                try invocation.dispatcher.log(&call)
                return 0
            },
            Binding(BindingSpec(module: "phase", name: "review",
                                parameters: [.init("name", "string", "review file name"), .init("items", "phasekit.ReviewItem[]", "the candidates")],
                                results: [.init("string[]", "keys the operator marked with '*'"), .init("string", "the file, relative to the site")],
                                summary: "Writes or updates state/review/NAME.txt and returns the marked keys (phasekit's own worksheet, written in both modes).",
                                effect: .read, kind: .run)) { call, invocation in
                try invocation.dispatcher.review(&call, stateDirectory: invocation.dispatcher.stateDirectory)
            },
            Binding(BindingSpec(module: "phase", name: "warn", parameters: [.init("...", "any", "values, each converted as tostring does, joined by tabs")],
                                summary: "Adds a warning to the run's report; it does not change the outcome.",
                                effect: .read, kind: .run, textArguments: true)) { call, invocation in
                let dispatcher = invocation.dispatcher
                dispatcher.recorder.warn(OutputLimits.describe(try call.values()))
                try dispatcher.chargeRecorder(call)
                return 0
            },
            Binding(BindingSpec(module: "phase", name: "title", parameters: [.init("title", "string", "the row's title, such as naming what it acts on")],
                                summary: "Retitles the running step's row in the report (the step's own title is its default).",
                                effect: .read, kind: .run)) { call, invocation in
                let dispatcher = invocation.dispatcher
                let text = try call.string(1).split(whereSeparator: \.isNewline).joined(separator: " ")
                guard !text.isEmpty else { throw LuaArgumentError(function: "phase.title", position: 1, "a non-empty title is required") }
                dispatcher.rowTitle = OutputLimits.truncate(text, to: Dispatcher.changeDescriptionBytes)
                return 0
            },
            Binding(BindingSpec(module: "phase", name: "precondition", parameters: [.init("issue", "phasekit.Issue|string", "what is not met")],
                                summary: "Stops the run: a precondition is not met (exit code 3).",
                                effect: .read, kind: .run)) { call, invocation in
                let dispatcher = invocation.dispatcher
                let finding = try dispatcher.finding(from: &call)
                dispatcher.recorder.record(finding)
                try dispatcher.chargeRecorder(call)
                dispatcher.unmetPrecondition = finding
                throw PhaseKitError.precondition(finding.summary + (finding.detail.map { "\n" + $0 } ?? ""))
            },
        ])
    }
}
