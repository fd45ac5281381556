#include "CBenchBaseline.h"
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include <time.h>

static int echo(lua_State *L) {
    lua_pushinteger(L, lua_tointeger(L, 1));
    return 1;
}

/// An empty count hook: what the VM pays for phasekit's limit checks, without the checks.
static void count_hook(lua_State *L, lua_Debug *ar) {
    (void)L;
    (void)ar;
}

static int64_t timed_loop(int64_t iterations, int hook_interval) {
    lua_State *L = luaL_newstate();
    if (!L) return -1;
    luaL_openlibs(L);
    lua_register(L, "echo", echo);
    if (hook_interval > 0) lua_sethook(L, count_hook, LUA_MASKCOUNT, hook_interval);
    const char *source = "local n = ... local s = 0 for i = 1, n do s = s + echo(i) end return s";
    if (luaL_loadstring(L, source) != LUA_OK) { lua_close(L); return -1; }
    lua_pushinteger(L, (lua_Integer)iterations);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int status = lua_pcall(L, 1, 1, 0);
    clock_gettime(CLOCK_MONOTONIC, &end);
    lua_close(L);
    if (status != LUA_OK) return -1;
    return (int64_t)(end.tv_sec - start.tv_sec) * 1000000000 + (end.tv_nsec - start.tv_nsec);
}

int64_t cbench_raw_loop(int64_t iterations) {
    return timed_loop(iterations, 0);
}

int64_t cbench_hooked_loop(int64_t iterations, int hook_interval) {
    return timed_loop(iterations, hook_interval);
}
