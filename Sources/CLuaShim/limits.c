// Memory, instruction and wall-clock limits.
//
// The allocator refuses growth past the memory limit (Lua turns that into a memory error; what the
// host holds for the script, `host_used`, counts against the same limit), except
// while Swift host code runs: then allocations cannot fail, so no memory error can longjmp through
// a Swift frame; the trampoline checks the limit when the host returns. The count hook checks the
// instruction budget and the deadline; it is armed from the start only when an instruction limit
// is set, and otherwise by the watchdog (watchdog.c) once the deadline has passed. A tripped limit
// is sticky: every later hook, allocation and guarded `pcall` raises again, so a script cannot
// swallow it.
#include "internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double clua_monotonic_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/// Safe in a signal handler: one store to a volatile int.
void clua_trip(clua_runtime *runtime, int kind) {
    if (runtime->tripped == CLUA_LIMIT_NONE) runtime->tripped = kind;
}

static void *clua_allocate(void *ud, void *ptr, size_t osize, size_t nsize) {
    clua_runtime *runtime = (clua_runtime *)ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        runtime->memory_used -= old;
        return NULL;
    }
    if (nsize > old && runtime->host_depth == 0) {
        if (runtime->tripped == CLUA_LIMIT_MEMORY) return NULL;
        if (runtime->memory_limit != 0 && runtime->memory_used + runtime->host_used - old + nsize > runtime->memory_limit) {
            clua_trip(runtime, CLUA_LIMIT_MEMORY);
            return NULL;
        }
    }
    void *block = realloc(ptr, nsize);
    if (block == NULL) {
        // Host code must never see a Lua memory error; a real out-of-memory there is fatal.
        if (runtime->host_depth > 0) abort();
        clua_trip(runtime, CLUA_LIMIT_MEMORY);
        return NULL;
    }
    runtime->memory_used = runtime->memory_used - old + nsize;
    return block;
}

static void clua_collect_warning(void *ud, const char *message, int tocont) {
    clua_runtime *runtime = (clua_runtime *)ud;
    if (runtime->warning_length == 0 && !tocont && message[0] == '@') return; // control message
    size_t room = sizeof(runtime->warning_buffer) - 1 - runtime->warning_length;
    size_t length = strlen(message);
    if (length > room) length = room;
    memcpy(runtime->warning_buffer + runtime->warning_length, message, length);
    runtime->warning_length += length;
    if (!tocont) {
        if (runtime->warning_sink) {
            runtime->warning_sink(runtime->warning_context, runtime->warning_buffer, runtime->warning_length);
        }
        runtime->warning_length = 0;
    }
}

lua_State *clua_newstate(clua_runtime *runtime) {
    runtime->host_depth++;
    lua_State *L = lua_newstate(clua_allocate, runtime);
    if (L) {
        *(clua_runtime **)lua_getextraspace(L) = runtime;
        lua_setwarnf(L, clua_collect_warning, runtime);
    }
    runtime->host_depth--;
    return L;
}

void clua_set_limit_detail(clua_runtime *runtime, const char *prefix, const char *text) {
    size_t size = sizeof(runtime->limit_detail);
    if (text == NULL) {
        runtime->limit_detail[0] = '\0';
        return;
    }
    snprintf(runtime->limit_detail, size, "%s%s", prefix, text);
}

void clua_set_activity(clua_runtime *runtime, const char *activity) {
    if (activity == NULL) {
        runtime->activity[0] = '\0';
        return;
    }
    snprintf(runtime->activity, sizeof(runtime->activity), "%s", activity);
}

int clua_raise_tripped(lua_State *L) {
    clua_runtime *runtime = clua_runtime_of(L);
    const char *message = "limit exceeded";
    switch (runtime->tripped) {
        case CLUA_LIMIT_MEMORY: message = "memory limit exceeded"; break;
        case CLUA_LIMIT_INSTRUCTIONS: message = "instruction limit exceeded"; break;
        case CLUA_LIMIT_TIME: message = "time limit exceeded"; break;
    }
    runtime->host_depth++;   // the message must be allocated even when memory is exhausted
    // The position of the innermost Lua function: a limit raised in a library function or a
    // binding names the script line that called it.
    lua_Debug ar;
    int found = 0;
    for (int level = 0; level < 8 && lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
            found = 1;
            break;
        }
    }
    if (found) {
        lua_pushfstring(L, "%s:%d: %s", ar.short_src, ar.currentline, message);
    } else {
        lua_pushstring(L, message);
    }
    if (runtime->limit_detail[0] != '\0') {
        lua_pushfstring(L, " (%s)", runtime->limit_detail);
        lua_concat(L, 2);
    }
    runtime->host_depth--;
    return lua_error(L);
}

void clua_count_and_check(lua_State *L, uint64_t steps) {
    clua_runtime *runtime = clua_runtime_of(L);
    runtime->instructions += steps;
    if (runtime->tripped == CLUA_LIMIT_NONE) {
        if (runtime->instruction_limit != 0 && runtime->instructions > runtime->instruction_limit) {
            clua_trip(runtime, CLUA_LIMIT_INSTRUCTIONS);
        } else if (runtime->deadline > 0 && clua_monotonic_seconds() > runtime->deadline) {
            clua_trip(runtime, CLUA_LIMIT_TIME);
        }
    }
    if (runtime->tripped != CLUA_LIMIT_NONE) clua_raise_tripped(L);
}

void clua_limit_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    clua_count_and_check(L, (uint64_t)clua_runtime_of(L)->hook_interval);
}

void clua_arm_count_hook(lua_State *L) {
    clua_runtime *runtime = clua_runtime_of(L);
    runtime->count_hook_armed = 1;
    lua_sethook(L, clua_limit_hook, LUA_MASKCOUNT, runtime->hook_interval);
}

void clua_arm_limits(lua_State *L) {
    clua_runtime *runtime = clua_runtime_of(L);
    if (runtime->hook_interval <= 0) runtime->hook_interval = 1000;
    if (runtime->instruction_limit != 0) clua_arm_count_hook(L);
}

void clua_prepare_close(lua_State *L) {
    clua_runtime *runtime = clua_runtime_of(L);
    runtime->refusing = CLUA_REFUSE_CLOSING;
    // Closing needs a little memory (finalizer calls grow the stack); a refused allocation outside
    // a protected call would make Lua panic. Finalizers get a bounded margin instead.
    if (runtime->tripped == CLUA_LIMIT_MEMORY) runtime->tripped = CLUA_LIMIT_NONE;
    if (runtime->memory_limit != 0) {
        size_t used = runtime->memory_used + runtime->host_used;
        size_t floor = used > runtime->memory_limit ? used : runtime->memory_limit;
        runtime->memory_limit = floor + 64u * 1024u * 1024u;
    }
    double soon = clua_monotonic_seconds() + 1.0;
    if (runtime->deadline == 0 || runtime->deadline > soon) runtime->deadline = soon;
    uint64_t budget = runtime->instructions + 10000000u;
    if (runtime->instruction_limit == 0 || runtime->instruction_limit > budget) runtime->instruction_limit = budget;
    // No watchdog runs during lua_close: anything it runs is counted by the hook.
    clua_arm_count_hook(L);
}
