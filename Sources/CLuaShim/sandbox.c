// The sandbox: an allow-list of libraries and base functions, with the functions that can catch
// errors replaced by versions that re-raise a tripped limit (pcall and xpcall: protected_calls.c), `load` restricted to text chunks and
// `require` restricted to Lua source files in the search path (loading.c); the string, table and os
// functions whose loops the memory limit does not bound are replaced by metered ones (strings.c,
// tables.c).
#include "internal.h"
#include <stdio.h>
#include <string.h>

int clua_string_find(lua_State *L);
int clua_string_match(lua_State *L);
int clua_string_gmatch(lua_State *L);
int clua_string_gsub(lua_State *L);

#define CHECK_TRIPPED(L) do { if (clua_runtime_of(L)->tripped != CLUA_LIMIT_NONE) return clua_raise_tripped(L); } while (0)

// MARK: coroutines: the watchdog must know which thread runs script code (see watchdog.c)

/// Calls the function in upvalue 1 on the whole stack in protected mode, with `co` marked as the
/// running thread, then raises its error (or a tripped limit) or returns its results. A string
/// error gets the caller's position when `add_position` is set.
static int call_switched(lua_State *L, lua_State *co, int add_position) {
    lua_State *previous;
    if (!clua_switch_to(L, co, &previous)) return clua_raise_tripped(L);
    int arguments = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    int status = lua_pcall(L, arguments, LUA_MULTRET, 0);
    clua_switch_back(L, previous);
    CHECK_TRIPPED(L);
    if (status != LUA_OK) {
        if (add_position && status != LUA_ERRMEM && lua_type(L, -1) == LUA_TSTRING) {
            luaL_where(L, 1);
            lua_insert(L, -2);
            lua_concat(L, 2);
        }
        return lua_error(L);
    }
    return lua_gettop(L);
}

/// coroutine.resume: luaB_coresume never raises once its argument is a coroutine, so it is called
/// directly (a protected call would add a C level to every resume).
static int guarded_resume(lua_State *L) {
    CHECK_TRIPPED(L);
    lua_State *co = lua_tothread(L, 1);
    lua_CFunction original = lua_tocfunction(L, lua_upvalueindex(1));
    if (co == NULL) return original(L);   // raises "bad argument #1"
    lua_State *previous;
    if (!clua_switch_to(L, co, &previous)) return clua_raise_tripped(L);
    int results = original(L);
    clua_switch_back(L, previous);
    CHECK_TRIPPED(L);
    return results;
}

/// coroutine.close runs the coroutine's pending `__close` handlers on the coroutine.
static int guarded_close(lua_State *L) {
    CHECK_TRIPPED(L);
    lua_State *co = lua_tothread(L, 1);
    if (co == NULL) return lua_tocfunction(L, lua_upvalueindex(1))(L);   // raises "bad argument #1"
    return call_switched(L, co, 0);
}

/// The function coroutine.wrap returns: Lua's own (upvalue 1), called with its coroutine
/// (upvalue 2) marked as running. Lua's wrapper adds the caller's position to a string error;
/// called from here its caller is this C function, so the position is added here instead.
static int guarded_wrapped(lua_State *L) {
    CHECK_TRIPPED(L);
    return call_switched(L, lua_tothread(L, lua_upvalueindex(2)), 1);
}

static int guarded_wrap(lua_State *L) {
    CHECK_TRIPPED(L);
    lua_CFunction original = lua_tocfunction(L, lua_upvalueindex(1));
    original(L);                          // pushes Lua's wrapper over a new coroutine
    lua_getupvalue(L, -1, 1);             // that coroutine
    lua_pushcclosure(L, guarded_wrapped, 2);
    return 1;
}

static void replace_field(lua_State *L, int table, const char *name, lua_CFunction replacement) {
    lua_getfield(L, table, name);
    lua_pushcclosure(L, replacement, 1);
    lua_setfield(L, table, name);
}

// MARK: setmetatable (no finalizers) and collectgarbage (harmless options only)

/// setmetatable without finalizers: Lua runs `__gc` with debug hooks off, beyond every run limit, so
/// a metatable that has a `__gc` field (of any value: a placeholder can become a function later) is refused.
static int sandbox_setmetatable(lua_State *L) {
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL) {
            return luaL_error(L, "setmetatable: __gc finalizers are not allowed (they would run outside the run's limits)");
        }
        lua_pop(L, 1);
    }
    lua_CFunction original = lua_tocfunction(L, lua_upvalueindex(1));
    return original(L);
}

static int sandbox_collectgarbage(lua_State *L) {
    static const char *const allowed[] = {"collect", "count", "step", "isrunning", NULL};
    luaL_checkoption(L, 1, "collect", allowed);
    lua_CFunction original = lua_tocfunction(L, lua_upvalueindex(1));
    return original(L);
}

// MARK: read-only proxies

static int readonly_newindex(lua_State *L) {
    return luaL_error(L, "attempt to modify a read-only table (field '%s')", luaL_tolstring(L, 2, NULL));
}

static int readonly_next(lua_State *L) {
    lua_settop(L, 2);
    if (lua_next(L, 1)) return 2;
    lua_pushnil(L);
    return 1;
}

static int readonly_pairs(lua_State *L) {
    lua_pushcfunction(L, readonly_next);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushnil(L);
    return 3;
}

static int readonly_len(lua_State *L) {
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, lua_upvalueindex(1)));
    return 1;
}

