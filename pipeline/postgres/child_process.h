// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gm {

struct ProcessResult {
    int exit_code = -1; // -1: could not be started or was killed by a signal
    std::string output; // stdout and stderr together, as written
};

// Runs a program (argv[0] is a path or a name looked up in PATH) with no shell in between, so
// arguments need no quoting; waits for it and returns what it printed.
ProcessResult runProcess(const std::vector<std::string>& argv);

} // namespace gm
