internal import CLua
internal import CLuaShim

/// A host function as an object: the state calls ``callAsHostFunction(_:)`` directly (one
/// virtual call), without a closure context, reabstraction thunks or a protocol witness in between.
/// phasekit's bindings subclass it (every binding call goes through one); closures
/// (``LuaHostFunction``) suit everything else.
open class LuaHostFunctionObject {
    public init() {}

    /// Reads the arguments from `call`, pushes the results and returns their count; may throw as
    /// a ``LuaHostFunction`` may. Every subclass overrides it.
    open func callAsHostFunction(_ call: inout LuaCall) throws -> Int32 {
        preconditionFailure("\(type(of: self)) does not override callAsHostFunction(_:)")
    }
}

/// A closure as a ``LuaHostFunctionObject``.
final class ClosureHostFunction: LuaHostFunctionObject {
    let body: LuaHostFunction
    init(_ body: @escaping LuaHostFunction) { self.body = body }
    override func callAsHostFunction(_ call: inout LuaCall) throws -> Int32 { try body(&call) }
}

/// Keeps a host function and its name alive for as long as the state that calls it.
final class HostFunctionBox {
    let name: String
    let function: LuaHostFunctionObject
    /// The state that calls the function. Not counted: the state owns the box (a strong reference
    /// would be a cycle) and outlives it, and every binding call reads it (its per-call bookkeeping), so
    /// an `unowned` (checked) reference would add its check to each call. Measured with
    /// `make bench` row 1, as ``LuaCall``'s `box`.
    unowned(unsafe) let state: LuaState

    init(name: String, function: LuaHostFunctionObject, state: LuaState) {
        self.name = name
        self.function = function
        self.state = state
    }
}

/// The single Swift entry point the C trampoline calls for every host function.
///
/// It never raises a Lua error itself: failures push a message and return a sentinel, and the
/// trampoline (a C frame) raises it.
let luaHostEntry: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Int32 = { L, context in
    guard let L, let context else { return CLUA_HOST_ERROR }
    // The state keeps every box alive while Lua can call it: borrow it without retaining.
    return Unmanaged<HostFunctionBox>.fromOpaque(context)._withUnsafeGuaranteedRef { box in
        var call = LuaCall(L: L, box: box)
        box.state.convertedInCall = 0
        box.state.inHostCall = true
        defer {
            box.state.convertedInCall = 0
            box.state.inHostCall = false
        }
        do {
            return try box.function.callAsHostFunction(&call)
        } catch {
            return hostFailure(error, box: box, on: L)
        }
    }
}

/// Turns an error a host function threw into the trampoline's sentinel.
private func hostFailure(_ error: any Error, box: HostFunctionBox, on L: OpaquePointer) -> Int32 {
    let state = box.state
    if !(error is LuaLimitExceeded), state.isPastDeadline {
        // Work stopped by the deadline (an interrupted SQL statement, a cancelled wait) fails with
        // its own error: the run's time limit is what ended it, and the error says where.
        let detail = "in \(box.name): \(error)"
        detail.withCString { clua_set_limit_detail(state.runtime, "", $0) }
        clua_trip(state.runtime, Int32(CLUA_LIMIT_TIME.rawValue))
        return CLUA_HOST_ERROR
    }
    if let limit = error as? LuaLimitExceeded {
        let kind: clua_limit_kind = switch limit.limit {
        case .memory: CLUA_LIMIT_MEMORY
        case .instructions: CLUA_LIMIT_INSTRUCTIONS
        case .time: CLUA_LIMIT_TIME
        }
        clua_trip(box.state.runtime, Int32(kind.rawValue))
        return CLUA_HOST_ERROR
    }
    let message = String(describing: error)
    _ = lua_pushlstring(L, message, message.utf8.count)
    return CLUA_HOST_ERROR
}

extension LuaState {
    /// The state that owns `L`, found through its runtime block.
    static func owner(of L: OpaquePointer) -> LuaState {
        let runtime = clua_runtime_of(L)
        return Unmanaged<LuaState>.fromOpaque(runtime!.pointee.owner!).takeUnretainedValue()
    }

    /// Pushes a host function; the box lives until the state closes.
    func pushHostFunction(name: String, _ body: @escaping LuaHostFunction, on thread: OpaquePointer? = nil, longLived: Bool = false) {
        pushHostFunction(name: name, ClosureHostFunction(body), on: thread, longLived: longLived)
    }

