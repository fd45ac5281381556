import Foundation
internal import CLua
internal import CLuaShim

/// Tables nested deeper than this are refused rather than risking the C stack.
let maximumTableDepth = 100

extension LuaState {
    /// Pushes a value onto the stack. Allocation cannot fail here (host allocations).
    ///
    /// - Throws: ``LuaBridgeError`` for a table key that Lua cannot hold (nil or NaN), or a function
    ///   of another state.
    func push(_ value: LuaValue, depth: Int = 0, on thread: OpaquePointer? = nil) throws(LuaBridgeError) {
        let L = thread ?? self.L
        guard lua_checkstack(L, 3) != 0, depth < maximumTableDepth else {
            throw LuaBridgeError("table nested more than \(maximumTableDepth) levels deep")
        }
        runtime.pointee.host_depth += 1
        defer { runtime.pointee.host_depth -= 1 }
        switch value {
        case .nil: lua_pushnil(L)
        case .boolean(let flag): lua_pushboolean(L, flag ? 1 : 0)
        case .integer(let integer): lua_pushinteger(L, lua_Integer(integer))
        case .number(let number): lua_pushnumber(L, number)
        case .string(let string): pushBytes(string.bytes, on: L)
        case .function(let function):
            guard function.owner === self else { throw LuaBridgeError("a function of another Lua state") }
            lua_rawgeti(L, clua_registryindex(), lua_Integer(function.reference))
        case .copy(let template):
            try pushCopy(of: template, on: L)
        case .table(let table):
            lua_createtable(L, Int32(clamping: table.array.count), Int32(clamping: table.fields.count))
            do throws(LuaBridgeError) {
                for (offset, element) in table.array.enumerated() {
                    try push(element, depth: depth + 1, on: L)
                    lua_rawseti(L, -2, lua_Integer(offset + 1))
                }
                for (key, element) in table.fields {
                    if key == .nil { throw LuaBridgeError("a table key cannot be nil") }
                    if case .number(let number) = key, number.isNaN { throw LuaBridgeError("a table key cannot be NaN") }
                    try push(key, depth: depth + 1, on: L)
                    try push(element, depth: depth + 1, on: L)
                    lua_rawset(L, -3)
                }
            } catch {
                clua_pop(L, 1)
                throw error
            }
        }
    }

    func pushBytes(_ bytes: [UInt8], on L: OpaquePointer) {
        bytes.withUnsafeBytes { buffer in
            _ = lua_pushlstring(L, buffer.baseAddress?.assumingMemoryBound(to: CChar.self), buffer.count)
        }
    }

    /// Reads the value at `index` without running any metamethod.
    ///
    /// - Parameters:
    ///   - index: a stack index.
    ///   - allowFunctions: whether Lua functions come back as ``LuaFunction`` references rather than
    ///     being refused.
    /// - Throws: ``LuaBridgeError`` for userdata, threads, cycles, deep nesting, or functions where a
    ///   plain value is needed.
    func value(at index: Int32, allowFunctions: Bool = false, on thread: OpaquePointer? = nil) throws(LuaBridgeError) -> LuaValue {
        let L = thread ?? self.L
        var visiting: Set<UnsafeRawPointer> = []
        // The copy is host memory: it may use what the run has left, no more (see LuaState+HostMemory).
        let available = memoryAvailable ?? Int.max
        var budget = available
        let top = lua_gettop(L)
        do {
            let converted = try value(at: lua_absindex(L, index), allowFunctions: allowFunctions, visiting: &visiting,
                                      budget: &budget, path: "", on: L)
            // Held until the host function returns: later conversions in the same call see less.
            if inHostCall && available != Int.max { convertedInCall += available - budget }
            return converted
        } catch {
            lua_settop(L, top)
            if error.exceedsMemory { clua_trip(runtime, Int32(CLUA_LIMIT_MEMORY.rawValue)) }
            throw error
        }
    }

    /// Bytes a converted value is counted as: its payload plus this much per value.
    static let convertedValueOverhead = 48

    private func value(
        at index: Int32, allowFunctions: Bool, visiting: inout Set<UnsafeRawPointer>, budget: inout Int,
        path: String, on L: OpaquePointer
    ) throws(LuaBridgeError) -> LuaValue {
        budget -= Self.convertedValueOverhead
        if budget < 0 { throw .memoryLimit(path: path) }
        switch lua_type(L, index) {
        case LUA_TNONE, LUA_TNIL: return .nil
        case LUA_TBOOLEAN: return .boolean(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(L, index) != 0 { return .integer(Int64(lua_tointegerx(L, index, nil))) }
            return .number(lua_tonumberx(L, index, nil))
        case LUA_TSTRING:
            var length = 0
            let pointer = lua_tolstring(L, index, &length)
            budget -= length
            if budget < 0 { throw .memoryLimit(path: path) }
            // One copy (memcpy), however the build is optimized.
            let bytes = [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
                if let base = buffer.baseAddress, let pointer, length > 0 { memcpy(base, pointer, length) }
                count = length
            }
            return .string(LuaString(bytes: bytes))
        case LUA_TTABLE:
            return try table(at: index, allowFunctions: allowFunctions, visiting: &visiting, budget: &budget, path: path, on: L)
        case LUA_TFUNCTION:
            guard allowFunctions else {
                throw LuaBridgeError("a function cannot be used as a plain value", path: path)
            }
            lua_pushvalue(L, index)
            return .function(popFunction(on: L))
        default:
            let name = String(cString: lua_typename(L, lua_type(L, index)))
            throw LuaBridgeError("a \(name) cannot cross to the host", path: path)
        }
    }

    private func table(
        at index: Int32, allowFunctions: Bool, visiting: inout Set<UnsafeRawPointer>, budget: inout Int,
        path: String, on L: OpaquePointer
    ) throws(LuaBridgeError) -> LuaValue {
        guard let identity = lua_topointer(L, index) else { return .table(LuaTable()) }
        guard !visiting.contains(identity) else {
            throw LuaBridgeError("a table that contains itself (a cycle) cannot cross to the host", path: path)
        }
        guard visiting.count < maximumTableDepth, lua_checkstack(L, 4) != 0 else {
            throw LuaBridgeError("table nested more than \(maximumTableDepth) levels deep", path: path)
        }
        visiting.insert(identity)
        defer { visiting.remove(identity) }

        var result = LuaTable()
        let length = lua_rawlen(L, index)
        for position in stride(from: 1, through: Int(length), by: 1) {
            lua_rawgeti(L, index, lua_Integer(position))
            defer { clua_pop(L, 1) }
            if lua_type(L, -1) == LUA_TNIL { break }
            result.array.append(try value(at: lua_gettop(L), allowFunctions: allowFunctions, visiting: &visiting,
                                          budget: &budget, path: "\(path)[\(position)]", on: L))
        }
        let arrayCount = result.array.count
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            // Skip the sequence already read; keys are read without converting them in place.
            if lua_isinteger(L, -2) != 0 {
                let key = lua_tointegerx(L, -2, nil)
                if key >= 1 && key <= lua_Integer(arrayCount) {
                    clua_pop(L, 1)
                    continue
                }
            }
            let key = try value(at: lua_gettop(L) - 1, allowFunctions: false, visiting: &visiting, budget: &budget,
                                path: path + "<key>", on: L)
            let keyText = key.stringValue.map { ".\($0)" } ?? "[\(key)]"
            let element = try value(at: lua_gettop(L), allowFunctions: allowFunctions, visiting: &visiting, budget: &budget,
                                    path: path + keyText, on: L)
            result.fields[key] = element
            clua_pop(L, 1)
        }
        return .table(result)
    }
}
