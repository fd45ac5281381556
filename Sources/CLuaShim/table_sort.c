// table.sort, metered, with stock Lua 5.4's observable behaviour.
//
// A script sees more of a sort than its result: the order in which equal elements end up, which
// pairs its order function is asked about, and the error "invalid order function for sorting"
// when that function is inconsistent. To show the same as stock Lua, this is the quicksort stock
// Lua 5.4 documents by its behaviour: the first, middle and last elements of a range are put in
// order (the middle one becomes the pivot and is parked next to the last), then a two-sided
// partition scans inwards from both ends; an element that claims to come before the pivot at the
// pivot's own slot, or a scan that crosses the other, is an inconsistent order function. The
// smaller side is sorted by a call and the larger one by the loop, so the C recursion stays within
// log2(n) levels. A range split very unevenly gets its later pivots from an unpredictable offset
// inside the middle half, so no input can force quadratic work every time. Every comparison is
// metered against the run's limits (a large list sorts past the deadline otherwise).
#include "internal.h"
#include <limits.h>
#include <time.h>

/// Ranges shorter than this take the middle element as pivot even after an uneven split.
#define SORT_RANDOM_PIVOT_FROM 100u

typedef struct sort_state {
    lua_State *L;
    int has_order;          // argument 2 is the order function
    clua_meter meter;
} sort_state;

/// Pushes list[i] (through `__index` where the list has one).
static void push_element(sort_state *sort, lua_Integer i) {
    lua_geti(sort->L, 1, i);
}

/// Pops the top value into list[first], then the one below it into list[second].
static void store_two(sort_state *sort, lua_Integer first, lua_Integer second) {
    lua_seti(sort->L, 1, first);
    lua_seti(sort->L, 1, second);
}

/// Whether the value at stack index `a` comes before the one at `b` (both negative, counted
/// before anything is pushed here): the order function's answer, or `a < b`.
static int comes_before(sort_state *sort, int a, int b) {
    lua_State *L = sort->L;
    clua_meter_add(L, &sort->meter, 1);
    if (!sort->has_order) return lua_compare(L, a, b, LUA_OPLT);
    lua_pushvalue(L, 2);
    lua_pushvalue(L, a - 1);
    lua_pushvalue(L, b - 2);
    lua_call(L, 2, 1);
    int before = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return before;
}

static int invalid_order(lua_State *L) {
    return luaL_error(L, "invalid order function for sorting");
}

/// An unpredictable number, for the pivot of a range after an uneven split.
static unsigned int pivot_noise(void) {
    unsigned int clock_bits = (unsigned int)clock();
    unsigned int time_bits = (unsigned int)time(NULL);
    return clock_bits * 2654435761u + time_bits;
}

/// Splits list[low..high] around the pivot P, which sits on the stack top and in list[high - 1]:
/// afterwards list[low..k-1] do not come after P, list[k] is P, and list[k+1..high] do not come
/// before it. Returns k; P is popped.
static lua_Integer partition(sort_state *sort, lua_Integer low, lua_Integer high) {
    lua_State *L = sort->L;
    lua_Integer left = low, right = high - 1;
    for (;;) {
        // Left scan: skip elements that come before P (P sits at high - 1, so the scan stops there).
        for (;;) {
            push_element(sort, ++left);
            if (!comes_before(sort, -1, -2)) break;
            if (left == high - 1) invalid_order(L);
            lua_pop(L, 1);
        }
        // Right scan: skip elements that P comes before (list[low] stops it, unless inconsistent).
        for (;;) {
            push_element(sort, --right);
            if (!comes_before(sort, -3, -1)) break;
            if (right < left) invalid_order(L);
            lua_pop(L, 1);
        }
        if (right < left) {                    // the scans crossed: P goes to list[left]
            lua_pop(L, 1);
            store_two(sort, high - 1, left);   // list[high-1] = list[left]; list[left] = P
            return left;
        }
        store_two(sort, left, right);          // swap the two out-of-place elements
    }
}

/// Orders list[low], list[middle] and list[high] among themselves; returns 1 when the range is
/// then sorted (it has at most three elements).
static int order_ends_and_middle(sort_state *sort, lua_Integer low, lua_Integer middle, lua_Integer high) {
    lua_State *L = sort->L;
    push_element(sort, low);
    push_element(sort, high);
    if (comes_before(sort, -1, -2)) store_two(sort, low, high); else lua_pop(L, 2);
    if (high - low == 1) return 1;
    push_element(sort, middle);
    push_element(sort, low);
    if (comes_before(sort, -2, -1)) {
        store_two(sort, middle, low);
    } else {
        lua_pop(L, 1);
        push_element(sort, high);
        if (comes_before(sort, -1, -2)) store_two(sort, middle, high); else lua_pop(L, 2);
    }
    return high - low == 2;
}

static void sort_range(sort_state *sort, lua_Integer low, lua_Integer high, unsigned int noise) {
    lua_State *L = sort->L;
    while (low < high) {
        lua_Integer span = high - low;
        lua_Integer middle = low + span / 2;
        if ((lua_Unsigned)span >= SORT_RANDOM_PIVOT_FROM && noise != 0) {
            lua_Unsigned quarter = (lua_Unsigned)span / 4;
            middle = low + (lua_Integer)quarter + (lua_Integer)(noise % (unsigned int)(quarter * 2));
        }
        if (order_ends_and_middle(sort, low, middle, high)) return;
        push_element(sort, middle);            // the pivot P, kept on the stack by partition
        lua_pushvalue(L, -1);
        push_element(sort, high - 1);
        store_two(sort, middle, high - 1);     // list[middle] = list[high-1]; list[high-1] = P
        lua_Integer split = partition(sort, low, high);
        lua_Integer smaller;
        if (split - low < high - split) {
            sort_range(sort, low, split - 1, noise);
            smaller = split - low;
            low = split + 1;
        } else {
            sort_range(sort, split + 1, high, noise);
            smaller = high - split;
            high = split - 1;
        }
        if ((high - low) / 128 > smaller) noise = pivot_noise();
    }
}

/// table.sort(list [, comp]): in place, from list[1] to list[#list]; not stable.
int clua_table_sort(lua_State *L) {
    clua_check_list(L, 1, CLUA_LIST_READ | CLUA_LIST_WRITE | CLUA_LIST_LENGTH);
    lua_Integer size = luaL_len(L, 1);
    if (size <= 1) return 0;
    luaL_argcheck(L, size < INT_MAX, 1, "array too big");
    if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    sort_state sort = { L, !lua_isnil(L, 2), {0} };
    sort_range(&sort, 1, size, 0);
    return 0;
}
