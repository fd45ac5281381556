// Lua patterns (string.find, match, gmatch, gsub), written for phasekit from the Lua 5.4 reference
// manual (§6.4.1) and checked against the stock interpreter by Tests/HostileTests/PatternDifferentialTests.swift.
//
// Design
// ------
// A pattern is compiled once per call (pattern_compile.c) into a flat array of instructions: a run
// of plain characters becomes one LITERAL, every single-character class (`.`, `%a`, `[^%d_]`, ...)
// becomes a 256-bit set, so a class test is one bit lookup. The compiler never raises: Lua reports
// a malformed pattern only when matching reaches the bad item (`("abc"):find("x[")` is nil, not an
// error), so a bad item compiles to an ERROR instruction that raises when the matcher reaches it.
// Capture numbering and open/closed state are known at every point of the pattern, so the capture
// errors ("invalid capture index", "invalid pattern capture", "too many captures") are found the
// same way.
//
// The matcher (pattern_match.c; its setup, step counting and candidate scan in pattern_matcher.c)
// is a loop over the instructions with an explicit backtracking stack instead of C recursion. An
// item with alternatives (`*`, `+`, `-`, `?` once its first character matched) pushes a frame
// that knows how to try its next alternative; opening or closing a capture pushes a frame that
// undoes it. A frame is pushed exactly where the stock matcher
// recurses, so the stack height is the stock matcher's depth: the 200th frame raises "pattern too
// complex" where Lua does (MAXCCALLS 200), and the stack is a fixed array of 199 frames on the C stack.
// Every instruction, backtrack and subject byte scanned counts as a step; every
// PATTERN_CHECK_INTERVAL steps the run's limits are checked (clua_count_and_check), so a
// catastrophic pattern stops at the deadline or the instruction budget like any script code.
//
// The library functions (pattern_string.c: find, match, gmatch; pattern_gsub.c: gsub) follow the
// manual's descriptions: `find` without special characters (or with `plain`) is a memmem search in
// windows between limit checks.
#ifndef CLUASHIM_PATTERN_H
#define CLUASHIM_PATTERN_H

#include "internal.h"
#include <stddef.h>
#include <stdint.h>

/// Most captures a pattern may have (Lua's LUA_MAXCAPTURES).
#define PATTERN_MAX_CAPTURES 32
/// Backtracking frames, i.e. the stock matcher's recursion depth, before "pattern too complex".
#define PATTERN_MAX_DEPTH 199
/// Steps between two checks of the run's limits.
#define PATTERN_CHECK_INTERVAL 4096
/// Patterns up to this length compile into buffers on the C stack; longer ones into a userdata.
#define PATTERN_SMALL 96

/// Capture lengths that are not lengths.
#define PATTERN_CAPTURE_OPEN (-1)
#define PATTERN_CAPTURE_POSITION (-2)

typedef enum pattern_code {
    PAT_MATCH,       // the end of the pattern: success
    PAT_END,         // `$` at the end: success only at the end of the subject
    PAT_LITERAL,     // x bytes of the pool at offset y... (x = offset, y = length)
    PAT_CHAR,        // the byte a
    PAT_SET,         // one byte of set x
    PAT_STAR,        // set x, greedy, zero or more
    PAT_PLUS,        // set x, greedy, one or more
    PAT_LAZY,        // set x, lazy, zero or more (`-`)
    PAT_OPTIONAL,    // set x, zero or one
    PAT_OPEN,        // opens capture a
    PAT_POSITION,    // position capture a
    PAT_CLOSE,       // closes capture a
    PAT_BACKREF,     // the text of capture a again
    PAT_BALANCE,     // `%b` with a and b
    PAT_FRONTIER,    // `%f` with set x
    PAT_ERROR,       // raises error a (a pattern_error), with the digit b for a capture index
} pattern_code;

