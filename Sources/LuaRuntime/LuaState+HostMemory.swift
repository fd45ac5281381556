internal import CLuaShim

/// The host's share of a run's memory limit.
///
/// Lua's allocator counts what the script allocates; what the host allocates for the script
/// (arguments converted during the current host call, rows read from a database, planned file contents, recorded changes and
/// log lines, open cursors) is counted here, against the same limit. Bindings check before they
/// allocate (``ensureMemory(_:)``) and declare what they keep (``setHostMemory(_:bytes:)``).
/// Passing the limit trips it like a Lua allocation would: the run ends with "memory limit exceeded".
extension LuaState {
    /// Bytes the run may still allocate, Lua's and the host's together; `nil` when unlimited.
    public var memoryAvailable: Int? {
        let limit = runtime.pointee.memory_limit
        guard limit != 0 else { return nil }
        let used = Int(runtime.pointee.memory_used + runtime.pointee.host_used) + convertedInCall
        return used >= Int(limit) ? 0 : Int(limit) - used
    }

    /// Bytes the host holds for the script now.
    public var hostMemoryInUse: Int { Int(runtime.pointee.host_used) }

    /// Trips the memory limit and throws when `bytes` more would pass it.
    public func ensureMemory(_ bytes: Int) throws(LuaLimitExceeded) {
        if runtime.pointee.tripped == Int32(CLUA_LIMIT_MEMORY.rawValue) { throw LuaLimitExceeded(.memory) }
        guard let available = memoryAvailable, bytes > available else { return }
        clua_trip(runtime, Int32(CLUA_LIMIT_MEMORY.rawValue))
        throw LuaLimitExceeded(.memory)
    }

    /// Declares that the host now holds `bytes` for the script under `holder` (replacing what it
    /// declared before under that name). Growing past the limit trips it and throws; the new
    /// amount is recorded either way, since the memory is already held.
    public func setHostMemory(_ holder: String, bytes: Int) throws(LuaLimitExceeded) {
        let previous = hostCharges[holder] ?? 0
        let amount = max(0, bytes)
        hostCharges[holder] = amount == 0 ? nil : amount
        runtime.pointee.host_used = runtime.pointee.host_used - previous + amount
        guard amount > previous else { return }
        let limit = runtime.pointee.memory_limit
        if limit != 0 && runtime.pointee.memory_used + runtime.pointee.host_used > limit {
            clua_trip(runtime, Int32(CLUA_LIMIT_MEMORY.rawValue))
            throw LuaLimitExceeded(.memory)
        }
    }

    /// Adds `bytes` (possibly negative) to what the host holds under `holder`.
    public func addHostMemory(_ holder: String, bytes: Int) throws(LuaLimitExceeded) {
        try setHostMemory(holder, bytes: (hostCharges[holder] ?? 0) + bytes)
    }
}
