// The pattern matcher: runs a compiled program over a subject (design: pattern.h).
//
// `pattern_match_at` is one loop: the instruction at `pc` either advances (`s` and `pc` move on) or
// fails. A failure pops the backtracking stack: a frame of `*`/`+` gives back one byte, a frame of
// `-` takes one more, a frame of `?` drops its byte, a capture frame undoes its capture and fails
// on; the first frame with an alternative left resumes the loop there. Frames are pushed only where
// an item really has alternatives, so the stack height equals the nesting depth Lua's own matcher
// reaches, and its limit raises the same "pattern too complex".
#include "pattern.h"
#include <string.h>

typedef enum frame_kind { FRAME_GREEDY, FRAME_LAZY, FRAME_OPTIONAL, FRAME_OPENED, FRAME_CLOSED } frame_kind;

typedef struct frame {
    uint8_t kind;
    uint8_t capture;           // FRAME_CLOSED: the capture closed
    uint32_t pc;               // the quantified instruction
    const char *floor;         // FRAME_GREEDY: the shortest end still to try
    const char *at;            // the end tried now (GREEDY, LAZY) or the start to retry (OPTIONAL)
} frame;

void pattern_matcher_init(pattern_matcher *m, lua_State *L, const pattern_program *program,
                          const char *subject, size_t length) {
    m->L = L;
    m->program = program;
    m->subject = subject;
    m->subject_end = subject + length;
    m->level = 0;
    m->budget = PATTERN_CHECK_INTERVAL;
}

void pattern_count(pattern_matcher *m, size_t steps) {
    m->budget -= (long)steps;
    if (m->budget > 0) return;
    uint64_t used = (uint64_t)(PATTERN_CHECK_INTERVAL - m->budget);
    m->budget = PATTERN_CHECK_INTERVAL;
    clua_count_and_check(m->L, used);
}

void pattern_settle(pattern_matcher *m) {
    uint64_t used = (uint64_t)(PATTERN_CHECK_INTERVAL - m->budget);
    m->budget = PATTERN_CHECK_INTERVAL;
    clua_runtime_of(m->L)->instructions += used;
}

static int raise_pattern_error(lua_State *L, const pattern_op *op) {
    switch (op->a) {
        case PATTERN_ENDS_WITH_PERCENT: return luaL_error(L, "malformed pattern (ends with '%%')");
        case PATTERN_MISSING_BRACKET: return luaL_error(L, "malformed pattern (missing ']')");
        case PATTERN_MISSING_BALANCE_ARGUMENTS: return luaL_error(L, "malformed pattern (missing arguments to '%%b')");
        case PATTERN_MISSING_FRONTIER_SET: return luaL_error(L, "missing '[' after '%%f' in pattern");
        case PATTERN_INVALID_CAPTURE_INDEX: return luaL_error(L, "invalid capture index %%%d", (int)op->b);
        case PATTERN_INVALID_CAPTURE: return luaL_error(L, "invalid pattern capture");
        default: return luaL_error(L, "too many captures");
    }
}

/// How many bytes from `s` on (before `end`) are in `set`.
static size_t run_length(const pattern_set *set, const char *s, const char *end) {
    const char *t = s;
    while (t < end && pattern_in_set(set, (unsigned char)*t)) t++;
    return (size_t)(t - s);
}

/// The end of the balanced text `a ... b` starting at `s`, or NULL.
static const char *balanced_end(pattern_matcher *m, const char *s, unsigned char a, unsigned char b) {
    const char *end = m->subject_end;
    if (s >= end || (unsigned char)*s != a) return NULL;
    int depth = 1;
    for (const char *t = s + 1; t < end; t++) {
        unsigned char c = (unsigned char)*t;
        if (c == b) {
            if (--depth == 0) {
                pattern_count(m, (size_t)(t - s));
                return t + 1;
            }
        } else if (c == a) {
            depth++;
        }
    }
    pattern_count(m, (size_t)(end - s));
    return NULL;
}

const char *pattern_match_at(pattern_matcher *m, const char *s) {
    const pattern_op *ops = m->program->ops;
    const pattern_set *sets = m->program->sets;
    const char *const end = m->subject_end;
    pattern_capture *captures = m->captures;
    frame stack[PATTERN_MAX_DEPTH];
    int top = 0;
    int level = 0;
    uint32_t pc = 0;
    long budget = m->budget;     // kept in a register; written back before any call that checks limits
#define STEP(n) do { \
        budget -= (long)(n); \
        if (budget <= 0) { m->budget = budget; pattern_count(m, 0); budget = m->budget; } \
    } while (0)
