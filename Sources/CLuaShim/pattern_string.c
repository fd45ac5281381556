#define _GNU_SOURCE   // memmem
// string.find, string.match, string.gmatch and string.gsub over the bounded matcher (design:
// pattern.h), as the Lua 5.4 manual describes them: `init` counts from the end when negative and
// is clipped to the subject; a start past the end finds nothing; a leading `^` anchors find, match
// and gsub (gmatch takes it literally); gmatch and gsub never take an empty match right where the
// previous match ended.
#include "pattern.h"
#include <string.h>

/// Buffers for a pattern of up to PATTERN_SMALL bytes, compiled on the C stack.
typedef struct small_program {
    pattern_op ops[PATTERN_SMALL + 1];
    pattern_set sets[PATTERN_SMALL];
    char pool[PATTERN_SMALL];
} small_program;

static size_t program_bytes(pattern_size size) {
    return size.ops * sizeof(pattern_op) + size.sets * sizeof(pattern_set) + size.pool;
}

/// Lays the program's arrays out in `memory` (ops first: they need the strictest alignment).
static void place_program(pattern_program *program, void *memory, pattern_size size) {
    program->ops = (pattern_op *)memory;
    program->sets = (pattern_set *)(program->ops + size.ops);
    program->pool = (char *)(program->sets + size.sets);
}

/// Compiles `p`: a small pattern into `small`, a larger one into a userdata left on the stack.
static void compile(lua_State *L, pattern_program *program, small_program *small, const char *p, size_t lp) {
    if (lp <= PATTERN_SMALL) {
        program->ops = small->ops;
        program->sets = small->sets;
        program->pool = small->pool;
    } else {
        pattern_size size = pattern_measure(p, lp);
        place_program(program, lua_newuserdatauv(L, program_bytes(size), 0), size);
    }
    pattern_compile(program, p, lp);
}

/// The 0-based start for a 1-based `init` that may count from the end (-1 is the last byte).
static size_t start_offset(lua_Integer init, size_t length) {
    if (init > 0) return (size_t)init - 1;
    if (init == 0 || (lua_Unsigned)-(init + 1) >= length) return 0;   // before the start: the start
    return length - (size_t)-init;
}

static int has_specials(const char *p, size_t lp) {
    for (size_t i = 0; i < lp; i++) {
        switch (p[i]) {
            case '^': case '$': case '*': case '+': case '?': case '.': case '(': case '[': case '%': case '-':
                return 1;
        }
    }
    return 0;
}

/// Capture `i` of the last match (s..e): its text in `*text`/`*length`, or 1 for a position capture.
static int get_capture(pattern_matcher *m, int i, const char *s, const char *e, const char **text, size_t *length) {
    if (i >= m->level) {
        if (i != 0) luaL_error(m->L, "invalid capture index %%%d", i + 1);
        *text = s;
        *length = (size_t)(e - s);
        return 0;
    }
    pattern_capture *capture = &m->captures[i];
    if (capture->length == PATTERN_CAPTURE_OPEN) luaL_error(m->L, "unfinished capture");
    *text = capture->start;
    if (capture->length == PATTERN_CAPTURE_POSITION) return 1;
    *length = (size_t)capture->length;
    return 0;
}

static void push_capture(pattern_matcher *m, int i, const char *s, const char *e) {
    const char *text;
    size_t length = 0;
    if (get_capture(m, i, s, e, &text, &length)) {
        lua_pushinteger(m->L, (lua_Integer)(text - m->subject) + 1);
    } else {
        lua_pushlstring(m->L, text, length);
    }
}

/// Pushes the captures, or the whole match when there are none and `s` is given.
static int push_captures(pattern_matcher *m, const char *s, const char *e) {
    int count = (m->level == 0 && s != NULL) ? 1 : m->level;
    luaL_checkstack(m->L, count, "too many captures");
    for (int i = 0; i < count; i++) push_capture(m, i, s, e);
    return count;
}

