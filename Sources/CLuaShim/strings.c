// Bounded versions of the string and os functions whose work is not bounded by the memory limit.
//
// `string.rep` builds its result in one allocation (so the memory limit refuses a result that is
// too large before any copying) and fills it by doubling what it wrote (O(log n) copies); an
// empty result, as `string.rep("", n)` makes, takes no work at all. `os.date` runs one
// `strftime` per conversion of its format: the format's length is capped.
//
// Written here from the Lua 5.4 reference manual's description of each function.
#include "internal.h"
#include <limits.h>
#include <string.h>

/// Longest `os.date` format accepted (bytes); dates are short, so this only stops abuse.
#define CLUA_MAXIMUM_DATE_FORMAT 4096

/// Largest result `string.rep` makes: stock Lua's string library caps the strings it builds at
/// `INT_MAX` bytes on a 64-bit machine (the larger `size_t` limit applies only where `size_t` is
/// narrower than `int`), and refuses a larger one with "resulting string too large" before
/// allocating anything, so the check comes first and the memory limit only after it.
static size_t largest_result(void) {
    return sizeof(size_t) < sizeof(int) ? (size_t)-1 : (size_t)INT_MAX;
}

/// string.rep(s, n [, sep]): n copies of s separated by sep; "" when n is not positive.
static int bounded_string_rep(lua_State *L) {
    size_t length, separator_length;
    const char *text = luaL_checklstring(L, 1, &length);
    lua_Integer count = luaL_checkinteger(L, 2);
    const char *separator = luaL_optlstring(L, 3, "", &separator_length);
    if (count <= 0) {
        lua_pushliteral(L, "");
        return 1;
    }
    // Stock Lua's test: one copy and one separator per repetition must fit the largest result
    // divided by the count (the division keeps the test from overflowing).
    size_t unit = length + separator_length;
    if (unit < length || unit > largest_result() / (lua_Unsigned)count) {
        return luaL_error(L, "resulting string too large");
    }
    if (unit == 0 || (length == 0 && count == 1)) {       // nothing to write, however many times
        lua_pushliteral(L, "");
        return 1;
    }
    size_t total = (size_t)count * unit - separator_length;
    luaL_Buffer buffer;
    char *out = luaL_buffinitsize(L, &buffer, total);   // the memory limit refuses it here
    // The result is periodic ("s sep s sep ... s"): write one period, then double what is written.
    memcpy(out, text, length);
    size_t filled = length;
    if (count > 1) {
        memcpy(out + length, separator, separator_length);
        filled = unit;
    }
    clua_meter meter = {0};
    while (filled < total) {
        size_t chunk = filled < total - filled ? filled : total - filled;
        memcpy(out + filled, out, chunk);
        filled += chunk;
        clua_meter_add(L, &meter, 1 + (uint32_t)(chunk >> 16));
    }
    luaL_pushresultsize(&buffer, total);
    return 1;
}

/// os.date with a capped format: one strftime call per conversion, so the format bounds the work.
static int bounded_os_date(lua_State *L) {
    size_t length = 0;
    if (lua_type(L, 1) == LUA_TSTRING) lua_tolstring(L, 1, &length);
    if (length > CLUA_MAXIMUM_DATE_FORMAT) {
        return luaL_error(L, "os.date: the format is longer than %d bytes", CLUA_MAXIMUM_DATE_FORMAT);
    }
    lua_CFunction original = lua_tocfunction(L, lua_upvalueindex(1));
    return original(L);
}

void clua_replace_string_functions(lua_State *L, int library) {
    lua_pushcfunction(L, bounded_string_rep);
    lua_setfield(L, library, "rep");
}

void clua_replace_os_functions(lua_State *L, int library) {
    lua_getfield(L, library, "date");
    lua_pushcclosure(L, bounded_os_date, 1);
    lua_setfield(L, library, "date");
}
