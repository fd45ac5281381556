internal import CLua
internal import CLuaShim

/// A table converted into one state once, handed to scripts as a fresh copy each time.
///
/// Converting a large ``LuaTable`` (such as a configuration change with thousands of volumes)
/// costs a Swift walk of every key and value. A template converts it once and keeps it in the
/// state's registry, out of scripts' reach; each ``LuaValue/copy(of:)`` pushed later is a deep
/// copy made in C. Every use gets its own table, so a script that changes its copy changes
/// nothing another script sees.
///
/// Sendable for the reasons given on ``LuaRegistryReference`` (Swift asks a subclass to restate it).
public final class LuaTableTemplate: LuaRegistryReference, @unchecked Sendable {}

extension LuaState {
    /// Converts `table` into this state once, for copies pushed as ``LuaValue/copy(of:)``.
    ///
    /// - Throws: ``LuaBridgeError`` as pushing the table would.
    public func makeTemplate(_ table: LuaTable) throws(LuaBridgeError) -> LuaTableTemplate {
        drainReleases()
        try push(.table(table))
        let reference = withHostAllocations { luaL_ref(L, clua_registryindex()) }
        return LuaTableTemplate(reference: reference, owner: self)
    }

    /// Pushes a fresh copy of a template's table.
    func pushCopy(of template: LuaTableTemplate, on L: OpaquePointer) throws(LuaBridgeError) {
        guard template.owner === self else { throw LuaBridgeError("a table template of another Lua state") }
        guard withHostAllocations({ clua_push_table_copy(L, template.reference) }) != 0 else {
            throw LuaBridgeError("a table template could not be copied")
        }
    }
}
