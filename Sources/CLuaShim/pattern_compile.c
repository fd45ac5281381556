// The pattern compiler: pattern text to the instruction array the matcher runs (design: pattern.h).
//
// One walk over the pattern, item by item, as §6.4.1 of the manual describes them: a capture
// opening or closing, an end anchor, `%b`, `%f`, a back-reference, or a single-character class
// with an optional quantifier. Characters that stand for themselves and carry no quantifier are
// gathered into one LITERAL. The walk tracks how many captures are open and which are closed, so
// capture errors are known here; an item that is malformed ends the program with an ERROR.
// The same walk, with nowhere to write, measures the program (`pattern_measure`).
#include "pattern.h"
#include <ctype.h>
#include <pthread.h>
#include <string.h>

/// The set of each class letter (`%a`, `%c`, ...), indexed by the lowercase letter minus 'a';
/// letters that are not classes stay all zero and `class_known` says which are classes.
static pattern_set class_sets[26];
static int class_known[26];
static pthread_once_t class_sets_once = PTHREAD_ONCE_INIT;

static void build_class_sets(void) {
    static const char letters[] = "acdglpsuwxz";   // `%z` (NUL) is not in the manual, but Lua 5.4 keeps it
    for (const char *letter = letters; *letter; letter++) {
        int index = *letter - 'a';
        class_known[index] = 1;
        for (int c = 0; c < 256; c++) {
            int member = 0;
            switch (*letter) {
                case 'a': member = isalpha(c); break;
                case 'c': member = iscntrl(c); break;
                case 'd': member = isdigit(c); break;
                case 'g': member = isgraph(c); break;
                case 'l': member = islower(c); break;
                case 'p': member = ispunct(c); break;
                case 's': member = isspace(c); break;
                case 'u': member = isupper(c); break;
                case 'w': member = isalnum(c); break;
                case 'x': member = isxdigit(c); break;
                case 'z': member = c == 0; break;
            }
            if (member) class_sets[index].bits[c >> 3] |= (uint8_t)(1u << (c & 7));
        }
    }
}

/// Where the compiled program goes; every writer is a no-op while only measuring.
typedef struct builder {
    pattern_program *out;     // NULL while measuring
    pattern_size size;
    pattern_set scratch;      // the set being built while measuring
} builder;

static pattern_op *emit(builder *b, uint8_t code) {
    static pattern_op ignored;
    size_t index = b->size.ops++;
    if (b->out == NULL) return &ignored;
    pattern_op *op = &b->out->ops[index];
    memset(op, 0, sizeof *op);
    op->code = code;
    return op;
}

static pattern_set *new_set(builder *b, uint32_t *index) {
    *index = (uint32_t)b->size.sets++;
    pattern_set *set = b->out ? &b->out->sets[*index] : &b->scratch;
    memset(set, 0, sizeof *set);
    return set;
}

static void set_add(pattern_set *set, unsigned char c) { set->bits[c >> 3] |= (uint8_t)(1u << (c & 7)); }

/// Adds what `%c` stands for: a class (its complement for an uppercase letter) or `c` itself.
static void set_add_escape(pattern_set *set, unsigned char c) {
    int lower = tolower(c);
    if (lower >= 'a' && lower <= 'z' && class_known[lower - 'a']) {
        const pattern_set *class = &class_sets[lower - 'a'];
        int complement = isupper(c) != 0;
        for (int i = 0; i < 32; i++) set->bits[i] |= complement ? (uint8_t)~class->bits[i] : class->bits[i];
    } else {
        set_add(set, c);
    }
}

/// Fills `set` from the bracket class p[open] == '[' ... p[close] == ']'.
static void fill_bracket(pattern_set *set, const unsigned char *p, size_t open, size_t close) {
    size_t j = open + 1;
    int negated = p[j] == '^';
    if (negated) j++;
    while (j < close) {
        if (p[j] == '%') {
            set_add_escape(set, p[j + 1]);
            j += 2;
        } else if (j + 2 < close && p[j + 1] == '-') {
            for (unsigned c = p[j]; c <= p[j + 2]; c++) set_add(set, (unsigned char)c);
            j += 3;
        } else {
            set_add(set, p[j]);
            j += 1;
        }
    }
    if (negated) for (int i = 0; i < 32; i++) set->bits[i] = (uint8_t)~set->bits[i];
}

/// The end of the single-character class at p[i], or 0 with `*error` set when it is malformed.
static size_t class_end(const unsigned char *p, size_t length, size_t i, int *error) {
    if (p[i] == '%') {
        if (i + 1 >= length) { *error = PATTERN_ENDS_WITH_PERCENT; return 0; }
        return i + 2;
    }
    if (p[i] != '[') return i + 1;
    size_t j = i + 1;
    if (j < length && p[j] == '^') j++;
    for (;;) {   // the first member is taken as it is, even `]`; `%` takes the byte after it
        if (j >= length) { *error = PATTERN_MISSING_BRACKET; return 0; }
        unsigned char member = p[j++];
        if (member == '%' && j < length) j++;
        if (j < length && p[j] == ']') return j + 1;
    }
}