/// `needle` in `haystack`, searched in windows with the run's limits checked between them.
static const char *plain_find(pattern_matcher *m, const char *haystack, size_t length, const char *needle, size_t size) {
    if (size == 0) return haystack;
    if (size > length) return NULL;
    size_t window = size * 4 > ((size_t)1 << 20) ? size * 4 : ((size_t)1 << 20);
    size_t starts = length - size + 1;        // positions where the needle could begin
    for (size_t at = 0; at < starts;) {
        size_t count = starts - at < window ? starts - at : window;
        const char *found = memmem(haystack + at, count + size - 1, needle, size);
        if (found) return found;
        at += count;
        pattern_count(m, (count + size) / 16);
    }
    return NULL;
}

static int find_or_match(lua_State *L, int find) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_offset(luaL_optinteger(L, 3, 1), ls);
    if (init > ls) {
        luaL_pushfail(L);
        return 1;
    }
    pattern_matcher m;
    pattern_program program;
    if (find && (lua_toboolean(L, 4) || !has_specials(p, lp))) {
        pattern_matcher_init(&m, L, NULL, s, ls);
        const char *found = plain_find(&m, s + init, ls - init, p, lp);
        pattern_settle(&m);
        if (found == NULL) {
            luaL_pushfail(L);
            return 1;
        }
        lua_pushinteger(L, (lua_Integer)(found - s) + 1);
        lua_pushinteger(L, (lua_Integer)(found - s + lp));
        return 2;
    }
    small_program small;
    int anchored = lp > 0 && p[0] == '^';
    compile(L, &program, &small, p + anchored, lp - anchored);
    pattern_matcher_init(&m, L, &program, s, ls);
    const char *end = s + ls;
    for (const char *at = s + init;; at++) {
        if (!anchored && (at = pattern_next_candidate(&m, at)) > end) break;
        const char *e = pattern_match_at(&m, at);
        if (e != NULL) {
            pattern_settle(&m);
            if (!find) return push_captures(&m, at, e);
            lua_pushinteger(L, (lua_Integer)(at - s) + 1);
            lua_pushinteger(L, (lua_Integer)(e - s));
            return push_captures(&m, NULL, NULL) + 2;
        }
        if (anchored || at >= end) break;
    }
    pattern_settle(&m);
    luaL_pushfail(L);
    return 1;
}

int clua_string_find(lua_State *L) { return find_or_match(L, 1); }
int clua_string_match(lua_State *L) { return find_or_match(L, 0); }

// MARK: gmatch

/// The iterator's state: where the next search starts, where the last match ended, the program.
typedef struct gmatch_state {
    size_t next;
    size_t last_end;          // SIZE_MAX before the first match
    pattern_program program;
} gmatch_state;

static int gmatch_step(lua_State *L) {
    size_t ls;
    const char *s = lua_tolstring(L, lua_upvalueindex(1), &ls);
    gmatch_state *state = (gmatch_state *)lua_touserdata(L, lua_upvalueindex(3));
    pattern_matcher m;
    pattern_matcher_init(&m, L, &state->program, s, ls);
    const char *end = s + ls;
    for (const char *at = s + state->next; at <= end; at++) {
        if ((at = pattern_next_candidate(&m, at)) > end) break;
        const char *e = pattern_match_at(&m, at);
        if (e != NULL && (size_t)(e - s) != state->last_end) {
            state->next = state->last_end = (size_t)(e - s);
            pattern_settle(&m);
            return push_captures(&m, at, e);
        }
    }
    state->next = ls + 1;
    pattern_settle(&m);
    return 0;
}

int clua_string_gmatch(lua_State *L) {
    size_t ls, lp;
    luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_offset(luaL_optinteger(L, 3, 1), ls);
    lua_settop(L, 2);
    pattern_size size = pattern_measure(p, lp);
    gmatch_state *state = (gmatch_state *)lua_newuserdatauv(L, sizeof(gmatch_state) + program_bytes(size), 0);
    state->next = init > ls ? ls + 1 : init;
    state->last_end = SIZE_MAX;
    place_program(&state->program, state + 1, size);
    pattern_compile(&state->program, p, lp);
    lua_pushcclosure(L, gmatch_step, 3);
    return 1;
}

// MARK: gsub

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
            if (get_capture(m, c - '1', s, e, &text, &length)) {
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
        int count = push_captures(m, s, e);
        lua_call(L, count, 1);
    } else if (kind == LUA_TTABLE) {
        push_capture(m, 0, s, e);
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
    small_program small;
    compile(L, &program, &small, p + anchored, lp - anchored);
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
