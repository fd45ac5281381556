public import LuaRuntime

/// What a run runs: a procedure by name, or a Lua file.
public enum RunTarget: Sendable, Equatable {
    case procedure(String)
    case script(path: String)

    /// `NAME` is a procedure, `PATH.lua` a script.
    public init(_ text: String) {
        self = text.hasSuffix(".lua") ? .script(path: text) : .procedure(text)
    }

    /// As the command line gives it: the procedure's name or the script's path.
    public var name: String {
        switch self {
        case .procedure(let name): name
        case .script(let path): path
        }
    }
}

/// Everything a command says about one run; ``TargetRunner/run(_:hooks:)`` does the rest.
public struct RunRequest {
    public var target: RunTarget
    /// The site, or nil for a script that uses no site resources.
    public var site: SiteConfiguration?
    /// Analysis (default) or execution.
    public var mode: RunMode = .analyze
    /// `--yes`: the execution is confirmed before it starts; nothing is asked.
    public var confirmedUpFront = false
    /// `--time-limit` and `--memory-limit`: they override the site's `limits`, which override the defaults.
    public var timeLimitSeconds: Double?
    public var memoryLimitMegabytes: Int?
    /// `--plan-out FILE`: the analysis also saves its plan there.
    public var planOut: String?
    /// `--execute --plan FILE`: apply exactly this saved plan, or refuse.
    public var plan: String?
    /// A procedure execution that resumes an interrupted one.
    public var resume: ResumePoint?
    /// The change providers procedures may name (`change = "NAME"` in procedure.lua).
    public var changeProviders: [String: any ChangeProvider] = [:]
    /// Who runs it, as the site's lock names the holder (the command line).
    public var command = ""

    public init(target: RunTarget, site: SiteConfiguration?) {
        self.target = target
        self.site = site
    }

    /// The run's limits: the defaults, then the site's `limits`, then the request's own.
    public var limits: LuaLimits { Self.limits(timeSeconds: timeLimitSeconds, memoryMegabytes: memoryLimitMegabytes, site: site) }

    /// Defaults, then the site's settings, then the given values (command-line flags).
    public static func limits(timeSeconds: Double?, memoryMegabytes: Int?, site: SiteConfiguration?) -> LuaLimits {
        var limits = LuaLimits.default
        if let seconds = timeSeconds ?? site?.timeLimitSeconds { limits.time = .milliseconds(Int64(seconds * 1000)) }
        if let megabytes = memoryMegabytes ?? site?.memoryLimitMegabytes { limits.memoryBytes = megabytes * 1024 * 1024 }
        return limits
    }
}
