import Foundation
internal import CLua
internal import CLuaShim

/// One sandboxed Lua 5.4 state, the only owner of its `lua_State*`.
///
/// The state opens only the allow-listed libraries (`string`, `table`, `math`, `utf8`, `coroutine`,
/// `os.time/clock/date`, safe base functions), loads text chunks only, finds `require`d modules as
/// Lua source in ``searchPath`` only, and holds every run to its ``LuaLimits``. All calls into Lua go
/// through `lua_pcall` with a traceback handler, and ``check(_:)`` turns status codes into
/// ``LuaError``.
///
/// ```swift
/// let lua = try LuaState(limits: .default, searchPath: ["/opt/phasekit/Scripts/lib"])
/// let chunk = try lua.load(file: "/site/scripts/hello.lua")
/// let results = try lua.call(chunk)
/// ```
///
/// A state is not thread-safe: use it from one thread at a time.
public final class LuaState {
    let L: OpaquePointer
    let runtime: UnsafeMutablePointer<clua_runtime>
    /// Boxes of the host functions pushed so far; they live as long as the state.
    var hostFunctions: [HostFunctionBox] = []
    /// Script files loaded so far, to restore paths Lua shortened in messages.
    var loadedFiles: Set<String> = []
    /// Registry references of module tables built by ``LuaCall/pushModule(cacheKey:functions:)``.
    var cachedModules: [String: Int32] = [:]
    var warningSink: WarningSink
    /// What the host holds for the script, by holder (see ``setHostMemory(_:bytes:)``).
    var hostCharges: [String: Int] = [:]
    /// Bytes of values converted for the host function running now (reset on every call).
    var convertedInCall = 0
    /// Whether a host function is running (conversions outside one are not held).
    var inHostCall = false
    /// Registry slots of released ``LuaRegistryReference``s, freed by ``drainReleases()``.
    let releases = LuaReleaseQueue()
    /// The limits the state was created with.
    public let limits: LuaLimits
    /// Directories `require` searches for `name.lua`, in order.
    public let searchPath: [String]

    /// Creates a sandboxed state and starts its clock.
    ///
    /// - Parameters:
    ///   - limits: the run's memory, instruction and time limits.
    ///   - searchPath: directories `require` may load Lua source modules from.
    /// - Throws: ``LuaError`` of kind `.setup` when the state or the sandbox cannot be created.
    public init(limits: LuaLimits = .default, searchPath: [String] = []) throws(LuaError) {
        self.limits = limits
        self.searchPath = searchPath
        let runtime = UnsafeMutablePointer<clua_runtime>.allocate(capacity: 1)
        runtime.initialize(to: clua_runtime())
        runtime.pointee.memory_limit = limits.memoryBytes.map { Int($0) } ?? 0
        runtime.pointee.instruction_limit = limits.instructions ?? 0
        runtime.pointee.hook_interval = limits.checkInterval
        runtime.pointee.host_depth = 1   // Swift is in control until a protected call runs script code
        runtime.pointee.host_entry = luaHostEntry
        let sink = WarningSink()
        runtime.pointee.warning_sink = luaWarningEntry
        runtime.pointee.warning_context = Unmanaged.passUnretained(sink).toOpaque()
        guard let state = clua_newstate(runtime) else {
            runtime.deallocate()
            throw LuaError(.setup, "cannot create a Lua state: out of memory")
        }
        self.L = state
        self.runtime = runtime
        self.warningSink = sink
        runtime.pointee.owner = Unmanaged.passUnretained(self).toOpaque()
        lua_pushcclosure(L, clua_open_sandbox, 0)
        do {
            try check(clua_pcall_traceback(L, 0, 0))
        } catch {
            throw LuaError(.setup, "cannot install the sandbox: \(error.message)")
        }
        withDirectoryPointers(searchPath) { clua_set_search_path(L, $0, Int32(searchPath.count)) }
        restartClock()
        clua_arm_limits(L)
    }

    deinit {
        clua_prepare_close(L)
        lua_close(L)
        runtime.deallocate()
    }

    /// Starts the wall-clock limit afresh from now (for example after waiting for an operator).
    public func restartClock() {
        if let time = limits.time {
            clua_set_deadline(runtime, clua_monotonic_seconds() + time.secondsValue)
        } else {
            clua_set_deadline(runtime, 0)
        }
    }

    /// Continues the run of `earlier` in this state: the same wall-clock deadline, and the
    /// instructions `earlier` executed count against this state's instruction limit. A run that
    /// gives each step a fresh state stays bounded as a whole.
    public func continueLimits(from earlier: LuaState) {
        runtime.pointee.instructions = earlier.runtime.pointee.instructions
        clua_set_deadline(runtime, earlier.runtime.pointee.deadline)
    }

