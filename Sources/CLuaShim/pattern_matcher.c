// The matcher's setup, its step counting against the run's limits, and the scan for the next
// position where a match can start (design: pattern.h; the matching itself: pattern_match.c).
#include "pattern.h"
#include <string.h>

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
