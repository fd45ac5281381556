// The sandbox: an allow-list of libraries and base functions, with the functions that can catch
// errors replaced by versions that re-raise a tripped limit, `load` restricted to text chunks and
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

// MARK: pcall and xpcall that cannot swallow a limit
//
// Both call the function where it already sits on the stack (pcall: slot 1; xpcall: slot 2, above
// the guarded message handler in slot 1) and put the status flag in front of the results only
// afterwards, in one continuation for both paths: a normal return, and a resume after the called
// function yielded. The continuation first re-raises a tripped limit, so no script can catch one.

/// Finishes a protected call: `handler_slots` (0 or 1) slots sit below what the call left, which
/// is its results or its error. Puts true or false in slot 1 and returns the whole stack.
static int protected_call_done(lua_State *L, int status, lua_KContext handler_slots) {
    CHECK_TRIPPED(L);
    lua_pushboolean(L, status == LUA_OK || status == LUA_YIELD);
    if (handler_slots == 0) {
        lua_rotate(L, 1, 1);
    } else {
        lua_replace(L, 1);
    }
    return lua_gettop(L);
}

static int guarded_pcall(lua_State *L) {
    CHECK_TRIPPED(L);
    luaL_checkany(L, 1);
    int status = lua_pcallk(L, lua_gettop(L) - 1, LUA_MULTRET, 0, 0, protected_call_done);
    return protected_call_done(L, status, 0);
}

/// Whether a limit has tripped (for the handler wrapper below).
static int limit_tripped(lua_State *L) {
    lua_pushboolean(L, clua_runtime_of(L)->tripped != CLUA_LIMIT_NONE);
    return 1;
}

/// Makes the wrapper of a script's xpcall message handler. A limit error is raised from the count
/// hook, where Lua runs the handler with hooks off; so once a limit tripped the handler is skipped,
/// never run unbounded. The wrapper is a Lua function that tail-calls the handler: a C wrapper
/// would add a C level per handler call, and a handler that raises errors is called again until
/// the C stack's limit, so it would run half as many times as in stock Lua.
static const char handler_wrapper_maker[] =
    "local tripped = ...\n"
    "return function(handler)\n"
    "  return function(message)\n"
    "    if tripped() then return message end\n"
    "    return handler(message)\n"
    "  end\n"
    "end\n";

static int guarded_xpcall(lua_State *L) {
    CHECK_TRIPPED(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, 2);
    lua_call(L, 1, 1);                         // the wrapped handler goes to slot 1,
    lua_pushvalue(L, 1);                       // the function to slot 2
    lua_replace(L, 2);
    lua_replace(L, 1);
    int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 1, 1, protected_call_done);
    return protected_call_done(L, status, 1);
}

/// Pushes `xpcall` (a closure over the handler wrapper's maker).
static void push_guarded_xpcall(lua_State *L) {
    if (luaL_loadbuffer(L, handler_wrapper_maker, sizeof(handler_wrapper_maker) - 1, "=xpcall") != LUA_OK) lua_error(L);
    lua_pushcfunction(L, limit_tripped);
    lua_call(L, 1, 1);
    lua_pushcclosure(L, guarded_xpcall, 1);
}

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

int clua_open_sandbox(lua_State *L) {
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_COLIBNAME, luaopen_coroutine, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
    luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 0);
    int os = lua_gettop(L);
    lua_settop(L, os);

    lua_pushglobaltable(L);
    int globals = lua_gettop(L);
    remove_field(L, globals, "dofile");
    remove_field(L, globals, "loadfile");
    remove_field(L, globals, "print");          // the host installs its own
    lua_pushcfunction(L, guarded_pcall);
    lua_setfield(L, globals, "pcall");
    push_guarded_xpcall(L);
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

    // os: time, clock and date only.
    lua_createtable(L, 0, 3);
    const char *const os_allowed[] = {"time", "clock", "date"};
    for (int i = 0; i < 3; i++) {
        lua_getfield(L, os, os_allowed[i]);
        lua_setfield(L, -2, os_allowed[i]);
    }
    clua_replace_os_functions(L, lua_gettop(L));
    lua_setfield(L, globals, "os");

    // coroutine.resume, wrap and close switch threads (the watchdog must hook the one running)
    // and resume and close catch errors (a tripped limit is raised again after them).
    lua_getfield(L, globals, "coroutine");
    int coroutine = lua_gettop(L);
    replace_field(L, coroutine, "resume", guarded_resume);
    replace_field(L, coroutine, "close", guarded_close);
    replace_field(L, coroutine, "wrap", guarded_wrap);
    lua_pop(L, 1);

    // string: no bytecode dump; pattern functions that honour the limits inside the matcher.
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

    lua_getfield(L, globals, "table");
    clua_replace_table_functions(L, lua_gettop(L));
    lua_pop(L, 1);

    // The string metatable is shared by every string: lock it.
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);

    lock_library(L, "string");
    lock_library(L, "table");
    lock_library(L, "math");
    lock_library(L, "utf8");
    lock_library(L, "coroutine");
    lock_library(L, "os");
    // String methods ("x"):upper() go through the metatable's __index, the real string table,
    // which stays reachable only through the locked metatable.

    clua_init_loaded_modules(L);
    lua_pop(L, 1);
    return 0;
}