typedef enum pattern_error {
    PATTERN_ENDS_WITH_PERCENT,
    PATTERN_MISSING_BRACKET,
    PATTERN_MISSING_BALANCE_ARGUMENTS,
    PATTERN_MISSING_FRONTIER_SET,
    PATTERN_INVALID_CAPTURE_INDEX,
    PATTERN_INVALID_CAPTURE,
    PATTERN_TOO_MANY_CAPTURES,
} pattern_error;

typedef struct pattern_op {
    uint8_t code;
    uint8_t a;
    uint8_t b;
    uint32_t x;
    uint32_t y;
} pattern_op;

typedef struct pattern_set { uint8_t bits[32]; } pattern_set;

/// A compiled pattern. The arrays live in caller-provided storage.
typedef struct pattern_program {
    pattern_op *ops;
    pattern_set *sets;
    char *pool;
    size_t op_count, set_count, pool_length;
    int anchored;      // a leading `^` (find, match and gsub only)
} pattern_program;

/// What compiling a pattern needs: counts from `pattern_measure`.
typedef struct pattern_size { size_t ops, sets, pool; } pattern_size;

/// Sizes the arrays for `pattern` (without a leading `^` the caller removed).
pattern_size pattern_measure(const char *pattern, size_t length);
/// Compiles `pattern` into `program`, whose arrays are at least as large as `pattern_measure` says.
void pattern_compile(pattern_program *program, const char *pattern, size_t length);

static inline int pattern_in_set(const pattern_set *set, unsigned char c) {
    return (set->bits[c >> 3] >> (c & 7)) & 1;
}

typedef struct pattern_capture { const char *start; ptrdiff_t length; } pattern_capture;

/// One matching run over one subject.
typedef struct pattern_matcher {
    lua_State *L;
    const pattern_program *program;
    const char *subject, *subject_end;
    int level;                                   // captures in use after a match
    long budget;                                 // steps left before the next limit check
    pattern_capture captures[PATTERN_MAX_CAPTURES];
} pattern_matcher;

void pattern_matcher_init(pattern_matcher *m, lua_State *L, const pattern_program *program,
                          const char *subject, size_t length);
/// Matches the program at `s`; returns the end of the match or NULL.
const char *pattern_match_at(pattern_matcher *m, const char *s);
/// The first position at or after `s` (up to the subject end) where a match could start: skips
/// positions whose first byte the program's first item cannot match. Returns subject_end + 1 when none.
const char *pattern_next_candidate(pattern_matcher *m, const char *s);
/// Counts `steps` and checks the run's limits when the interval is used up.
void pattern_count(pattern_matcher *m, size_t steps);
/// Adds the steps not yet counted to the run's instruction count (at the end of a library call).
void pattern_settle(pattern_matcher *m);

// The library functions' shared helpers (pattern_string.c), used by pattern_gsub.c as well.

/// Buffers for a pattern of up to PATTERN_SMALL bytes, compiled on the C stack.
typedef struct pattern_small_program {
    pattern_op ops[PATTERN_SMALL + 1];
    pattern_set sets[PATTERN_SMALL];
    char pool[PATTERN_SMALL];
} pattern_small_program;

/// Compiles `p`: a small pattern into `small`, a larger one into a userdata left on the stack.
void pattern_compile_for_call(lua_State *L, pattern_program *program, pattern_small_program *small,
                              const char *p, size_t lp);
/// Capture `i` of the last match (s..e): its text in `*text`/`*length`, or 1 for a position capture.
int pattern_get_capture(pattern_matcher *m, int i, const char *s, const char *e, const char **text, size_t *length);
/// Pushes capture `i` of the last match (s..e): its text, or its position for a position capture.
void pattern_push_capture(pattern_matcher *m, int i, const char *s, const char *e);
/// Pushes the captures, or the whole match when there are none and `s` is given; returns how many.
int pattern_push_captures(pattern_matcher *m, const char *s, const char *e);

#endif
