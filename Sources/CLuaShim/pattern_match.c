// The pattern matcher: runs a compiled program over a subject (design: pattern.h).
//
// `pattern_match_at` is one loop over an `attempt`: the instruction at `pc` either advances (`s`
// and `pc` move on, `execute`) or fails. A failure pops the backtracking stack (`backtrack`): a
// frame of `*`/`+` gives back one byte, a frame of `-` takes one more, a frame of `?` drops its
// byte, a capture frame undoes its capture and fails on; the first frame with an alternative left
// resumes the loop there. Frames are pushed only where
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

// MARK: one attempt

/// Helpers of one attempt, inlined even in a debug build: the attempt's registers stay local.
#define ATTEMPT_HELPER static inline __attribute__((always_inline))

/// The registers of one attempt at one position: where it is in the subject (`s`) and in the
/// program (`pc`), the backtracking stack, the captures opened, and the steps left before the next
/// limit check (written back to the matcher before any call that checks the limits).
typedef struct attempt {
    pattern_matcher *m;
    const pattern_op *ops;
    const pattern_set *sets;
    const char *end;
    pattern_capture *captures;
    frame *stack;
    int top;
    int level;
    uint32_t pc;
    long budget;
    const char *s;
} attempt;

/// What one instruction did.
typedef enum outcome { ADVANCED, FAILED, MATCHED } outcome;

/// Counts `n` steps; when the budget is used up, the run's limits are checked (which may raise).
ATTEMPT_HELPER void step(attempt *a, long n) {
    a->budget -= n;
    if (a->budget <= 0) {
        a->m->budget = a->budget;
        pattern_count(a->m, 0);
        a->budget = a->m->budget;
    }
}

/// Pushes a frame of `kind` for the instruction at `pc`; a full stack is Lua's "pattern too complex".
ATTEMPT_HELPER frame *push(attempt *a, frame_kind kind) {
    if (a->top == PATTERN_MAX_DEPTH) luaL_error(a->m->L, "pattern too complex");
    frame *f = &a->stack[a->top++];
    f->kind = (uint8_t)kind;
    f->pc = a->pc;
    return f;
}

/// One byte, when the next one is `c`.
ATTEMPT_HELPER outcome match_byte(attempt *a, unsigned char c) {
    if (a->s >= a->end || (unsigned char)*a->s != c) return FAILED;
    a->s++;
    return ADVANCED;
}

/// One byte of `set`.
ATTEMPT_HELPER outcome match_set(attempt *a, const pattern_set *set) {
    if (a->s >= a->end || !pattern_in_set(set, (unsigned char)*a->s)) return FAILED;
    a->s++;
    return ADVANCED;
}

/// `length` bytes equal to `text`.
ATTEMPT_HELPER outcome match_text(attempt *a, const char *text, size_t length) {
    if ((size_t)(a->end - a->s) < length || memcmp(a->s, text, length) != 0) return FAILED;
    a->s += length;
    return ADVANCED;
}

/// `*` and `+`: the longest run of the set; a frame gives it back one byte at a time.
ATTEMPT_HELPER outcome match_greedy(attempt *a, const pattern_op *op) {
    const pattern_set *set = &a->sets[op->x];
    const char *s = a->s;
    if (s >= a->end || !pattern_in_set(set, (unsigned char)*s)) return op->code == PAT_PLUS ? FAILED : ADVANCED;
    size_t run = 1 + run_length(set, s + 1, a->end);
    step(a, (long)run);
    frame *f = push(a, FRAME_GREEDY);
    f->floor = op->code == PAT_PLUS ? s + 1 : s;
    f->at = s + run;
    a->s = s + run;
    return ADVANCED;
}

/// `-` takes no byte first, `?` its byte; when the byte is in the set, a frame keeps the other choice.
ATTEMPT_HELPER outcome match_lazy_or_optional(attempt *a, const pattern_op *op) {
    if (a->s < a->end && pattern_in_set(&a->sets[op->x], (unsigned char)*a->s)) {
        frame *f = push(a, op->code == PAT_LAZY ? FRAME_LAZY : FRAME_OPTIONAL);
        f->at = a->s;
        if (op->code == PAT_OPTIONAL) a->s++;
    }
    return ADVANCED;
}

/// `(` or `()`: opens the next capture here (undone by its frame).
ATTEMPT_HELPER outcome open_capture(attempt *a, const pattern_op *op) {
    push(a, FRAME_OPENED);
    a->captures[a->level].start = a->s;
    a->captures[a->level].length = op->code == PAT_OPEN ? PATTERN_CAPTURE_OPEN : PATTERN_CAPTURE_POSITION;
    a->level++;
    return ADVANCED;
}

/// `)`: closes capture `op->a` here (reopened by its frame).
ATTEMPT_HELPER outcome close_capture(attempt *a, const pattern_op *op) {
    frame *f = push(a, FRAME_CLOSED);
    f->capture = op->a;
    a->captures[op->a].length = a->s - a->captures[op->a].start;
    return ADVANCED;
}

