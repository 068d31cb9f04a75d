// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/catalog.h"
#include "generator/generator_runner.h"
#include "generator/simulator.h"
#include "pipeline/kafka/kafka_settings.h"
#include "pipeline/runtime/runtime.h"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
    // --warehouse-db: the warehouse's own database (nothing: schema "warehouse" of the run's).
    std::optional<std::string> warehouse_database_url;
    bool persist = true;              // --no-db: false
    bool raw_events = true;           // --no-raw-events: false
    double stop_timeout_seconds = 60; // --stop-timeout: writing buffered rows at stop
    KafkaSettings kafka;
    bool reset_progress = false; // --reset-progress
    // --backfill-days: stop once the simulation clock reaches this time (0: no such stop).
    TimestampUs stop_at_sim_time = 0;
    // --http: serve /metrics, /health and the API (app/http); a port below 0: no server.
    std::string http_address = "127.0.0.1";
    int http_port = -1;
    std::string api_key_file; // --api-key-file: keys the API asks for; empty: none
    double api_rate = 20;     // --api-rate: requests per second per key
    // Keys the API also accepts besides --api-key-file's: the window's Settings (never the
    // command line, where every user of the machine could read them).
    std::vector<std::string> api_keys;
    std::string webhook_url; // --webhook (or Settings): post each new alert there; empty: none
    // Set by whoever runs the options (not the command line): sees every batch of rows on the
    // pipeline thread (RuntimeOptions::row_observer), e.g. the webhook notifier.
    std::function<void(const RowBatch&)> row_observer;
    // Set with row_observer when a webhook is fed: what became of its alerts so far, one line
    // (the window's System page shows it; /metrics has the same counts).
    std::function<std::string()> webhook_status;
};

// One line naming what is wrong with a webhook URL (the caller prefixes the option or field);
// nothing when it is an http:// or https:// URL with a host.
inline std::optional<std::string> webhookUrlProblem(const std::string& url) {
    const auto scheme_end = url.find("://");
    const std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
    const std::string rest = scheme_end == std::string::npos ? "" : url.substr(scheme_end + 3);
    const std::string host = rest.substr(0, rest.find_first_of("/:?#"));
    const bool printable =
        std::all_of(url.begin(), url.end(), [](char c) { return c > ' ' && c != 127; });
    if ((scheme != "http" && scheme != "https") || host.empty() || !printable) {
        return "'" + url + "' is not an http:// or https:// URL with a host";
    }
    return std::nullopt;
}

// What an API key must be: 16 to 256 printable ASCII characters without spaces. The message
// never repeats the key (keys are secrets).
inline std::optional<std::string> apiKeyProblem(std::string_view key) {
    const bool printable =
        std::all_of(key.begin(), key.end(), [](char c) { return c > ' ' && c < 127; });
    if (key.size() < 16 || key.size() > 256 || !printable) {
        return "a key needs 16 to 256 printable ASCII characters without spaces";
    }
    return std::nullopt;
}

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
    runtime.warehouse_database_url = options.warehouse_database_url;
    runtime.kafka = options.kafka;
    runtime.reset_progress = options.reset_progress;
    runtime.row_observer = options.row_observer;
    if (options.http_port >= 0) {
        runtime.pipeline.recent_rows_per_table =
            std::max(runtime.pipeline.recent_rows_per_table, kHttpRecentRowsPerTable);
    }
    return runtime;
}

} // namespace gm
