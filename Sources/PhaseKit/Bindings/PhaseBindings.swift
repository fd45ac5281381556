import LuaRuntime

/// `phase`: the run itself — its mode and parameters, findings, logging, warnings and review files.
///
/// Declared like every other module, so one declaration drives the dispatcher, the generated
/// files and `phasekit lint`; its functions are of kind ``BindingKind/run``: they act on the run's
/// report and on the running step's ``StepState``, never on the world. `print` logs as
/// `phase.log` does.
enum PhaseBindings {
    static var module: BindingModule {
        let issue = BindingParameter("issue", "phasekit.Issue|string", "the finding")
        let values = BindingParameter("...", "any", "values, each converted as tostring does, joined by tabs")
        var module = BindingModule("phase", summary: "The run itself: its mode, findings, logging and review files. phase.mode and phase.params are read-only fields.", classes: classes, bindings: [
            Binding(BindingSpec(name: "change",
                                parameters: [.init("description", "string", "what the writes do, in operator terms"),
                                             .init("fn", "fun(...): ...", "makes the writes"), .init("...", "any", "arguments passed to fn")],
                                results: [.init("...", "what fn returns")],
                                summary: "Calls fn and shows the writes it makes under the description (plans, prompts, reports); it grants nothing: each write is checked and recorded as outside. Groups nest (a write takes the innermost); an error in fn ends the group and propagates.",
                                effect: .read, kind: .run), madeBy: changeFunction),
            Binding("issue", parameters: [issue], summary: "Reports a finding; execution stops before the next phase while a manual one remains.",
                    effect: .read, kind: .run, body: reportIssue),
            Binding("log", parameters: [values], summary: "Adds a line to the run's report and output (print does the same).",
                    effect: .read, kind: .run, textArguments: true, body: log),
            Binding("review", parameters: [.init("name", "string", "review file name"), .init("items", "phasekit.ReviewItem[]", "the candidates")],
                    results: [.init("string[]", "keys the operator marked with '*'"), .init("string", "the file, relative to the site")],
                    summary: "Writes or updates state/review/NAME.txt and returns the marked keys (phasekit's own worksheet, written in both modes).",
                    effect: .read, kind: .run, body: review),
            Binding("warn", parameters: [values], summary: "Adds a warning to the run's report; it does not change the outcome.",
                    effect: .read, kind: .run, textArguments: true, body: warn),
            Binding("title", parameters: [.init("title", "string", "the row's title, such as naming what it acts on")],
                    summary: "Retitles the running step's row in the report (the step's own title is its default).",
                    effect: .read, kind: .run, body: title),
            Binding("precondition", parameters: [.init("issue", "phasekit.Issue|string", "what is not met")],
                    summary: "Stops the run: a precondition is not met (exit code 3).",
                    effect: .read, kind: .run, body: preconditionUnmet),
        ])
        module.constants = [
            .init(field: .init("mode", "phasekit.Mode", "the run's mode (read-only)")) { .text($0.presentedMode.rawValue) },
            .init(field: .init("params", "table<string, any>", "the site.yaml parameters of the procedure (read-only)")) { .table($0.parameters) },
        ]
        module.globals = ["print": "log"]
        return module
    }

    static let classes = [
        LuaClassSpec("phasekit.Issue", "A finding reported by a step.", fields: [
            .init("summary", "string", "one line"),
            .init("detail", "string", optional: true, "more context for the operator"),
            .init("resolution", "\"planned\"|\"manual\"", optional: true, "planned: the step's changes resolve it; manual (default): an operator must act"),
        ]),
        LuaClassSpec("phasekit.ReviewItem", "A candidate listed in a review file.", fields: [
            .init("key", "string", "identifier without spaces"),
            .init("text", "string", optional: true, "what the operator sees"),
            .init("proposed", "boolean", optional: true, "pre-mark it with '*'"),
        ]),
    ]

    /// The longest row title or change description kept.
    static let changeDescriptionBytes = 1024

    static func reportIssue(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        let dispatcher = invocation.dispatcher
        dispatcher.recorder.record(try finding(from: &call, dispatcher.step))
        try dispatcher.chargeRecorder(call)
        return 0
    }

    /// Logs the arguments as one line, rendered within ``OutputLimits/logLineBytes`` (`print` too).
    static func log(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        let dispatcher = invocation.dispatcher
        let message = OutputLimits.describe(try call.values())
        dispatcher.recorder.record(LogLine(message: message, step: dispatcher.step.name, server: dispatcher.step.server))
        try dispatcher.chargeRecorder(call)
        return 0
    }

    static func warn(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        let dispatcher = invocation.dispatcher
        dispatcher.recorder.warn(OutputLimits.describe(try call.values()))
        try dispatcher.chargeRecorder(call)
        return 0
    }

    static func title(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        let text = try call.string(1).split(whereSeparator: \.isNewline).joined(separator: " ")
        guard !text.isEmpty else { throw LuaArgumentError(function: "phase.title", position: 1, "a non-empty title is required") }
        invocation.dispatcher.step.phase.title = OutputLimits.truncate(text, to: changeDescriptionBytes)
        return 0
    }

    static func preconditionUnmet(_ call: inout LuaCall, _ invocation: BindingInvocation) throws -> Int32 {
        let dispatcher = invocation.dispatcher
        let finding = try finding(from: &call, dispatcher.step)
        dispatcher.recorder.record(finding)
        try dispatcher.chargeRecorder(call)
        dispatcher.step.phase.unmetPrecondition = finding
        throw PhaseKitError.precondition(finding.summary + (finding.detail.map { "\n" + $0 } ?? ""))
    }
}
