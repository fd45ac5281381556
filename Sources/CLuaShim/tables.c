// Bounded versions of the table library's functions that loop over a range of indices.
//
// The range comes from the script: a `__len` that returns 1 << 62, or `table.move({}, 1, 1 << 62,
// 1, {})`, would keep Lua's own versions inside one C call for years, running no Lua instruction
// and allocating nothing (moving nil into an absent key stores nothing). These versions behave as
// stock Lua 5.4 does (results, argument checks and error messages, the order in which they read
// and write the list through `__index`, `__newindex` and `__len`; Tests/HostileTests/
// LibraryDifferentialTests.swift compares them with Debian's `lua5.4`) and meter every element
// they touch against the run's limits, so they end at the deadline. `table.sort` is in table_sort.c.
//
// Written here from the manual's descriptions and stock Lua's observed behaviour; `table.pack` is
// bounded by its arguments and stays.
#include "internal.h"
#include <limits.h>

/// Checks that argument `index` is a table, or a value whose metatable has (raw fields, as stock
/// Lua looks) the metamethods the function uses: `__index` to read, `__newindex` to write, `__len`
/// for the length. Anything else gets the usual "table expected".
void clua_check_list(lua_State *L, int index, int uses) {
    if (lua_type(L, index) == LUA_TTABLE) return;
    int ok = 0;
    if (lua_getmetatable(L, index)) {
        static const char *const names[] = {"__index", "__newindex", "__len"};
        static const int flags[] = {CLUA_LIST_READ, CLUA_LIST_WRITE, CLUA_LIST_LENGTH};
        ok = 1;
        for (int i = 0; i < 3 && ok; i++) {
            if (!(uses & flags[i])) continue;
            lua_pushstring(L, names[i]);
            if (lua_rawget(L, -2) == LUA_TNIL) ok = 0;
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    if (!ok) luaL_checktype(L, index, LUA_TTABLE);
}

/// `#list` after checking the list for `uses` (plus the length), honouring `__len`.
static lua_Integer checked_length(lua_State *L, int uses) {
    clua_check_list(L, 1, uses | CLUA_LIST_LENGTH);
    return luaL_len(L, 1);
}

/// table.insert(list, [pos,] value)
static int bounded_insert(lua_State *L) {
    lua_Integer first_empty = (lua_Integer)((lua_Unsigned)checked_length(L, CLUA_LIST_READ | CLUA_LIST_WRITE) + 1u);
    lua_Integer position = first_empty;
    switch (lua_gettop(L)) {
        case 2:
            break;
        case 3: {
            position = luaL_checkinteger(L, 2);
            luaL_argcheck(L, (lua_Unsigned)position - 1u < (lua_Unsigned)first_empty, 2, "position out of bounds");
            clua_meter meter = {0};
            for (lua_Integer i = first_empty; i > position; i--) {   // list[i] = list[i - 1]
                lua_geti(L, 1, i - 1);
                lua_seti(L, 1, i);
                clua_meter_add(L, &meter, 1);
            }
            break;
        }
        default:
            return luaL_error(L, "wrong number of arguments to 'insert'");
    }
    lua_seti(L, 1, position);
    return 0;
}

/// table.remove(list [, pos])
static int bounded_remove(lua_State *L) {
    lua_Integer size = checked_length(L, CLUA_LIST_READ | CLUA_LIST_WRITE);
    lua_Integer position = luaL_optinteger(L, 2, size);
    if (position != size) {
        // Lua 5.4.4 (Debian 12's, the reference) names argument #1 in this message, not the position's #2.
        luaL_argcheck(L, (lua_Unsigned)position - 1u <= (lua_Unsigned)size, 1, "position out of bounds");
    }
    lua_geti(L, 1, position);                                      // the removed value
    clua_meter meter = {0};
    for (; position < size; position++) {                          // list[pos] = list[pos + 1]
        lua_geti(L, 1, position + 1);
        lua_seti(L, 1, position);
        clua_meter_add(L, &meter, 1);
    }
    lua_pushnil(L);
    lua_seti(L, 1, position);
    return 1;
}

/// table.move(a1, f, e, t [, a2]): a2[t], ... = a1[f], ..., a1[e]; returns a2.
static int bounded_move(lua_State *L) {
    lua_Integer from = luaL_checkinteger(L, 2);
    lua_Integer to_end = luaL_checkinteger(L, 3);
    lua_Integer target = luaL_checkinteger(L, 4);
    int destination = lua_isnoneornil(L, 5) ? 1 : 5;
    clua_check_list(L, 1, CLUA_LIST_READ);
    clua_check_list(L, destination, CLUA_LIST_WRITE);
    if (to_end >= from) {
        luaL_argcheck(L, from > 0 || to_end < LUA_MAXINTEGER + from, 3, "too many elements to move");
        lua_Integer extra = to_end - from;                        // elements to move, minus one
        luaL_argcheck(L, target <= LUA_MAXINTEGER - extra, 4, "destination wrap around");
        clua_meter meter = {0};
        // Overlapping ranges of one list are copied from the far end (equality as `==`, `__eq` included).
        int ascending = target > to_end || target <= from || (destination != 1 && !lua_compare(L, 1, destination, LUA_OPEQ));
        for (lua_Integer i = 0; i <= extra; i++) {
            lua_Integer offset = ascending ? i : extra - i;
            lua_geti(L, 1, from + offset);
            lua_seti(L, destination, target + offset);
            clua_meter_add(L, &meter, 1);
        }
    }
    lua_pushvalue(L, destination);
    return 1;
}

/// table.concat(list [, sep [, i [, j]]])
static int bounded_concat(lua_State *L) {
    lua_Integer length = checked_length(L, CLUA_LIST_READ);   // taken (and `__len` called) even when j is given
    size_t separator_length;
    const char *separator = luaL_optlstring(L, 2, "", &separator_length);
    lua_Integer first = luaL_optinteger(L, 3, 1);
    lua_Integer last = luaL_optinteger(L, 4, length);
    luaL_Buffer buffer;
    luaL_buffinit(L, &buffer);
    clua_meter meter = {0};
    for (lua_Integer i = first; i <= last; i++) {
        lua_geti(L, 1, i);
        if (!lua_isstring(L, -1)) {
            return luaL_error(L, "invalid value (%s) at index %I in table for 'concat'", luaL_typename(L, -1), (LUAI_UACINT)i);
        }
        luaL_addvalue(&buffer);
        if (i == last) break;                                      // last may be LUA_MAXINTEGER
        if (separator_length > 0) luaL_addlstring(&buffer, separator, separator_length);
        clua_meter_add(L, &meter, 1);
    }
    luaL_pushresult(&buffer);
    return 1;
}

/// table.unpack(list [, i [, j]])
static int bounded_unpack(lua_State *L) {
    lua_Integer first = luaL_optinteger(L, 2, 1);
    lua_Integer last = lua_isnoneornil(L, 3) ? luaL_len(L, 1) : luaL_checkinteger(L, 3);
    if (first > last) return 0;
    lua_Unsigned extra = (lua_Unsigned)last - (lua_Unsigned)first;
    if (extra >= (lua_Unsigned)INT_MAX || !lua_checkstack(L, (int)extra + 1)) {
        return luaL_error(L, "too many results to unpack");
    }
    clua_meter meter = {0};
    for (lua_Unsigned i = 0; i <= extra; i++) {
        lua_geti(L, 1, (lua_Integer)((lua_Unsigned)first + i));
        clua_meter_add(L, &meter, 1);
    }
    return (int)extra + 1;
}

void clua_replace_table_functions(lua_State *L, int table) {
    static const luaL_Reg bounded[] = {
        {"insert", bounded_insert}, {"remove", bounded_remove}, {"move", bounded_move},
        {"concat", bounded_concat}, {"unpack", bounded_unpack}, {"sort", clua_table_sort},
        {NULL, NULL},
    };
    for (const luaL_Reg *entry = bounded; entry->name != NULL; entry++) {
        lua_pushcfunction(L, entry->func);
        lua_setfield(L, table, entry->name);
    }
}
