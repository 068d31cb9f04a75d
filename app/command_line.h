// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/catalog.h"
#include "generator/generator_runner.h"
#include "generator/simulator.h"
#include "pipeline/kafka/kafka_settings.h"
#include "pipeline/runtime.h"

#include <QStringList>
#include <optional>
#include <string>

namespace gm {

struct RunOptions {
    bool headless = false;
    double duration_seconds = 0; // 0: until interrupted (or until --events are produced)
    CatalogConfig catalog;
    SimulatorConfig simulator;
    GeneratorSettings generator;
    TimestampUs start_time = 0;
    int workers = 0;     // pipeline worker threads; 0: hardware cores - 1 (at least 1)
    std::string out_dir; // non-empty: write every table as CSV files into this directory
    std::optional<std::string> database_url; // --db
    bool persist = true;                     // --no-db: false
    bool raw_events = true;                  // --no-raw-events: false
    KafkaSettings kafka;
};

// The runtime a run of these options needs (shared by the headless run and the window).
RuntimeOptions runtimeOptions(const RunOptions& options);

struct CommandLineResult {
    std::optional<RunOptions> options; // set when the program should run
    std::string output;                // --help / --version text for stdout
    std::string error;                 // one line naming the option and the problem
    int exit_code = 0;                 // 0 after --help/--version, 2 on a bad option
};

// Parses argv (including argv[0]). Never exits the process; main() decides.
CommandLineResult parseCommandLine(const QStringList& arguments);

} // namespace gm
