// CLuaShim: the only C code between phasekit and Lua.
//
// - `clua_` one-liners wrap the Lua API macros Swift cannot import.
// - The trampoline lets Swift closures act as Lua functions: Swift returns a sentinel and the C
//   side raises, so a Lua error (a longjmp) never crosses a Swift frame.
// - The allocator, the deadline watchdog, the count hook and the guarded library functions enforce
//   a run's memory, wall-clock and instruction limits in a way a script's `pcall` cannot swallow.
#ifndef CLUASHIM_H
#define CLUASHIM_H

#include <stddef.h>
#include <stdint.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

/// Which limit a run tripped; once set it stays set for the life of the state.
typedef enum clua_limit_kind {
    CLUA_LIMIT_NONE = 0,
    CLUA_LIMIT_MEMORY = 1,
    CLUA_LIMIT_INSTRUCTIONS = 2,
    CLUA_LIMIT_TIME = 3,
} clua_limit_kind;

/// The Swift entry point every host function goes through.
/// Returns the number of results pushed, or a `CLUA_HOST_*` sentinel with the error value on top.
typedef int (*clua_host_entry)(lua_State *L, void *context);

/// Called with each complete warning (`warn(...)`, errors in finalizers).
typedef void (*clua_warning_sink)(void *context, const char *message, size_t length);

/// Host function failed: the error message is on top; the trampoline prefixes the caller's position.
#define CLUA_HOST_ERROR (-1)
/// Host function failed: the error value on top is raised as it is.
#define CLUA_HOST_RAISE (-2)

/// Long-lived host functions of one state that get a light C function of their own (see
/// `clua_push_host_function`); the others are C closures.
#define CLUA_INDEXED_HOST_FUNCTIONS 250

/// Why host functions refuse to run (`clua_runtime.refusing`); one field, so a call checks it once.
#define CLUA_REFUSE_CLOSING 1
#define CLUA_REFUSE_REPORTING 2

/// Per-state bookkeeping, owned by the Swift `LuaState` and passed to the allocator as its `ud`.
typedef struct clua_runtime {
    size_t memory_used;
    size_t memory_limit;              // bytes, 0 = unlimited
    size_t host_used;                 // bytes the host holds for the script (see LuaState+HostMemory.swift);
                                      // counted with memory_used against memory_limit
    uint64_t instructions;            // counted in steps of `hook_interval` while the count hook is armed
    uint64_t instruction_limit;       // 0 = unlimited
    double deadline;                  // CLOCK_MONOTONIC seconds, 0 = none
    int hook_interval;
    volatile int tripped;             // a clua_limit_kind; the watchdog's signal handler may set it
    int count_hook_armed;             // 1 when every instruction is counted (instruction limit, or no watchdog)
    lua_State *volatile running;      // the thread (main state or coroutine) running script code now
    int active_depth;                 // nesting of clua_pcall_traceback on this runtime
    struct clua_runtime *outer_active;// the runtime that was active on this OS thread before this one
    int host_depth;                   // > 0 while the host (Swift) is in control: allocations cannot fail;
                                      // clua_pcall_traceback sets it to 0 while script code runs
    int refusing;                     // host functions refuse to run: CLUA_REFUSE_CLOSING (set before
                                      // lua_close) or CLUA_REFUSE_REPORTING (while an error object's
                                      // __tostring runs for the report, which changes nothing)
    clua_host_entry host_entry;
    void *owner;                      // the Swift LuaState, unretained
    clua_warning_sink warning_sink;
    void *warning_context;
    char warning_buffer[1024];
    size_t warning_length;
    char limit_detail[512];           // what the run was doing when a limit tripped ("" = nothing said)
    char activity[512];               // what host code is doing now, for the backstop's message
    int backstop_watched;             // > 0 while the backstop watches this runtime (backstop.c)
    int indexed_host_functions;       // slots of host_contexts in use
    void *host_contexts[CLUA_INDEXED_HOST_FUNCTIONS]; // contexts of the indexed host functions
} clua_runtime;

// MARK: State life cycle

/// Creates a state whose allocator counts against `runtime->memory_limit`. NULL when out of memory.
lua_State *clua_newstate(clua_runtime *runtime);
/// Opens the allow-listed libraries and installs the sandbox; call through `clua_pcall_traceback`.
int clua_open_sandbox(lua_State *L);
/// Arms the limits on `L`: the count hook when an instruction limit is set (coroutines inherit
/// it), else nothing per instruction: the deadline watchdog arms a hook only once the deadline passed.
void clua_arm_limits(lua_State *L);
/// Sets the wall-clock deadline (CLOCK_MONOTONIC seconds, 0 = none), re-arming the watchdog if the
/// runtime is running script code on this thread.
void clua_set_deadline(clua_runtime *runtime, double deadline);
/// Shortens the limits so anything `lua_close` runs ends quickly, and makes host functions refuse.
void clua_prepare_close(lua_State *L);
/// Seconds on the monotonic clock.
double clua_monotonic_seconds(void);
/// Marks a limit as tripped (for host code that noticed the deadline) if none is yet.
void clua_trip(clua_runtime *runtime, int kind);
/// Whether the watchdog can serve this process (POSIX per-thread timers); else the count hook does.
int clua_watchdog_available(void);