/// Fills `set` with the bytes the class p[i..end) matches. Returns 1 when it is one plain byte.
static int fill_class(pattern_set *set, const unsigned char *p, size_t i, size_t end, unsigned char *plain) {
    if (p[i] == '.') {
        memset(set->bits, 0xff, sizeof set->bits);
        return 0;
    }
    if (p[i] == '[') {
        fill_bracket(set, p, i, end - 1);
        return 0;
    }
    unsigned char c = p[i] == '%' ? p[i + 1] : p[i];
    int lower = tolower(c);
    if (p[i] == '%' && lower >= 'a' && lower <= 'z' && class_known[lower - 'a']) {
        set_add_escape(set, c);
        return 0;
    }
    set_add(set, c);
    *plain = c;
    return 1;
}

static void emit_error(builder *b, int error, int digit) {
    pattern_op *op = emit(b, PAT_ERROR);
    op->a = (uint8_t)error;
    op->b = (uint8_t)digit;
}

/// Appends a plain byte, extending the LITERAL just emitted when there is one.
static void emit_plain(builder *b, unsigned char c, int *literal_open) {
    size_t offset = b->size.pool++;
    if (b->out) b->out->pool[offset] = (char)c;
    if (*literal_open) {
        if (b->out) b->out->ops[b->size.ops - 1].y++;
        return;
    }
    pattern_op *op = emit(b, PAT_LITERAL);
    op->x = (uint32_t)offset;
    op->y = 1;
    *literal_open = 1;
}

static void walk(builder *b, const unsigned char *p, size_t length) {
    pthread_once(&class_sets_once, build_class_sets);
    int level = 0;
    int closed[PATTERN_MAX_CAPTURES];
    int literal_open = 0;
    size_t i = 0;
    while (i < length) {
        unsigned char c = p[i];
        int was_literal = literal_open;
        literal_open = 0;
        if (c == '(') {
            if (level >= PATTERN_MAX_CAPTURES) { emit_error(b, PATTERN_TOO_MANY_CAPTURES, 0); return; }
            int position = i + 1 < length && p[i + 1] == ')';
            emit(b, position ? PAT_POSITION : PAT_OPEN)->a = (uint8_t)level;
            closed[level++] = position;
            i += position ? 2 : 1;
        } else if (c == ')') {
            int open = level - 1;
            while (open >= 0 && closed[open]) open--;
            if (open < 0) { emit_error(b, PATTERN_INVALID_CAPTURE, 0); return; }
            emit(b, PAT_CLOSE)->a = (uint8_t)open;
            closed[open] = 1;
            i += 1;
        } else if (c == '$' && i + 1 == length) {
            emit(b, PAT_END);
            return;
        } else if (c == '%' && i + 1 < length && p[i + 1] == 'b') {
            if (i + 3 >= length) { emit_error(b, PATTERN_MISSING_BALANCE_ARGUMENTS, 0); return; }
            pattern_op *op = emit(b, PAT_BALANCE);
            op->a = p[i + 2];
            op->b = p[i + 3];
            i += 4;
        } else if (c == '%' && i + 1 < length && p[i + 1] == 'f') {
            size_t open = i + 2;
            if (open >= length || p[open] != '[') { emit_error(b, PATTERN_MISSING_FRONTIER_SET, 0); return; }
            int error = 0;
            size_t end = class_end(p, length, open, &error);
            if (end == 0) { emit_error(b, error, 0); return; }
            uint32_t index;
            fill_bracket(new_set(b, &index), p, open, end - 1);
            emit(b, PAT_FRONTIER)->x = index;
            i = end;
        } else if (c == '%' && i + 1 < length && p[i + 1] >= '0' && p[i + 1] <= '9') {
            int capture = p[i + 1] - '1';
            if (capture < 0 || capture >= level || !closed[capture]) {
                emit_error(b, PATTERN_INVALID_CAPTURE_INDEX, capture + 1);
                return;
            }
            emit(b, PAT_BACKREF)->a = (uint8_t)capture;
            i += 2;
        } else {
            int error = 0;
            size_t end = class_end(p, length, i, &error);
            if (end == 0) { emit_error(b, error, 0); return; }
            unsigned char quantifier = end < length ? p[end] : 0;
            pattern_set set;
            memset(&set, 0, sizeof set);
            unsigned char plain = 0;
            int is_plain = fill_class(&set, p, i, end, &plain);
            uint8_t code = quantifier == '*' ? PAT_STAR : quantifier == '+' ? PAT_PLUS
                         : quantifier == '-' ? PAT_LAZY : quantifier == '?' ? PAT_OPTIONAL : PAT_SET;
            if (code == PAT_SET && is_plain) {    // a plain byte needs no set
                literal_open = was_literal;
                emit_plain(b, plain, &literal_open);
            } else {
                uint32_t index;
                *new_set(b, &index) = set;
                emit(b, code)->x = index;
            }
            i = code == PAT_SET ? end : end + 1;
        }
    }
    emit(b, PAT_MATCH);
}

pattern_size pattern_measure(const char *pattern, size_t length) {
    builder b;
    memset(&b, 0, sizeof b);
    walk(&b, (const unsigned char *)pattern, length);
    return b.size;
}

void pattern_compile(pattern_program *program, const char *pattern, size_t length) {
    builder b;
    memset(&b, 0, sizeof b);
    b.out = program;
    walk(&b, (const unsigned char *)pattern, length);
    for (size_t i = 0; i < b.size.ops; i++) {   // a one-byte literal is a CHAR
        pattern_op *op = &program->ops[i];
        if (op->code == PAT_LITERAL && op->y == 1) {
            op->code = PAT_CHAR;
            op->a = (uint8_t)program->pool[op->x];
        }
    }
    program->op_count = b.size.ops;
    program->set_count = b.size.sets;
    program->pool_length = b.size.pool;
}
