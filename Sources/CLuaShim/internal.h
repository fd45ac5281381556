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

#endif
