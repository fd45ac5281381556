#include <malloc.h>

#include "CSystemCalls.h"

int csys_keep_freed_memory(void) {
    int mapped = mallopt(M_MMAP_THRESHOLD, 32 << 20);
    int trimmed = mallopt(M_TRIM_THRESHOLD, 64 << 20);
    return mapped == 1 && trimmed == 1;
}
