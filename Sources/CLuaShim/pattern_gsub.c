// string.gsub over the bounded matcher (design: pattern.h), as the Lua 5.4 manual describes it: a
// leading `^` anchors the pattern, an empty match is never taken right where the previous match
// ended, and the replacement is a string with `%0`-`%9` and `%%`, a table or a function. The shared
// compile and capture helpers are in pattern_string.c.
#include "pattern.h"
#include <string.h>

/// Appends the string replacement with `%0`-`%9` and `%%` expanded.
static void add_expanded(pattern_matcher *m, luaL_Buffer *b, const char *s, const char *e) {
    size_t lr;
    const char *r = lua_tolstring(m->L, 3, &lr);
    const char *rend = r + lr;
    while (r < rend) {
        const char *percent = memchr(r, '%', (size_t)(rend - r));
        if (percent == NULL) {
            luaL_addlstring(b, r, (size_t)(rend - r));
            return;
        }
        luaL_addlstring(b, r, (size_t)(percent - r));
        r = percent + 2;
        unsigned char c = percent + 1 < rend ? (unsigned char)percent[1] : 0;
        if (c == '%') {
            luaL_addchar(b, '%');
        } else if (c == '0') {
            luaL_addlstring(b, s, (size_t)(e - s));
        } else if (c >= '1' && c <= '9') {
            const char *text;
            size_t length = 0;
            if (pattern_get_capture(m, c - '1', s, e, &text, &length)) {
                lua_pushinteger(m->L, (lua_Integer)(text - m->subject) + 1);
                luaL_addvalue(b);
            } else {
                luaL_addlstring(b, text, length);
            }
        } else {
            luaL_error(m->L, "invalid use of '%%' in replacement string");
        }
    }
}

/// Appends the replacement of the match s..e: the table's or function's value, or the match itself
/// when that value is false or nil. Returns whether the text changed (a string replacement always does).
static int add_replacement(pattern_matcher *m, luaL_Buffer *b, const char *s, const char *e, int kind) {
    lua_State *L = m->L;
    if (kind == LUA_TFUNCTION) {
        lua_pushvalue(L, 3);
        int count = pattern_push_captures(m, s, e);
        lua_call(L, count, 1);
    } else if (kind == LUA_TTABLE) {
        pattern_push_capture(m, 0, s, e);
        lua_gettable(L, 3);
    } else {
        add_expanded(m, b, s, e);
        return 1;
    }
    if (!lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        luaL_addlstring(b, s, (size_t)(e - s));
        return 0;
    }
    if (!lua_isstring(L, -1)) return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    luaL_addvalue(b);
    return 1;
}

int clua_string_gsub(lua_State *L) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    int kind = lua_type(L, 3);
    lua_Integer limit = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
    luaL_argexpected(L, kind == LUA_TNUMBER || kind == LUA_TSTRING || kind == LUA_TFUNCTION || kind == LUA_TTABLE,
                     3, "string/function/table");
    int anchored = lp > 0 && p[0] == '^';
    pattern_program program;
    pattern_small_program small;
    pattern_compile_for_call(L, &program, &small, p + anchored, lp - anchored);
    pattern_matcher m;
    pattern_matcher_init(&m, L, &program, s, ls);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    const char *end = s + ls;
    const char *at = s;
    const char *last_end = NULL;
    lua_Integer count = 0;
    int changed = 0;
    while (count < limit) {
        if (!anchored) {
            const char *candidate = pattern_next_candidate(&m, at);
            if (candidate > end) break;
            luaL_addlstring(&b, at, (size_t)(candidate - at));
            at = candidate;
        }
        const char *e = pattern_match_at(&m, at);
        if (e != NULL && e != last_end) {
            count++;
            changed |= add_replacement(&m, &b, at, e, kind);
            at = last_end = e;
        } else if (at < end) {
            luaL_addchar(&b, *at++);
        } else {
            break;
        }
        if (anchored) break;
    }
    pattern_settle(&m);
    if (changed) {
        luaL_addlstring(&b, at, (size_t)(end - at));
        luaL_pushresult(&b);
    } else {
        lua_pushvalue(L, 1);    // nothing replaced: the subject itself, as Lua 5.4 returns it
    }
    lua_pushinteger(L, count);
    return 2;
}
