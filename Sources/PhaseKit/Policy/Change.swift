/// One call of a write binding, as the run's report and journal keep it.
public struct Change: Sendable, Hashable, Codable {
    /// What became of the change.
    public enum Status: String, Sendable, Codable {
        /// Analysis: recorded, applied to the planned world only.
        case planned
        /// Execution: applied to the real world.
        case applied
        /// The binding failed; in execution the world may be partly changed (see the error).
        case failed
        /// The host refused the write before it reached the world (a protected path, a write
        /// that is not in the saved plan being applied, ...): nothing changed.
        case refused
        /// Execution: planned for a phase the operator did not confirm (`n`, end of input, or a
        /// signal at its prompt): it never reached the world.
        case notConfirmed = "not-confirmed"
    }

    /// `module.name` of the binding.
    public var binding: String
    /// The arguments as the script passed them.
    public var arguments: [JSONValue]
    /// What the binding returned (analysis: the "as if" result).
    public var result: [JSONValue]
    public var status: Status
    /// The calling script's `file:line`.
    public var location: String?
    /// The step that made the call, such as `sync/io/3_mark_addresses`.
    public var step: String?
    /// The server the call acted on.
    public var server: String?
    /// The server of the step row that made the call (differs from ``server`` after `module.on(other)`).
    public var row: String?
    /// The error, when it failed.
    public var error: String?
    /// What the write does in operator terms, as its binding describes it: "create volume
    /// lv_invoices, 24 MiB in vg_data, on production". Absent for bindings that describe nothing.
    public var description: String?
    /// What the script said the write is for, with `phase.change(description, fn)`.
    public var group: String?
    /// For a write over an existing file: a unified diff of its content (or a one-line summary
    /// when the file is too large for one).
    public var diff: String?

    public init(
        binding: String, arguments: [JSONValue], result: [JSONValue] = [], status: Status,
        location: String?, step: String?, server: String?, row: String? = nil, error: String? = nil,
        description: String? = nil, group: String? = nil, diff: String? = nil
    ) {
        self.row = row ?? server
        self.description = description
        self.group = group
        self.diff = diff
        self.binding = binding
        self.arguments = arguments
        self.result = result
        self.status = status
        self.location = location
        self.step = step
        self.server = server
        self.error = error
    }

    /// `volumes.create({name="lv1", ...})` in one line: the raw call, which saved plans compare.
    public var summary: String {
        "\(binding)(" + arguments.map(\.compact).joined(separator: ", ") + ")"
    }

    /// The line operators read: the script's description of the write, else the binding's, else
    /// the raw call.
    public var headline: String { group ?? description ?? summary }
}

/// A discrepancy a script found and reported with `phase.issue{...}`.
public struct Finding: Sendable, Hashable, Codable {
    /// How the finding gets resolved.
    public enum Resolution: String, Sendable, Codable {
        /// The changes planned by the step resolve it.
        case planned
        /// An operator must act; execution stops before the next phase.
        case manual
    }

    public var summary: String
    public var detail: String?
    public var resolution: Resolution
    public var location: String?
    public var step: String?
    public var server: String?

    public init(summary: String, detail: String?, resolution: Resolution, location: String?, step: String?, server: String?) {
        self.summary = summary
        self.detail = detail
        self.resolution = resolution
        self.location = location
        self.step = step
        self.server = server
    }
}

/// A line a script logged with `phase.log(...)` or `print(...)`.
public struct LogLine: Sendable, Hashable, Codable {
    public var message: String
    public var step: String?
    public var server: String?

    public init(message: String, step: String?, server: String?) {
        self.message = message
        self.step = step
        self.server = server
    }
}
