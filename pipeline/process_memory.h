// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>

namespace gm {

// Blocks at least this large are mapped from the system on their own and unmapped when freed.
inline constexpr std::size_t kLargeBlockBytes = std::size_t{1} << 20;

// Makes the allocator give large blocks back to the system when they are freed. glibc raises
// its mmap threshold (up to 32 MiB) each time a mapped block is freed, so that a process which
// keeps replacing big vectors — window cell tables, batches, snapshot rows — soon carves them
// out of the heap instead, where freed space stays resident and fragments: bench_pipeline's
// resident set stood ~90 MiB (35 %) above what it used at 5M events. A fixed threshold ends
// that. Call once, early in main(), before threads start. Returns false where the allocator
// has no such setting (then nothing changed).
bool returnLargeBlocksToTheSystem();

} // namespace gm
