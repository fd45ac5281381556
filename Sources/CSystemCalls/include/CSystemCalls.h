#ifndef CSYSTEMCALLS_H
#define CSYSTEMCALLS_H

/// The Linux system calls Swift's Glibc module does not export (they need _GNU_SOURCE).
/// Each wrapper does one thing; SystemCalls' `SystemCall` turns their status into errors.

/// pipe2(2): a pipe whose ends get `flags` (O_CLOEXEC, O_NONBLOCK) atomically, so that a child
/// spawned at the same moment on another thread never inherits them. Returns 0 or -1 with errno.
int csys_pipe2(int descriptors[2], int flags);

#endif
