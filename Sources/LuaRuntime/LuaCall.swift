internal import CLua
internal import CLuaShim

/// A host function: reads its arguments from the call, pushes its results and returns their count.
///
/// It may throw: the error's description becomes the Lua error, prefixed with the calling
/// script's `file:line:`; throwing ``LuaLimitExceeded`` trips that limit for the whole run.
public typealias LuaHostFunction = (inout LuaCall) throws -> Int32

/// Thrown by host code that noticed a run limit (such as a deadline passing during a long query).
public struct LuaLimitExceeded: Error, Sendable, CustomStringConvertible {
    public var limit: LuaLimit
    public init(_ limit: LuaLimit) { self.limit = limit }
    public var description: String { "\(limit.rawValue) limit exceeded" }
}

/// Access to the arguments and results of one call of a host function.
///
/// Arguments are numbered from 1 as in Lua. Readers never run metamethods and never raise Lua
/// errors; they throw ``LuaArgumentError`` naming the argument and what was expected.
public struct LuaCall: ~Copyable {
    let L: OpaquePointer
    /// The called function's box, which the state keeps alive for its whole life, so it outlives
    /// every call; held without reference counting to keep creating a call free of ARC traffic.
    unowned(unsafe) let box: HostFunctionBox
    var pushed: Int32 = 0

    init(L: OpaquePointer, box: HostFunctionBox) {
        self.L = L
        self.box = box
    }

    /// The name used in messages, such as `db.exec` (read from the function's box, not copied per call).
    public var functionName: String { box.name }

    /// How many arguments the script passed.
    public var argumentCount: Int32 { lua_gettop(L) }

    /// The argument as a plain value (`.nil` when absent).
    public func value(_ position: Int32) throws -> LuaValue {
        do {
            return try state.value(at: position, on: L)
        } catch {
            throw LuaArgumentError(function: functionName, position: position, error.description)
        }
    }

    /// Every argument as a plain value.
    public func values() throws -> [LuaValue] {
        try (0..<argumentCount).map { try value($0 + 1) }
    }

    /// An integer argument (a float with an exact integer value is accepted).
    public func integer(_ position: Int32) throws -> Int64 {
        // Read in C: a Swift local passed by address would cost this hot path a stack protector.
        let argument = clua_integer_at(L, position)
        guard argument.ok != 0 else { throw mismatch(position, expected: "integer") }
        return Int64(argument.value)
    }

    /// A string argument, which must be valid UTF-8 text (numbers are not converted).
    public func string(_ position: Int32) throws -> String {
        guard lua_type(L, position) == LUA_TSTRING else { throw mismatch(position, expected: "string") }
        var length = 0
        let pointer = lua_tolstring(L, position, &length)
        let bytes = UnsafeRawBufferPointer(start: pointer, count: length)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw LuaArgumentError(function: functionName, position: position, "string is not valid UTF-8")
        }
        return text
    }

    /// A string argument, or `nil` when it is absent or nil.
    public func optionalString(_ position: Int32) throws -> String? {
        clua_isnoneornil(L, position) != 0 ? nil : try string(position)
    }

    /// A table argument as a plain value.
    public func table(_ position: Int32) throws -> LuaTable {
        guard lua_type(L, position) == LUA_TTABLE, case .table(let table) = try value(position) else {
            throw mismatch(position, expected: "table")
        }
        return table
    }

    /// A table argument, or `nil` when it is absent or nil.
    public func optionalTable(_ position: Int32) throws -> LuaTable? {
        clua_isnoneornil(L, position) != 0 ? nil : try table(position)
    }

    /// Pushes one result.
    public mutating func push(_ value: LuaValue) throws {
        try state.push(value, on: L)
        pushed += 1
    }

    /// Pushes an integer result without building a ``LuaValue``.
    public mutating func push(integer: Int64) {
        lua_pushinteger(L, lua_Integer(integer))
        pushed += 1
    }

    /// Pushes a host function as a result (for iterators such as `db.rows`).
    public mutating func push(function name: String, _ body: @escaping LuaHostFunction) {
        state.pushHostFunction(name: name, body, on: L)
        pushed += 1
    }

    /// Pushes a locked table of host functions (such as `volumes.on("recovery1")`), built once per
    /// `cacheKey` for the life of the state.
    public mutating func pushModule(cacheKey: String, functions: () -> [String: LuaHostFunction]) {
        state.pushModule(cacheKey: cacheKey, on: L) { functions().mapValues { ClosureHostFunction($0) } }
        pushed += 1
    }

    /// Pushes a locked table of host function objects, built once per `cacheKey`.
    public mutating func pushModule(cacheKey: String, objects: () -> [String: LuaHostFunctionObject]) {
        state.pushModule(cacheKey: cacheKey, on: L, functions: objects)
        pushed += 1
    }

    /// The calling script's `file:line`, found by walking up to the nearest Lua function in a file.
    public var callerLocation: String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard clua_where(L, 1, &buffer, buffer.count) != 0 else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    var state: LuaState { LuaState.owner(of: L) }

    /// Bytes the run may still allocate (see LuaState+HostMemory); `nil` when unlimited.
    public var memoryAvailable: Int? { state.memoryAvailable }

    /// Trips the memory limit and throws when the host allocating `bytes` more would pass it.
    public func ensureMemory(_ bytes: Int) throws(LuaLimitExceeded) { try state.ensureMemory(bytes) }

    /// Counts `bytes` the host holds until this call returns (copies it makes of the arguments,
    /// rows it gathers), tripping the memory limit and throwing when they do not fit.
    public func holdMemory(_ bytes: Int) throws(LuaLimitExceeded) {
        let state = self.state
        try state.ensureMemory(bytes)
        if state.inHostCall { state.convertedInCall += bytes }
    }

    /// Declares what the host holds for the script under `holder` (see ``LuaState/setHostMemory(_:bytes:)``).
    public func setHostMemory(_ holder: String, bytes: Int) throws(LuaLimitExceeded) {
        try state.setHostMemory(holder, bytes: bytes)
    }

    /// Adds `bytes` (possibly negative) to what the host holds for the script under `holder`.
    public func addHostMemory(_ holder: String, bytes: Int) throws(LuaLimitExceeded) {
        try state.addHostMemory(holder, bytes: bytes)
    }

    private func mismatch(_ position: Int32, expected: String) -> LuaArgumentError {
        let actual = lua_type(L, position) == LUA_TNONE ? "no value" : String(cString: lua_typename(L, lua_type(L, position)))
        return LuaArgumentError(function: functionName, position: position, "\(expected) expected, got \(actual)")
    }
}

/// A bad argument to a host function, worded like Lua's own: `bad argument #1 to 'db.exec' (...)`.
public struct LuaArgumentError: Error, Sendable, Equatable, CustomStringConvertible {
    public var function: String
    public var position: Int32
    public var reason: String

    public init(function: String, position: Int32, _ reason: String) {
        self.function = function
        self.position = position
        self.reason = reason
    }

    public var description: String { "bad argument #\(position) to '\(function)' (\(reason))" }
}

extension LuaCall {
    /// The last `count` values pushed as results, read back as plain values (for recording them).
    public func results(_ count: Int32) -> [LuaValue] {
        guard count > 0 else { return [] }
        let top = lua_gettop(L)
        return (0..<count).map { offset in
            // Recorded for the report only: a value that is no plain value is named as such.
            (try? state.value(at: top - count + 1 + offset, on: L)) ?? .text("<not a plain value>")
        }
    }
}