    /// Pushes a host function object; the box (and so the object) lives until the state closes.
    ///
    /// - Parameter longLived: a module's function, installed once: it may get one of the state's
    ///   indexed light C functions, which reach their context without a Lua API call. Functions
    ///   made per call (iterators) pass `false`, so they never use up those slots.
    func pushHostFunction(name: String, _ function: LuaHostFunctionObject, on thread: OpaquePointer? = nil, longLived: Bool = false) {
        let box = HostFunctionBox(name: name, function: function, state: self)
        hostFunctions.append(box)
        withHostAllocations {
            clua_push_host_function(thread ?? L, Unmanaged.passUnretained(box).toOpaque(), longLived ? 1 : 0)
        }
    }

    /// Installs a global module table of host functions and constants, locked against changes.
    ///
    /// The script sees a read-only proxy, a userdata: assigning to it raises, `rawset` and
    /// `rawget` refuse it, `getmetatable` returns `"locked"`, and `pairs` lists its members.
    ///
    /// - Parameters:
    ///   - name: the global's name, such as `db`.
    ///   - functions: host functions by Lua name; messages call them `name.function`.
    ///   - constants: plain fields such as `phase.mode`.
    ///   - textArguments: functions that receive every argument converted to a string as
    ///     `tostring` converts it (`__tostring` included), such as `phase.log`.
    public func installModule(
        _ name: String, functions: [String: LuaHostFunction], constants: [String: LuaValue] = [:],
        textArguments: Set<String> = []
    ) throws(LuaBridgeError) {
        try installModule(name, objects: functions.mapValues { ClosureHostFunction($0) }, constants: constants,
                          textArguments: textArguments)
    }

    /// Installs a global module table of host function objects and constants, locked against
    /// changes (see ``installModule(_:functions:constants:)``).
    public func installModule(
        _ name: String, objects functions: [String: LuaHostFunctionObject], constants: [String: LuaValue] = [:],
        textArguments: Set<String> = []
    ) throws(LuaBridgeError) {
        clua_pushglobaltable(L)
        withHostAllocations {
            _ = lua_pushlstring(L, name, name.utf8.count)
            lua_createtable(L, 0, Int32(functions.count + constants.count))
        }
        for (functionName, body) in functions.sorted(by: { $0.key < $1.key }) {
            withHostAllocations { _ = lua_pushlstring(L, functionName, functionName.utf8.count) }
            pushHostFunction(name: "\(name).\(functionName)", body, longLived: true)
            if textArguments.contains(functionName) { withHostAllocations { clua_wrap_text_arguments(L) } }
            lua_rawset(L, -3)
        }
        for (constantName, value) in constants {
            withHostAllocations { _ = lua_pushlstring(L, constantName, constantName.utf8.count) }
            do {
                try push(value)
            } catch {
                clua_pop(L, 4)
                throw error
            }
            lua_rawset(L, -3)
        }
        clua_push_readonly_proxy(L, -1)
        lua_rotate(L, -2, 1)
        clua_pop(L, 1)          // the real table stays reachable only through the proxy
        lua_rawset(L, -3)
        clua_pop(L, 1)
    }

    /// Pushes a locked table of host functions, built once per `cacheKey` and reused after.
    func pushModule(cacheKey: String, on L: OpaquePointer, functions: () -> [String: LuaHostFunctionObject]) {
        if let reference = cachedModules[cacheKey] {
            lua_rawgeti(L, clua_registryindex(), lua_Integer(reference))
            return
        }
        let members = functions()
        withHostAllocations { lua_createtable(L, 0, Int32(members.count)) }
        for (name, body) in members.sorted(by: { $0.key < $1.key }) {
            withHostAllocations { _ = lua_pushlstring(L, name, name.utf8.count) }
            pushHostFunction(name: "\(cacheKey).\(name)", body, on: L, longLived: true)
            lua_rawset(L, -3)
        }
        clua_push_readonly_proxy(L, -1)
        lua_rotate(L, -2, 1)
        clua_pop(L, 1)
        lua_pushvalue(L, -1)
        cachedModules[cacheKey] = withHostAllocations { luaL_ref(L, clua_registryindex()) }
    }

    /// Installs a global host function, such as `print`.
    ///
    /// - Parameter textArguments: the function receives every argument converted to a string as
    ///   `tostring` converts it (`__tostring` included), as Lua's `print` does.
    public func installFunction(_ name: String, textArguments: Bool = false, _ body: @escaping LuaHostFunction) {
        clua_pushglobaltable(L)
        withHostAllocations { _ = lua_pushlstring(L, name, name.utf8.count) }
        pushHostFunction(name: name, body, longLived: true)
        if textArguments { withHostAllocations { clua_wrap_text_arguments(L) } }
        lua_rawset(L, -3)
        clua_pop(L, 1)
    }
}
