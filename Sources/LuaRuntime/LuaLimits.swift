/// The limits one run of Lua code is held to.
///
/// The defaults (60 s, 512 MiB, no separate instruction cap) suit the bundled procedures; a site's
/// settings and the `--time-limit` and `--memory-limit` flags override them. `nil` means unlimited.
public struct LuaLimits: Sendable, Equatable {
    /// Wall-clock time from the start of the run; also stops a script stuck inside one pattern
    /// match, a library loop (`table.move`, `table.sort`, ...) or the parser (see docs/runtime.md).
    public var time: Duration?
    /// Bytes the Lua state may allocate; past it allocation fails with a clean error.
    public var memoryBytes: Int?
    /// Lua VM instructions (and pattern-matcher steps) the run may execute.
    public var instructions: UInt64?
    /// How many instructions run between two checks of the limits.
    public var checkInterval: Int32

    public init(
        time: Duration? = .seconds(60),
        memoryBytes: Int? = 512 * 1024 * 1024,
        instructions: UInt64? = nil,
        checkInterval: Int32 = 1000
    ) {
        self.time = time
        self.memoryBytes = memoryBytes
        self.instructions = instructions
        self.checkInterval = checkInterval
    }

    /// 60 seconds and 512 MiB.
    public static let `default` = LuaLimits()
}
