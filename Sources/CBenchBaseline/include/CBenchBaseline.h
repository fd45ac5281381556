// The benchmark's baseline, in C: the same Lua loop as phasekit's binding benchmark, calling a
// plain lua_CFunction registered with the raw C API.
#ifndef CBENCHBASELINE_H
#define CBENCHBASELINE_H
#include <stdint.h>
/// Runs `for i = 1, iterations do s = s + echo(i) end` against a raw C function and returns the
/// elapsed nanoseconds (or -1 on error).
int64_t cbench_raw_loop(int64_t iterations);
/// The same loop with an empty count hook every `hook_interval` instructions, as phasekit arms
/// for its run limits: separates the VM's hook cost from the cost of the binding call itself.
int64_t cbench_hooked_loop(int64_t iterations, int hook_interval);
#endif
