// Host functions and protected calls.
//
// Swift never calls lua_error: a host function returns CLUA_HOST_ERROR or CLUA_HOST_RAISE with
// the error value on top, and the trampoline below, a C frame, raises it.
#include "internal.h"
#include <stdio.h>
#include <string.h>

static const char *const traceback_key = "phasekit.traceback";

/// Runs the host function whose context is `context`: every host function call goes through here.
static inline int clua_host_dispatch(lua_State *L, clua_runtime *runtime, void *context) {
    if (runtime->refusing) {
        return luaL_error(L, runtime->refusing == CLUA_REFUSE_REPORTING
                              ? "host functions are unavailable while an error is reported"
                              : "host functions are unavailable while the run is closing");
    }
    if (runtime->host_depth > 0) {
        // Reached from a finalizer run by the garbage collector inside a host call.
        return luaL_error(L, "host functions cannot be called from a finalizer during another host call");
    }
    if (runtime->tripped != CLUA_LIMIT_NONE) return clua_raise_tripped(L);
    runtime->host_depth++;
    int results = runtime->host_entry(L, context);
    runtime->host_depth--;
    if (runtime->activity[0] != '\0') {
        // A limit that tripped while the host worked says what it was doing (a binding, its SQL).
        if (runtime->tripped != CLUA_LIMIT_NONE && runtime->limit_detail[0] == '\0') {
            clua_set_limit_detail(runtime, "during ", runtime->activity);
        }
        runtime->activity[0] = '\0';
    }
    if (runtime->tripped != CLUA_LIMIT_NONE) return clua_raise_tripped(L);
    if (runtime->memory_limit != 0 && runtime->memory_used + runtime->host_used > runtime->memory_limit) {
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

/// A host function as a C closure: its context is upvalue 1.
static int clua_host_trampoline(lua_State *L) {
    return clua_host_dispatch(L, clua_runtime_of(L), lua_touserdata(L, lua_upvalueindex(1)));
}

// The indexed host functions: slot B*10+D of the calling state's runtime holds the context.
// A coroutine's extra space is a copy of its main state's, so it finds the same runtime.
#define CLUA_INDEXED(b, d) static int clua_indexed_##b##_##d(lua_State *L) { \
    clua_runtime *runtime = clua_runtime_of(L); \
    return clua_host_dispatch(L, runtime, runtime->host_contexts[(b) * 10 + (d)]); }
#define CLUA_INDEXED_10(b) CLUA_INDEXED(b, 0) CLUA_INDEXED(b, 1) CLUA_INDEXED(b, 2) CLUA_INDEXED(b, 3) \
    CLUA_INDEXED(b, 4) CLUA_INDEXED(b, 5) CLUA_INDEXED(b, 6) CLUA_INDEXED(b, 7) CLUA_INDEXED(b, 8) CLUA_INDEXED(b, 9)
#define CLUA_NAME(b, d) clua_indexed_##b##_##d,
#define CLUA_NAMES_10(b) CLUA_NAME(b, 0) CLUA_NAME(b, 1) CLUA_NAME(b, 2) CLUA_NAME(b, 3) CLUA_NAME(b, 4) \
    CLUA_NAME(b, 5) CLUA_NAME(b, 6) CLUA_NAME(b, 7) CLUA_NAME(b, 8) CLUA_NAME(b, 9)
#define CLUA_FOR_25(macro) macro(0) macro(1) macro(2) macro(3) macro(4) macro(5) macro(6) macro(7) \
    macro(8) macro(9) macro(10) macro(11) macro(12) macro(13) macro(14) macro(15) macro(16) macro(17) \
    macro(18) macro(19) macro(20) macro(21) macro(22) macro(23) macro(24)

CLUA_FOR_25(CLUA_INDEXED_10)

static const lua_CFunction clua_indexed_host_functions[] = { CLUA_FOR_25(CLUA_NAMES_10) };

_Static_assert(sizeof(clua_indexed_host_functions) / sizeof(lua_CFunction) == CLUA_INDEXED_HOST_FUNCTIONS,
               "one light C function per slot of host_contexts");

void clua_push_host_function(lua_State *L, void *context, int long_lived) {
    clua_runtime *runtime = clua_runtime_of(L);
    if (long_lived && runtime->indexed_host_functions < CLUA_INDEXED_HOST_FUNCTIONS) {
        int slot = runtime->indexed_host_functions++;
        runtime->host_contexts[slot] = context;
        lua_pushcfunction(L, clua_indexed_host_functions[slot]);
        return;
    }
    lua_pushlightuserdata(L, context);
    lua_pushcclosure(L, clua_host_trampoline, 1);
}

static int clua_message_handler(lua_State *L) {
    clua_runtime *runtime = clua_runtime_of(L);
    runtime->host_depth++;   // building the traceback must work even out of memory
    // The error value stays as it is: no __tostring here (running script code inside the handler
    // could raise past host_depth); the host converts it afterwards, under the limits
    // (clua_error_tostring).
    lua_settop(L, 1);
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

// MARK: text conversions with `tostring` semantics

/// Calls the function in upvalue 1 with every argument converted as `tostring` converts it
/// (`__tostring`, `__name`, numbers as Lua writes them). Runs as script code, so a `__tostring`
/// metamethod is held to the run's limits like any other.
static int call_with_text_arguments(lua_State *L) {
    int count = lua_gettop(L);
    for (int i = 1; i <= count; i++) {
        luaL_tolstring(L, i, NULL);
        lua_replace(L, i);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, count, LUA_MULTRET);
    return lua_gettop(L);
}

void clua_wrap_text_arguments(lua_State *L) {
    lua_pushcclosure(L, call_with_text_arguments, 1);
}

static int tostring_value(lua_State *L) {
    luaL_tolstring(L, 1, NULL);
    return 1;
}

int clua_error_tostring(lua_State *L) {
    int type = lua_type(L, -1);
    clua_runtime *runtime = clua_runtime_of(L);
    if (runtime->tripped != CLUA_LIMIT_NONE || runtime->refusing || (type != LUA_TTABLE && type != LUA_TUSERDATA)) return 0;
    if (luaL_getmetafield(L, -1, "__tostring") == LUA_TNIL) return 0;
    lua_pop(L, 1);
    lua_pushcfunction(L, tostring_value);
    lua_insert(L, -2);
    runtime->refusing = CLUA_REFUSE_REPORTING;
    int status = clua_pcall_traceback(L, 1, 1);
    runtime->refusing = 0;
    return status == LUA_OK ? 1 : -1;
}
