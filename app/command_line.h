// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/catalog.h"
#include "generator/generator_runner.h"
#include "generator/simulator.h"
#include "pipeline/runtime/run_options.h"

#include <QStringList>
#include <optional>
#include <string>

namespace gm {

struct CommandLineResult {
    std::optional<RunOptions> options; // set when the program should run
    std::string output;                // --help / --version text for stdout
    std::string error;                 // one line naming the option and the problem
    int exit_code = 0;                 // 0 after --help/--version, 2 on a bad option
    bool reference_data_given = false; // --reference-data: the window's setting is not used
};

// Parses argv (including argv[0]). Never exits the process; main() decides.
CommandLineResult parseCommandLine(const QStringList& arguments);

} // namespace gm
