// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

namespace gm {

// This process as the kernel counts it (Linux /proc/self), whatever the window does.
struct ProcessFigures {
    double resident_bytes = 0;
    double cpu_seconds = 0;        // user + system
    double start_time_seconds = 0; // since the Unix epoch
    double open_fds = 0;
};

std::optional<ProcessFigures> readProcessFigures();

} // namespace gm