/// `%1`...`%9`: the text of a closed capture again.
ATTEMPT_HELPER outcome match_backref(attempt *a, const pattern_op *op) {
    const pattern_capture *capture = &a->captures[op->a];
    ptrdiff_t length = capture->length;
    if (length < 0 || a->end - a->s < length || memcmp(capture->start, a->s, (size_t)length) != 0) return FAILED;
    step(a, (long)length);
    a->s += length;
    return ADVANCED;
}

/// `%bxy`: balanced text (which counts its own steps).
ATTEMPT_HELPER outcome match_balance(attempt *a, const pattern_op *op) {
    a->m->budget = a->budget;
    const char *after = balanced_end(a->m, a->s, op->a, op->b);
    a->budget = a->m->budget;
    if (after == NULL) return FAILED;
    a->s = after;
    return ADVANCED;
}

/// `%f[set]`: the byte before is not in the set and the byte here is (the subject's ends count as '\0').
ATTEMPT_HELPER outcome match_frontier(attempt *a, const pattern_op *op) {
    unsigned char before = a->s == a->m->subject ? 0 : (unsigned char)a->s[-1];
    unsigned char here = a->s < a->end ? (unsigned char)*a->s : 0;
    if (pattern_in_set(&a->sets[op->x], before) || !pattern_in_set(&a->sets[op->x], here)) return FAILED;
    return ADVANCED;
}

/// Runs the instruction `op`: it advances (moving `s`, not `pc`), fails, or ends the match.
ATTEMPT_HELPER outcome execute(attempt *a, const pattern_op *op) {
    switch (op->code) {
        case PAT_MATCH: return MATCHED;
        case PAT_END: return a->s == a->end ? MATCHED : FAILED;
        case PAT_CHAR: return match_byte(a, op->a);
        case PAT_LITERAL: return match_text(a, a->m->program->pool + op->x, op->y);
        case PAT_SET: return match_set(a, &a->sets[op->x]);
        case PAT_STAR:
        case PAT_PLUS: return match_greedy(a, op);
        case PAT_LAZY:
        case PAT_OPTIONAL: return match_lazy_or_optional(a, op);
        case PAT_OPEN:
        case PAT_POSITION: return open_capture(a, op);
        case PAT_CLOSE: return close_capture(a, op);
        case PAT_BACKREF: return match_backref(a, op);
        case PAT_BALANCE: return match_balance(a, op);
        case PAT_FRONTIER: return match_frontier(a, op);
        default:
            a->m->budget = a->budget;
            raise_pattern_error(a->m->L, op);   // does not return
            return FAILED;
    }
}

/// Pops frames until one has an alternative left and resumes there (true), or none is left
/// (false). A frame of `*`/`+` gives back one byte, of `-` takes one more, of `?` drops its
/// byte; a capture frame undoes its capture and the popping goes on.
ATTEMPT_HELPER int backtrack(attempt *a) {
    for (;;) {
        if (a->top == 0) return 0;
        step(a, 1);
        frame *f = &a->stack[a->top - 1];
        if (f->kind == FRAME_GREEDY) {
            if (f->at > f->floor) {
                a->s = --f->at;
                a->pc = f->pc + 1;
                return 1;
            }
        } else if (f->kind == FRAME_LAZY) {
            const char *at = f->at;
            if (at < a->end && pattern_in_set(&a->sets[a->ops[f->pc].x], (unsigned char)*at)) {
                a->s = f->at = at + 1;
                a->pc = f->pc + 1;
                return 1;
            }
        } else if (f->kind == FRAME_OPTIONAL) {
            a->s = f->at;
            a->pc = f->pc + 1;
            a->top--;
            return 1;
        } else if (f->kind == FRAME_OPENED) {
            a->level--;
        } else {
            a->captures[f->capture].length = PATTERN_CAPTURE_OPEN;
        }
        a->top--;
    }
}

const char *pattern_match_at(pattern_matcher *m, const char *s) {
    frame stack[PATTERN_MAX_DEPTH];
    attempt a;
    a.m = m;
    a.ops = m->program->ops;
    a.sets = m->program->sets;
    a.end = m->subject_end;
    a.captures = m->captures;
    a.stack = stack;
    a.top = 0;
    a.level = 0;
    a.pc = 0;
    a.budget = m->budget;
    a.s = s;
    for (;;) {
        step(&a, 1);
        switch (execute(&a, &a.ops[a.pc])) {
            case ADVANCED:
                a.pc++;
                break;
            case MATCHED:
                m->level = a.level;
                m->budget = a.budget;
                return a.s;
            case FAILED:
                if (!backtrack(&a)) {
                    m->budget = a.budget;
                    return NULL;
                }
                break;
        }
    }
}
