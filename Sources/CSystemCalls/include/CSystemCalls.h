#ifndef CSYSTEMCALLS_H
#define CSYSTEMCALLS_H

/// The Linux system calls Swift's Glibc module does not export (they need _GNU_SOURCE).
/// Each wrapper does one thing; SystemCalls' `SystemCall` turns their status into errors.

/// pipe2(2): a pipe whose ends get `flags` (O_CLOEXEC, O_NONBLOCK) atomically, so that a child
/// spawned at the same moment on another thread never inherits them. Returns 0 or -1 with errno.
int csys_pipe2(int descriptors[2], int flags);

/// mallopt(3): allocations up to 32 MiB come from the heap, and up to 64 MiB freed at its top
/// stays there, so that a run's megabyte-sized buffers (an agent's answer, its decoding, a
/// report) reuse pages instead of faulting in fresh ones for each. Returns 1 when both were set.
int csys_keep_freed_memory(void);

#endif
