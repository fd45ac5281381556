// Bounded versions of the table library's functions that loop over a range of indices.
//
// The range comes from the script: a `__len` that returns 1 << 62, or `table.move({}, 1, 1 << 62,
// 1, {})`, would keep Lua's own versions inside one C call for years, running no Lua instruction
// and allocating nothing (moving nil into an absent key stores nothing). These versions behave as
// the Lua 5.4 reference manual describes (they respect `__index`, `__newindex` and `__len`) and
// meter every element they touch against the run's limits, so they end at the deadline.
// `table.sort` is a heapsort: no recursion, and an inconsistent order function cannot take it
// out of the list's bounds.
//
// Written here from the manual's descriptions; `table.pack` is bounded by its arguments and stays.
#include "internal.h"
#include <limits.h>

/// Checks that argument `index` is a table, or a value whose metatable provides the metamethods
/// the function uses (`__index` to read, `__newindex` to write, `__len` for the length).
static void check_list(lua_State *L, int index, int reads, int writes, int length) {
    if (lua_type(L, index) == LUA_TTABLE) return;
    int ok = 0;
    if (lua_getmetatable(L, index)) {
        const char *const names[] = {"__index", "__newindex", "__len"};
        const int needed[] = {reads, writes, length};
        ok = 1;
        for (int i = 0; i < 3; i++) {
            if (!needed[i]) continue;
            if (lua_getfield(L, -1, names[i]) == LUA_TNIL) ok = 0;
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    if (!ok) luaL_checktype(L, index, LUA_TTABLE);   // raises the usual "table expected"
}

/// `#list`, honouring `__len` (which must return an integer).
static lua_Integer list_length(lua_State *L, int index) {
    return luaL_len(L, index);
}

/// table.insert(list, [pos,] value)
static int bounded_insert(lua_State *L) {
    check_list(L, 1, 1, 1, 1);
    lua_Integer first_empty = (lua_Integer)((lua_Unsigned)list_length(L, 1) + 1u);
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
    check_list(L, 1, 1, 1, 1);
    lua_Integer size = list_length(L, 1);
    lua_Integer position = luaL_optinteger(L, 2, size);
    if (lua_gettop(L) >= 2 && position != size) {
        luaL_argcheck(L, (lua_Unsigned)position - 1u <= (lua_Unsigned)size, 2, "position out of bounds");
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
    check_list(L, 1, 1, 0, 0);
    check_list(L, destination, 0, 1, 0);
    if (to_end >= from) {
        luaL_argcheck(L, from > 0 || to_end < LUA_MAXINTEGER + from, 3, "too many elements to move");
        lua_Integer extra = to_end - from;                        // elements to move, minus one
        luaL_argcheck(L, target <= LUA_MAXINTEGER - extra, 4, "destination wrap around");
        clua_meter meter = {0};
        int ascending = target > to_end || target <= from || !lua_rawequal(L, 1, destination);
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
    check_list(L, 1, 1, 0, 1);
    size_t separator_length;
    const char *separator = luaL_optlstring(L, 2, "", &separator_length);
    lua_Integer first = luaL_optinteger(L, 3, 1);
    lua_Integer last = lua_isnoneornil(L, 4) ? list_length(L, 1) : luaL_checkinteger(L, 4);
    luaL_Buffer buffer;
    luaL_buffinit(L, &buffer);
    clua_meter meter = {0};
    for (lua_Integer i = first; i <= last; i++) {
        lua_geti(L, 1, i);
        if (!lua_isstring(L, -1)) {
            return luaL_error(L, "invalid value (at index %I) in table for 'concat'", (LUAI_UACINT)i);
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
    lua_Integer last = lua_isnoneornil(L, 3) ? list_length(L, 1) : luaL_checkinteger(L, 3);
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

// MARK: table.sort

typedef struct sort_state {
    lua_State *L;
    int has_order;          // argument 2 is the order function
    int raw;                // the list has no metatable: raw access, no metamethod to look for
    clua_meter meter;
} sort_state;

static void sort_get(sort_state *sort, lua_Integer i) {
    if (sort->raw) lua_rawgeti(sort->L, 1, i); else lua_geti(sort->L, 1, i);
}

static void sort_set(sort_state *sort, lua_Integer i) {
    if (sort->raw) lua_rawseti(sort->L, 1, i); else lua_seti(sort->L, 1, i);
}

/// Whether the value at stack index `a` must come before the one at `b` (both negative, taken
/// before anything is pushed here).
static int sort_before(sort_state *sort, int a, int b) {
    lua_State *L = sort->L;
    clua_meter_add(L, &sort->meter, 1);
    if (!sort->has_order) return lua_compare(L, a, b, LUA_OPLT);
    lua_pushvalue(L, 2);
    lua_pushvalue(L, a - 1);
    lua_pushvalue(L, b - 2);
    lua_call(L, 2, 1);
    int before = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return before;
}

/// Moves the value at list[root] down the heap list[1..end] until its children come before it:
/// the value stays on the stack while the children that must come after it move up.
static void sift_down(sort_state *sort, lua_Integer root, lua_Integer end) {
    lua_State *L = sort->L;
    sort_get(sort, root);                                      // the value sifted down
    for (;;) {
        lua_Integer child = root * 2;
        if (child > end) break;
        sort_get(sort, child);
        if (child < end) {
            sort_get(sort, child + 1);
            if (sort_before(sort, -2, -1)) {
                lua_remove(L, -2);
                child++;
            } else {
                lua_pop(L, 1);
            }
        }
        if (!sort_before(sort, -2, -1)) {                      // the value does not come before its child
            lua_pop(L, 1);
            break;
        }
        sort_set(sort, root);                                  // the child moves up
        root = child;
    }
    sort_set(sort, root);
}

/// table.sort(list [, comp]): in place, from list[1] to list[#list]; not stable.
static int bounded_sort(lua_State *L) {
    check_list(L, 1, 1, 1, 1);
    lua_Integer size = list_length(L, 1);
    if (size <= 1) return 0;
    luaL_argcheck(L, size < INT_MAX, 1, "array too big");
    sort_state sort = { L, !lua_isnoneornil(L, 2), 0, {0} };
    if (sort.has_order) luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    luaL_checkstack(L, 8, "table.sort");
    if (lua_type(L, 1) == LUA_TTABLE && !lua_getmetatable(L, 1)) sort.raw = 1; else lua_settop(L, 2);
    for (lua_Integer root = size / 2; root >= 1; root--) sift_down(&sort, root, size);
    for (lua_Integer end = size; end > 1; end--) {
        sort_get(&sort, 1);                                    // swap list[1] and list[end]
        sort_get(&sort, end);
        sort_set(&sort, 1);
        sort_set(&sort, end);
        sift_down(&sort, 1, end - 1);
    }
    return 0;
}

void clua_replace_table_functions(lua_State *L, int table) {
    static const luaL_Reg bounded[] = {
        {"insert", bounded_insert}, {"remove", bounded_remove}, {"move", bounded_move},
        {"concat", bounded_concat}, {"unpack", bounded_unpack}, {"sort", bounded_sort},
        {NULL, NULL},
    };
    for (const luaL_Reg *entry = bounded; entry->name != NULL; entry++) {
        lua_pushcfunction(L, entry->func);
        lua_setfield(L, table, entry->name);
    }
}
