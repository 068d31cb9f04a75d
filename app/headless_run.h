// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/command_line.h"

#include <atomic>
#include <cstdio>

namespace gm {

// Runs generator -> consumer without a window, printing one progress line a second and a summary
// at the end. Stops early when `interrupted` becomes true; while the stop writes buffered rows,
// `interrupted_again` (or `interrupted`, for a run that ended by itself) leaves the rest in the
// spill file. Returns the process exit code: 0, or 1 when rows were not persisted (spilled,
// lost, or refused by the server).
int runHeadless(const RunOptions& options, std::FILE* out, const std::atomic<bool>& interrupted,
                const std::atomic<bool>* interrupted_again = nullptr);

} // namespace gm