    /// Bytes the state has allocated now.
    public var memoryInUse: Int { Int(runtime.pointee.memory_used) }

    /// Instructions executed so far, counted in steps of the check interval; only counted when
    /// ``LuaLimits/instructions`` is set (counting every instruction has a cost, see docs/runtime.md),
    /// plus pattern-matcher steps.
    public var instructionsExecuted: UInt64 { runtime.pointee.instructions }

    /// The limit a script tripped, if any; once tripped the state refuses further Lua work.
    public var trippedLimit: LuaLimit? {
        switch Int32(runtime.pointee.tripped) {
        case Int32(CLUA_LIMIT_MEMORY.rawValue): .memory
        case Int32(CLUA_LIMIT_INSTRUCTIONS.rawValue): .instructions
        case Int32(CLUA_LIMIT_TIME.rawValue): .time
        default: nil
        }
    }

    /// Warnings emitted so far (`warn(...)`, errors in finalizers), oldest first.
    public var warnings: [String] { warningSink.messages }

    /// The one chokepoint from Lua status codes to ``LuaError``.
    ///
    /// On failure it pops the error value and reads the traceback the message handler recorded.
    /// A tripped limit wins over the status Lua reported, since a limit can surface as a memory,
    /// runtime or handler error depending on where it struck.
    func check(_ status: Int32) throws(LuaError) {
        guard status != LUA_OK else { return }
        clua_push_last_traceback(L)
        let traceback = lua_type(L, -1) == LUA_TSTRING ? expandShortPaths(stringAt(-1)) : nil
        clua_pop(L, 1)
        // An error object with __tostring is reported as tostring shows it, converted under the limits.
        _ = clua_error_tostring(L)
        let message = expandShortPaths(popErrorMessage())
        let kind: LuaError.Kind
        if let limit = trippedLimit {
            kind = .limit(limit)
        } else if status == LUA_ERRSYNTAX {
            kind = .syntax
        } else if status == LUA_ERRMEM {
            kind = .limit(.memory)
        } else {
            kind = .runtime
        }
        var error = LuaError.parsing(kind, message, traceback: traceback)
        if case .limit(let limit) = kind, !message.contains("limit exceeded") {
            error.message = message + " (\(limit.rawValue) limit exceeded)"
        }
        throw error
    }

    private func popErrorMessage() -> String {
        defer { clua_pop(L, 1) }
        switch lua_type(L, -1) {
        case LUA_TSTRING, LUA_TNUMBER: return stringAt(-1)
        case LUA_TNIL: return "error with no message"
        default: return "(error object is a \(String(cString: lua_typename(L, lua_type(L, -1)))) value)"
        }
    }

    /// The string at `index` (which must be a string or number), byte-exact, decoded leniently.
    func stringAt(_ index: Int32) -> String {
        var length = 0
        guard let pointer = lua_tolstring(L, index, &length) else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    /// Frees the registry slots of references released since the last drain. Runs on the
    /// state's thread, before each call and each new reference.
    func drainReleases() {
        for reference in releases.take() {
            luaL_unref(L, clua_registryindex(), reference)
        }
    }
}

/// Collects warnings from the C side.
final class WarningSink {
    var messages: [String] = []
}

private let luaWarningEntry: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?, Int) -> Void = {
    context, message, length in
    guard let context, let message else { return }
    let sink = Unmanaged<WarningSink>.fromOpaque(context).takeUnretainedValue()
    let bytes = UnsafeRawBufferPointer(start: message, count: length)
    sink.messages.append(String(decoding: bytes, as: UTF8.self))
}

private func withDirectoryPointers<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let duplicates = strings.map { strdup($0) }
    defer { duplicates.forEach { free($0) } }
    let pointers = duplicates.map { UnsafePointer($0) }
    return pointers.withUnsafeBufferPointer { buffer in
        // An empty array still needs a valid base pointer.
        guard let base = buffer.baseAddress else {
            var none: UnsafePointer<CChar>? = nil
            return withUnsafePointer(to: &none) { body($0) }
        }
        return body(base)
    }
}

extension LuaState {
    /// Whether a count hook runs on the main thread now (tests: without an instruction limit none
    /// should, until the deadline passes).
    var countHookArmed: Bool { lua_gethookmask(L) & LUA_MASKCOUNT != 0 }

    /// How many host functions got an indexed light C function (for tests).
    var indexedHostFunctionCount: Int { Int(runtime.pointee.indexed_host_functions) }
}
