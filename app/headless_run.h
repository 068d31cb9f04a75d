// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/command_line.h"

#include <atomic>
#include <cstdio>

namespace gm {

// Runs generator -> consumer without a window, printing one progress line a second and a summary
// at the end. Returns the process exit code. Stops early when `interrupted` becomes true.
int runHeadless(const RunOptions& options, std::FILE* out, const std::atomic<bool>& interrupted);

} // namespace gm
