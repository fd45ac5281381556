#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

#include "CSystemCalls.h"

int csys_pipe2(int descriptors[2], int flags) {
    return pipe2(descriptors, flags);
}

int csys_set_pipe_size(int descriptor, int bytes) {
    return fcntl(descriptor, F_SETPIPE_SZ, bytes);
}
