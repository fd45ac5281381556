internal import CLua
internal import CLuaShim

extension LuaState {
    /// Calls a Lua function through `lua_pcall` and returns its results.
    ///
    /// Results may contain functions (as ``LuaFunction``) but no userdata, threads or cycles.
    ///
    /// - Parameters:
    ///   - function: a function of this state.
    ///   - arguments: plain values passed in order.
    /// - Returns: every value the function returned.
    /// - Throws: ``LuaError`` for a runtime error or a tripped limit; after a limit every later
    ///   call fails at once.
    @discardableResult
    public func call(_ function: LuaFunction, _ arguments: [LuaValue] = []) throws(LuaError) -> [LuaValue] {
        precondition(function.owner === self, "a LuaFunction can only be called on the state that made it")
        drainReleases()
        if let tripped = trippedLimit {
            throw LuaError(.limit(tripped), "\(tripped.rawValue) limit exceeded earlier in this run")
        }
        let base = lua_gettop(L)
        guard lua_checkstack(L, Int32(arguments.count) + 2) != 0 else {
            throw LuaError(.runtime, "too many arguments for one call")
        }
        lua_rawgeti(L, clua_registryindex(), lua_Integer(function.reference))
        do {
            for argument in arguments { try push(argument) }
        } catch {
            lua_settop(L, base)
            throw LuaError(.runtime, error.description)
        }
        try check(clua_pcall_traceback(L, Int32(arguments.count), clua_multret()))
        defer { lua_settop(L, base) }
        var results: [LuaValue] = []
        let top = lua_gettop(L)
        if top > base {
            for index in (base + 1)...top {
                do {
                    results.append(try value(at: index, allowFunctions: true))
                } catch {
                    throw LuaError(.runtime, "result #\(index - base): \(error.description)")
                }
            }
        }
        return results
    }

    /// Runs a chunk of source text and returns its results; a convenience for tools and tests.
    @discardableResult
    public func run(source: String, chunkName: String = "=(source)") throws(LuaError) -> [LuaValue] {
        try call(try load(source: source, chunkName: chunkName))
    }

    /// Sets a global variable of the sandbox.
    public func setGlobal(_ name: String, _ value: LuaValue) throws(LuaBridgeError) {
        clua_pushglobaltable(L)
        defer { clua_pop(L, 1) }
        try withHostAllocations { () throws(LuaBridgeError) in
            lua_pushlstring(L, name, name.utf8.count)
            try push(value)
            lua_rawset(L, -3)
        }
    }

    /// Reads a global variable as a plain value (functions allowed as references).
    public func global(_ name: String) throws(LuaBridgeError) -> LuaValue {
        clua_pushglobaltable(L)
        withHostAllocations { _ = lua_pushlstring(L, name, name.utf8.count) }
        lua_rawget(L, -2)
        defer { clua_pop(L, 2) }
        return try value(at: -1, allowFunctions: true)
    }
}
