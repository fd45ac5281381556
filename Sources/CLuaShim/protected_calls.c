// pcall and xpcall for the sandbox (sandbox.c installs them): they behave as stock Lua 5.4's
// (results, errors, yields across them, the message handler's calls) and cannot swallow a tripped
// limit.
#include "internal.h"

#define CHECK_TRIPPED(L) do { if (clua_runtime_of(L)->tripped != CLUA_LIMIT_NONE) return clua_raise_tripped(L); } while (0)

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

int clua_guarded_pcall(lua_State *L) {
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

void clua_push_guarded_xpcall(lua_State *L) {
    if (luaL_loadbuffer(L, handler_wrapper_maker, sizeof(handler_wrapper_maker) - 1, "=xpcall") != LUA_OK) lua_error(L);
    lua_pushcfunction(L, limit_tripped);
    lua_call(L, 1, 1);
    lua_pushcclosure(L, guarded_xpcall, 1);
}
