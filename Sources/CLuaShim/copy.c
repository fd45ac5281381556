// Deep copies of tables the host keeps in the registry (see LuaTableTemplate in LuaRuntime).
#include "internal.h"

/// Pushes a copy of the table at absolute index `source`: raw reads and writes (no metamethod
/// runs), nested tables copied in turn, keys and every other value shared as they are.
static int copy_table(lua_State *L, int source, int depth) {
    if (depth > CLUA_MAXIMUM_COPY_DEPTH || !lua_checkstack(L, 6)) return 0;
    lua_createtable(L, (int)lua_rawlen(L, source), 0);
    int target = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, source) != 0) {
        // key at -2, value at -1
        if (lua_type(L, -1) == LUA_TTABLE) {
            int value = lua_gettop(L);
            if (!copy_table(L, value, depth + 1)) return 0;
            lua_replace(L, value);
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, target);
    }
    return 1;
}

int clua_push_table_copy(lua_State *L, int reference) {
    int top = lua_gettop(L);
    if (lua_rawgeti(L, LUA_REGISTRYINDEX, reference) != LUA_TTABLE || !copy_table(L, top + 1, 0)) {
        lua_settop(L, top);
        return 0;
    }
    lua_remove(L, top + 1);   // the template itself stays in the registry only
    return 1;
}