#define PUSH(k) do { \
        if (top == PATTERN_MAX_DEPTH) luaL_error(m->L, "pattern too complex"); \
        stack[top].kind = (k); stack[top].pc = pc; \
    } while (0)

    for (;;) {
        STEP(1);
        const pattern_op *op = &ops[pc];
        switch (op->code) {
            case PAT_MATCH:
                m->level = level;
                m->budget = budget;
                return s;
            case PAT_END:
                if (s != end) goto fail;
                m->level = level;
                m->budget = budget;
                return s;
            case PAT_CHAR:
                if (s >= end || (unsigned char)*s != op->a) goto fail;
                s++;
                pc++;
                continue;
            case PAT_LITERAL:
                if ((size_t)(end - s) < op->y || memcmp(s, m->program->pool + op->x, op->y) != 0) goto fail;
                s += op->y;
                pc++;
                continue;
            case PAT_SET:
                if (s >= end || !pattern_in_set(&sets[op->x], (unsigned char)*s)) goto fail;
                s++;
                pc++;
                continue;
            case PAT_STAR:
            case PAT_PLUS: {
                if (s >= end || !pattern_in_set(&sets[op->x], (unsigned char)*s)) {
                    if (op->code == PAT_PLUS) goto fail;
                    pc++;
                    continue;
                }
                size_t run = 1 + run_length(&sets[op->x], s + 1, end);
                STEP(run);
                PUSH(FRAME_GREEDY);
                stack[top].floor = op->code == PAT_PLUS ? s + 1 : s;
                stack[top].at = s + run;
                top++;
                s += run;
                pc++;
                continue;
            }
            case PAT_LAZY:
            case PAT_OPTIONAL:
                if (s < end && pattern_in_set(&sets[op->x], (unsigned char)*s)) {
                    PUSH(op->code == PAT_LAZY ? FRAME_LAZY : FRAME_OPTIONAL);
                    stack[top].at = s;
                    top++;
                    if (op->code == PAT_OPTIONAL) s++;
                }
                pc++;
                continue;
            case PAT_OPEN:
            case PAT_POSITION:
                PUSH(FRAME_OPENED);
                top++;
                captures[level].start = s;
                captures[level].length = op->code == PAT_OPEN ? PATTERN_CAPTURE_OPEN : PATTERN_CAPTURE_POSITION;
                level++;
                pc++;
                continue;
            case PAT_CLOSE:
                PUSH(FRAME_CLOSED);
                stack[top].capture = op->a;
                top++;
                captures[op->a].length = s - captures[op->a].start;
                pc++;
                continue;
            case PAT_BACKREF: {
                ptrdiff_t length = captures[op->a].length;
                if (length < 0 || end - s < length || memcmp(captures[op->a].start, s, (size_t)length) != 0) goto fail;
                STEP(length);
                s += length;
                pc++;
                continue;
            }
            case PAT_BALANCE:
                m->budget = budget;
                s = balanced_end(m, s, op->a, op->b);
                budget = m->budget;
                if (s == NULL) goto fail;
                pc++;
                continue;
            case PAT_FRONTIER: {
                unsigned char before = s == m->subject ? 0 : (unsigned char)s[-1];
                unsigned char here = s < end ? (unsigned char)*s : 0;
                if (pattern_in_set(&sets[op->x], before) || !pattern_in_set(&sets[op->x], here)) goto fail;
                pc++;
                continue;
            }
            default:
                m->budget = budget;
                raise_pattern_error(m->L, op);
                return NULL;
        }
    fail:
        for (;;) {
            if (top == 0) {
                m->budget = budget;
                return NULL;
            }
            STEP(1);
            frame *f = &stack[top - 1];
            if (f->kind == FRAME_GREEDY) {
                if (f->at > f->floor) {
                    s = --f->at;
                    pc = f->pc + 1;
                    break;
                }
            } else if (f->kind == FRAME_LAZY) {
                const char *at = f->at;
                if (at < end && pattern_in_set(&sets[ops[f->pc].x], (unsigned char)*at)) {
                    s = f->at = at + 1;
                    pc = f->pc + 1;
                    break;
                }
            } else if (f->kind == FRAME_OPTIONAL) {
                s = f->at;
                pc = f->pc + 1;
                top--;
                break;
            } else if (f->kind == FRAME_OPENED) {
                level--;
            } else {
                captures[f->capture].length = PATTERN_CAPTURE_OPEN;
            }
            top--;
        }
    }
#undef PUSH
#undef STEP
}

const char *pattern_next_candidate(pattern_matcher *m, const char *s) {
    const pattern_op *first = &m->program->ops[0];
    const char *end = m->subject_end;
    const char *found = s;
    if (first->code == PAT_CHAR || first->code == PAT_LITERAL) {
        unsigned char c = first->code == PAT_CHAR ? first->a : (unsigned char)m->program->pool[first->x];
        found = s < end ? memchr(s, c, (size_t)(end - s)) : NULL;
        if (found == NULL) found = end + 1;
        pattern_count(m, (size_t)((found > end ? end : found) - s) / 16);
    } else if (first->code == PAT_SET || first->code == PAT_PLUS) {
        const pattern_set *set = &m->program->sets[first->x];
        while (found < end && !pattern_in_set(set, (unsigned char)*found)) found++;
        pattern_count(m, (size_t)(found - s));
        if (found == end) found = end + 1;
    }
    return found;
}
