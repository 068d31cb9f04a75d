// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/catalog.h"
#include "generator/generator_runner.h"
#include "generator/simulator.h"
#include "pipeline/kafka/kafka_settings.h"
#include "pipeline/runtime/runtime.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>

namespace gm {

// What the command line asks for: the runtime's options plus how to run (window or headless,
// for how long). Shared by app/ (which parses it) and ui/ (which runs it in the window).
struct RunOptions {
    bool headless = false;
    double duration_seconds = 0; // 0: until interrupted (or until --events are produced)
    CatalogConfig catalog;
    SimulatorConfig simulator;
    GeneratorSettings generator;
    TimestampUs start_time = 0;
    // The option that set start_time ("--start", "--backfill-days"); empty: the default (now),
    // which a database with later history moves to where that history ends.
    std::string start_option;
    bool overwrite_history = false; // --overwrite-history
    int workers = 0;                // pipeline worker threads; 0: hardware cores - 1 (at least 1)
    std::string out_dir;            // non-empty: write every table as CSV files into this directory
    std::optional<std::string> database_url; // --db
    bool persist = true;                     // --no-db: false
    bool raw_events = true;                  // --no-raw-events: false
    double stop_timeout_seconds = 60;        // --stop-timeout: writing buffered rows at stop
    KafkaSettings kafka;
    bool reset_progress = false; // --reset-progress
    // --backfill-days: stop once the simulation clock reaches this time (0: no such stop).
    TimestampUs stop_at_sim_time = 0;
    // --http: serve /metrics, /health and the API (app/http); a port below 0: no server.
    std::string http_address = "127.0.0.1";
    int http_port = -1;
    std::string api_key_file; // --api-key-file: keys the API asks for; empty: none
    double api_rate = 20;     // --api-rate: requests per second per key
};

// Closed rows per table that snapshots keep when the HTTP API serves them.
inline constexpr std::size_t kHttpRecentRowsPerTable = 1000;

// The runtime a run of these options needs (the headless run and the window alike).
inline RuntimeOptions runtimeOptions(const RunOptions& options) {
    RuntimeOptions runtime;
    runtime.catalog = options.catalog;
    runtime.simulator = options.simulator;
    runtime.generator = options.generator;
    runtime.start_time = options.start_time;
    runtime.start_option = options.start_option;
    runtime.overwrite_history = options.overwrite_history;
    if (options.workers > 0) {
        runtime.pipeline.workers = options.workers;
    }
    runtime.out_dir = options.out_dir;
    runtime.persist = options.persist;
    runtime.persistence.database_url = options.database_url;
    runtime.persistence.raw_events = options.raw_events;
    runtime.kafka = options.kafka;
    runtime.reset_progress = options.reset_progress;
    if (options.http_port >= 0) {
        runtime.pipeline.recent_rows_per_table =
            std::max(runtime.pipeline.recent_rows_per_table, kHttpRecentRowsPerTable);
    }
    return runtime;
}

} // namespace gm
