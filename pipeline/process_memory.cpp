// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/process_memory.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace gm {

bool returnLargeBlocksToTheSystem() {
#if defined(__GLIBC__)
    // Setting either value explicitly also switches off glibc's dynamic threshold.
    const bool mapped = mallopt(M_MMAP_THRESHOLD, static_cast<int>(kLargeBlockBytes)) == 1;
    // Free space at the top of the heap beyond this is returned at once, as glibc's default
    // (twice the threshold) would with the dynamic threshold at its start value.
    const bool trimmed = mallopt(M_TRIM_THRESHOLD, static_cast<int>(2 * kLargeBlockBytes)) == 1;
    return mapped && trimmed;
#else
    return false;
#endif
}

} // namespace gm
