// Functions the shim's C files share; not part of the interface Swift imports.
#ifndef CLUASHIM_INTERNAL_H
#define CLUASHIM_INTERNAL_H

#include "CLuaShim.h"

/// Raises the error for the tripped limit; never returns.
int clua_raise_tripped(lua_State *L);
/// The count hook: counts instructions, checks the deadline, raises a tripped limit (limits.c).
void clua_limit_hook(lua_State *L, lua_Debug *ar);
/// Arms the count hook on `L` every `hook_interval` instructions and records that it is armed.
void clua_arm_count_hook(lua_State *L);
/// Counts `steps` against the instruction limit, checks the deadline, and raises a tripped limit.
void clua_count_and_check(lua_State *L, uint64_t steps);
/// Marks `L` as the thread running script code and returns the one it replaces. The outermost
/// entry on an OS thread arms the deadline watchdog for that thread.
lua_State *clua_enter_script(lua_State *L);
/// Undoes `clua_enter_script`; the outermost exit disarms the watchdog.
void clua_leave_script(lua_State *L, lua_State *previous);
/// Marks coroutine `co` as the running thread before it is resumed or closed. Returns 0, with
/// nothing changed, when a limit has already tripped (the caller raises it).
int clua_switch_to(lua_State *L, lua_State *co, lua_State **previous);
/// Marks `previous` as the running thread again after a coroutine switch.
void clua_switch_back(lua_State *L, lua_State *previous);


/// Work a library loop does between two checks of the limits (see `clua_meter_add`).
#define CLUA_METER_STEP 4096u

/// Counts the work of a C library loop (elements moved, comparisons made, kilobytes copied), so a
/// loop that runs no Lua instruction still ends at the deadline or the instruction limit.
typedef struct clua_meter { uint32_t units; } clua_meter;

/// Adds `units` of work; every `CLUA_METER_STEP` units, or at once when the watchdog tripped a
/// limit, checks the limits and raises a tripped one (`clua_count_and_check`).
static inline void clua_meter_add(lua_State *L, clua_meter *meter, uint32_t units) {
    meter->units += units;
    if (meter->units >= CLUA_METER_STEP || clua_runtime_of(L)->tripped != CLUA_LIMIT_NONE) {
        uint32_t done = meter->units;
        meter->units = 0;
        clua_count_and_check(L, done);
    }
}

/// Install the shim's bounded versions of the library functions whose loops are otherwise
/// unbounded (strings.c, tables.c) into the library table at stack index `library`.
void clua_replace_string_functions(lua_State *L, int library);
void clua_replace_os_functions(lua_State *L, int library);
void clua_replace_table_functions(lua_State *L, int library);
/// What a table function does with its list: read, write, take the length (`clua_check_list`).
enum { CLUA_LIST_READ = 1, CLUA_LIST_WRITE = 2, CLUA_LIST_LENGTH = 4 };
/// Raises "table expected" unless argument `index` is a table or has the metamethods `uses` needs (tables.c).
void clua_check_list(lua_State *L, int index, int uses);
/// The sandbox's pcall, and pushes its xpcall (protected_calls.c).
int clua_guarded_pcall(lua_State *L);
void clua_push_guarded_xpcall(lua_State *L);
/// table.sort (table_sort.c).
int clua_table_sort(lua_State *L);
/// The sandbox's `load` and `require`, and the table of loaded modules (loading.c).
int clua_sandbox_load(lua_State *L);
int clua_sandbox_require(lua_State *L);
void clua_init_loaded_modules(lua_State *L);
/// The backstop (backstop.c) watches a runtime while it runs script code or compiles a chunk.
void clua_backstop_watch(clua_runtime *runtime);
void clua_backstop_unwatch(clua_runtime *runtime);
/// Tells the backstop a watched runtime's deadline moved.
void clua_backstop_deadline_changed(void);

#endif
