// Host functions and protected calls.
//
// Swift never calls lua_error: a host function returns CLUA_HOST_ERROR or CLUA_HOST_RAISE with
// the error value on top, and the trampoline below, a C frame, raises it.
#include "internal.h"
#include <stdio.h>
#include <string.h>

static const char *const traceback_key = "phasekit.traceback";

static int clua_host_trampoline(lua_State *L) {
    clua_runtime *runtime = clua_runtime_of(L);
    if (runtime->closing) {
        return luaL_error(L, "host functions are unavailable while the run is closing");
    }
    if (runtime->host_depth > 0) {
        // Reached from a finalizer run by the garbage collector inside a host call.
        return luaL_error(L, "host functions cannot be called from a finalizer during another host call");
    }
    if (runtime->tripped != CLUA_LIMIT_NONE) return clua_raise_tripped(L);
    runtime->host_depth++;
    int results = runtime->host_entry(L, lua_touserdata(L, lua_upvalueindex(1)));
    runtime->host_depth--;
    if (runtime->tripped != CLUA_LIMIT_NONE) return clua_raise_tripped(L);
    if (runtime->memory_limit != 0 && runtime->memory_used > runtime->memory_limit) {
        clua_trip(runtime, CLUA_LIMIT_MEMORY);
        return clua_raise_tripped(L);
    }
    if (results == CLUA_HOST_ERROR) {
        luaL_where(L, 1);
        lua_insert(L, -2);
        lua_concat(L, 2);
        return lua_error(L);
    }
    if (results == CLUA_HOST_RAISE) return lua_error(L);
    return results;
}

void clua_push_host_function(lua_State *L, void *context) {
    lua_pushlightuserdata(L, context);
    lua_pushcclosure(L, clua_host_trampoline, 1);
}

static int clua_message_handler(lua_State *L) {
    clua_runtime *runtime = clua_runtime_of(L);
    runtime->host_depth++;   // building the traceback must work even out of memory
    const char *message = lua_tostring(L, 1);
    if (message == NULL) {
        // No __tostring here: running script code inside the handler could raise past host_depth.
        lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
        lua_replace(L, 1);
        lua_settop(L, 1);
    }
    luaL_traceback(L, L, NULL, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, traceback_key);
    runtime->host_depth--;
    return 1;
}

int clua_pcall_traceback(lua_State *L, int nargs, int nresults) {
    int base = lua_gettop(L) - nargs;
    clua_runtime *runtime = clua_runtime_of(L);
    runtime->host_depth++;
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, traceback_key);
    lua_pushcfunction(L, clua_message_handler);
    runtime->host_depth--;
    lua_insert(L, base);
    // Only script code runs with fallible allocations; the host's own calls never see a memory error.
    int saved_depth = runtime->host_depth;
    lua_State *previous = clua_enter_script(L);
    runtime->host_depth = 0;
    int status = lua_pcall(L, nargs, nresults, base);
    runtime->host_depth = saved_depth;
    clua_leave_script(L, previous);
    lua_remove(L, base);
    return status;
}

void clua_push_last_traceback(lua_State *L) {
    lua_getfield(L, LUA_REGISTRYINDEX, traceback_key);
}

int clua_load_text(lua_State *L, const char *buffer, size_t length, const char *chunkname) {
    return luaL_loadbufferx(L, buffer, length, chunkname, "t");
}

int clua_where(lua_State *L, int level, char *buffer, size_t size) {
    lua_Debug ar;
    for (int current = level; lua_getstack(L, current, &ar); current++) {
        if (!lua_getinfo(L, "Sl", &ar)) return 0;
        if (ar.currentline > 0 && ar.source[0] == '@') {
            snprintf(buffer, size, "%s:%d", ar.source + 1, ar.currentline);
            return 1;
        }
    }
    return 0;
}