void clua_push_readonly_proxy(lua_State *L, int index) {
    clua_runtime *runtime = clua_runtime_of(L);
    runtime->host_depth++;
    index = lua_absindex(L, index);
    // A userdata, not a table: `rawset` and `rawget` refuse it, so no script can shadow a member
    // (a table proxy takes raw fields that win over its __index) or reach the table behind it.
    lua_newuserdatauv(L, 0, 0);            // the proxy
    lua_createtable(L, 0, 5);              // its metatable
    lua_pushvalue(L, index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, readonly_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushvalue(L, index);
    lua_pushcclosure(L, readonly_pairs, 1);
    lua_setfield(L, -2, "__pairs");
    lua_pushvalue(L, index);
    lua_pushcclosure(L, readonly_len, 1);
    lua_setfield(L, -2, "__len");
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    runtime->host_depth--;
}

// MARK: the sandbox

static void remove_field(lua_State *L, int table, const char *name) {
    lua_pushnil(L);
    lua_setfield(L, table, name);
}

static void lock_library(lua_State *L, const char *name) {
    lua_getglobal(L, name);
    clua_push_readonly_proxy(L, -1);
    lua_setglobal(L, name);
    lua_pop(L, 1);
}

/// Opens the allowed libraries, each a global but os (kept apart until only its harmless
/// functions are copied), and leaves each on the stack; returns the index of os.
static int open_libraries(lua_State *L) {
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_COLIBNAME, luaopen_coroutine, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
    luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 0);
    return lua_gettop(L);
}

/// The base functions: no file access and no print (the host installs its own); the guarded
/// pcall and xpcall, text-only load, setmetatable without finalizers, harmless collectgarbage,
/// and require of Lua source files only.
static void restrict_base(lua_State *L, int globals) {
    remove_field(L, globals, "dofile");
    remove_field(L, globals, "loadfile");
    remove_field(L, globals, "print");
    lua_pushcfunction(L, clua_guarded_pcall);
    lua_setfield(L, globals, "pcall");
    clua_push_guarded_xpcall(L);
    lua_setfield(L, globals, "xpcall");
    lua_pushcfunction(L, clua_sandbox_load);
    lua_setfield(L, globals, "load");
    lua_getfield(L, globals, "setmetatable");
    lua_pushcclosure(L, sandbox_setmetatable, 1);
    lua_setfield(L, globals, "setmetatable");
    lua_getfield(L, globals, "collectgarbage");
    lua_pushcclosure(L, sandbox_collectgarbage, 1);
    lua_setfield(L, globals, "collectgarbage");
    lua_pushcfunction(L, clua_sandbox_require);
    lua_setfield(L, globals, "require");
}

/// The global os: time, clock and date only (metered where they loop), from the library at `os`.
static void install_os(lua_State *L, int globals, int os) {
    lua_createtable(L, 0, 3);
    const char *const os_allowed[] = {"time", "clock", "date"};
    for (int i = 0; i < 3; i++) {
        lua_getfield(L, os, os_allowed[i]);
        lua_setfield(L, -2, os_allowed[i]);
    }
    clua_replace_os_functions(L, lua_gettop(L));
    lua_setfield(L, globals, "os");
}

/// coroutine.resume, wrap and close switch threads (the watchdog must hook the one running)
/// and resume and close catch errors (a tripped limit is raised again after them).
static void guard_coroutines(lua_State *L, int globals) {
    lua_getfield(L, globals, "coroutine");
    int coroutine = lua_gettop(L);
    replace_field(L, coroutine, "resume", guarded_resume);
    replace_field(L, coroutine, "close", guarded_close);
    replace_field(L, coroutine, "wrap", guarded_wrap);
    lua_pop(L, 1);
}

/// string: no bytecode dump; pattern functions that honour the limits inside the matcher, and
/// metered versions of the functions whose loops the memory limit does not bound.
static void restrict_string(lua_State *L, int globals) {
    lua_getfield(L, globals, "string");
    int string = lua_gettop(L);
    remove_field(L, string, "dump");
    lua_pushcfunction(L, clua_string_find);
    lua_setfield(L, string, "find");
    lua_pushcfunction(L, clua_string_match);
    lua_setfield(L, string, "match");
    lua_pushcfunction(L, clua_string_gmatch);
    lua_setfield(L, string, "gmatch");
    lua_pushcfunction(L, clua_string_gsub);
    lua_setfield(L, string, "gsub");
    clua_replace_string_functions(L, string);
    lua_pop(L, 1);
}

/// table: metered versions of the functions whose loops the memory limit does not bound.
static void meter_tables(lua_State *L, int globals) {
    lua_getfield(L, globals, "table");
    clua_replace_table_functions(L, lua_gettop(L));
    lua_pop(L, 1);
}

/// The string metatable is shared by every string: locked, so no script replaces it.
static void lock_string_metatable(lua_State *L) {
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);
}

/// Every library global becomes a read-only proxy. String methods ("x"):upper() go through the
/// metatable's __index, the real string table, which stays reachable only through the locked
/// metatable.
static void lock_libraries(lua_State *L) {
    static const char *const libraries[] = {"string", "table", "math", "utf8", "coroutine", "os"};
    for (size_t i = 0; i < sizeof libraries / sizeof libraries[0]; i++) lock_library(L, libraries[i]);
}

int clua_open_sandbox(lua_State *L) {
    int os = open_libraries(L);
    lua_pushglobaltable(L);
    int globals = lua_gettop(L);
    restrict_base(L, globals);
    install_os(L, globals, os);
    guard_coroutines(L, globals);
    restrict_string(L, globals);
    meter_tables(L, globals);
    lock_string_metatable(L);
    lock_libraries(L);
    clua_init_loaded_modules(L);
    lua_pop(L, 1);
    return 0;
}
