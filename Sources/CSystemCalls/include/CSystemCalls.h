#ifndef CSYSTEMCALLS_H
#define CSYSTEMCALLS_H

/// The Linux system calls Swift's Glibc module does not export (they need _GNU_SOURCE).
/// Each wrapper does one thing; SystemCalls' `SystemCall` turns their status into errors.

/// pipe2(2): a pipe whose ends get `flags` (O_CLOEXEC, O_NONBLOCK) atomically, so that a child
/// spawned at the same moment on another thread never inherits them. Returns 0 or -1 with errno.
int csys_pipe2(int descriptors[2], int flags);

/// fcntl(2) F_SETPIPE_SZ: makes the pipe of `descriptor` hold `bytes` (rounded up to pages).
/// Returns the size it now holds, or -1 with errno (EPERM past /proc/sys/fs/pipe-max-size for
/// a process without CAP_SYS_RESOURCE).
int csys_set_pipe_size(int descriptor, int bytes);

/// mallopt(3): allocations up to 32 MiB come from the heap, and up to 64 MiB freed at its top
/// stays there, so that a run's megabyte-sized buffers (an agent's answer, its decoding, a
/// report) reuse pages instead of faulting in fresh ones for each. Returns 1 when both were set.
int csys_keep_freed_memory(void);

#endif
