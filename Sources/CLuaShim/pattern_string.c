#define _GNU_SOURCE   // memmem
// string.find, string.match and string.gmatch over the bounded matcher (design: pattern.h), as the
// Lua 5.4 manual describes them: `init` counts from the end when negative and is clipped to the
// subject; a start past the end finds nothing; a leading `^` anchors find and match (gmatch takes
// it literally); gmatch never takes an empty match right where the previous match ended. Also the
// compile and capture helpers string.gsub shares (pattern_gsub.c).
#include "pattern.h"
#include <string.h>

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
void pattern_compile_for_call(lua_State *L, pattern_program *program, pattern_small_program *small,
                              const char *p, size_t lp) {
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
int pattern_get_capture(pattern_matcher *m, int i, const char *s, const char *e, const char **text, size_t *length) {
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

void pattern_push_capture(pattern_matcher *m, int i, const char *s, const char *e) {
    const char *text;
    size_t length = 0;
    if (pattern_get_capture(m, i, s, e, &text, &length)) {
        lua_pushinteger(m->L, (lua_Integer)(text - m->subject) + 1);
    } else {
        lua_pushlstring(m->L, text, length);
    }
}

/// Pushes the captures, or the whole match when there are none and `s` is given.
int pattern_push_captures(pattern_matcher *m, const char *s, const char *e) {
    int count = (m->level == 0 && s != NULL) ? 1 : m->level;
    luaL_checkstack(m->L, count, "too many captures");
    for (int i = 0; i < count; i++) pattern_push_capture(m, i, s, e);
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
    pattern_small_program small;
    int anchored = lp > 0 && p[0] == '^';
    pattern_compile_for_call(L, &program, &small, p + anchored, lp - anchored);
    pattern_matcher_init(&m, L, &program, s, ls);
    const char *end = s + ls;
    for (const char *at = s + init;; at++) {
        if (!anchored && (at = pattern_next_candidate(&m, at)) > end) break;
        const char *e = pattern_match_at(&m, at);
        if (e != NULL) {
            pattern_settle(&m);
            if (!find) return pattern_push_captures(&m, at, e);
            lua_pushinteger(L, (lua_Integer)(at - s) + 1);
            lua_pushinteger(L, (lua_Integer)(e - s));
            return pattern_push_captures(&m, NULL, NULL) + 2;
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
            return pattern_push_captures(&m, at, e);
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