/// The largest chunk `load`, `require` and `clua_load_text` compile (bytes): 4 MiB.
#define CLUA_MAXIMUM_CHUNK 4194304

// MARK: The backstop

/// Ends the process (exit status 1, "time limit exceeded" and where on standard error) when a
/// runtime overstays its deadline by `grace_seconds`: what the watchdog and the metered loops
/// cannot stop (a blocking system call, a C function that never returns) is stopped this way, as
/// a crash would stop it. Off until called; meant for the command line tool, never a test process.
void clua_backstop_enable(double grace_seconds);
/// Says what host code is doing now (such as a binding and its SQL statement), for the messages
/// of the backstop and of a tripped limit; NULL clears it. Cleared when each host function returns.
void clua_set_activity(clua_runtime *runtime, const char *activity);
/// Records what the run was doing for the message of a tripped limit: `prefix` then `text`
/// (truncated to the runtime's buffer); NULL text clears it.
void clua_set_limit_detail(clua_runtime *runtime, const char *prefix, const char *text);

// MARK: Calls

/// `lua_pcall` with a message handler that records the traceback in the registry.
/// The function and its `nargs` arguments are on top of the stack.
int clua_pcall_traceback(lua_State *L, int nargs, int nresults);
/// Pushes the traceback recorded by the last failed `clua_pcall_traceback` (or nil).
void clua_push_last_traceback(lua_State *L);
/// Pushes a host function that calls `runtime->host_entry` with `context`.
///
/// A long-lived one (a module's function, installed once) takes the next free slot of
/// `host_contexts` while there is one and is pushed as that slot's light C function, which finds
/// its context in the runtime without a Lua API call. Any other is a C closure over `context`.
void clua_push_host_function(lua_State *L, void *context, int long_lived);
/// Replaces the function on top with one that calls it with every argument converted to a string
/// as `tostring` does (`__tostring` included, run as script code under the run's limits).
void clua_wrap_text_arguments(lua_State *L);
/// Converts the error value on top with `tostring` semantics when it is a table or userdata with
/// a `__tostring` metamethod, in a protected call under the run's limits (so a looping
/// `__tostring` ends at the time limit), during which host functions refuse to run. Returns 0 when it left the value alone (no metamethod, or
/// a limit already tripped), 1 when it replaced it with the string, -1 when the conversion failed
/// and its error replaced the value. The recorded traceback is overwritten: read it before.
int clua_error_tostring(lua_State *L);
/// Loads a text chunk (never bytecode) from a buffer; returns a Lua status.
int clua_load_text(lua_State *L, const char *buffer, size_t length, const char *chunkname);
/// Replaces the search path used by `require` with the `count` directories given.
void clua_set_search_path(lua_State *L, const char *const *directories, int count);
/// Pushes a read-only proxy of the table at `index`: a userdata (so `rawset` refuses it) whose
/// writes raise and whose `__metatable` is locked.
void clua_push_readonly_proxy(lua_State *L, int index);
/// Tables nested deeper than this are not copied by `clua_push_table_copy`.
#define CLUA_MAXIMUM_COPY_DEPTH 100
/// Pushes a deep copy of the table kept at registry `reference` (raw access: no metamethod runs;
/// nested tables are copied, keys and other values shared). Returns 0 and pushes nothing when the
/// value is not a table or is nested deeper than CLUA_MAXIMUM_COPY_DEPTH. Call with host
/// allocations: a memory error would be raised.
int clua_push_table_copy(lua_State *L, int reference);
/// Writes "source:line" of the Lua function `level` levels up into `buffer`; 0 if none.
int clua_where(lua_State *L, int level, char *buffer, size_t size);

// MARK: Macro wrappers

static inline void clua_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline void clua_newtable(lua_State *L) { lua_newtable(L); }
static inline int clua_isnoneornil(lua_State *L, int index) { return lua_isnoneornil(L, index); }
static inline int clua_upvalueindex(int i) { return lua_upvalueindex(i); }
static inline int clua_registryindex(void) { return LUA_REGISTRYINDEX; }
/// An integer argument: a number with an exact integer value (never a string converted); `ok` is 0 otherwise.
typedef struct clua_integer_argument { lua_Integer value; int ok; } clua_integer_argument;
static inline clua_integer_argument clua_integer_at(lua_State *L, int index) {
    int isnum = 0;
    clua_integer_argument argument;
    argument.value = lua_tointegerx(L, index, &isnum);
    argument.ok = isnum != 0 && lua_type(L, index) == LUA_TNUMBER;
    return argument;
}
static inline lua_Number clua_tonumber(lua_State *L, int index, int *isnum) { return lua_tonumberx(L, index, isnum); }
static inline int clua_ok(void) { return LUA_OK; }
static inline int clua_multret(void) { return LUA_MULTRET; }
static inline void clua_pushglobaltable(lua_State *L) { lua_pushglobaltable(L); }
/// The runtime of `L`, kept in the state's extra space (which every coroutine copies from the
/// main thread when it is created), so finding it costs no call into Lua.
static inline clua_runtime *clua_runtime_of(lua_State *L) {
    return *(clua_runtime **)lua_getextraspace(L);
}

#endif
