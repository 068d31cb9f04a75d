// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/timestamp.h"
#include "pipeline/runtime/runtime.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gm {

// What a running backfill reports a few times a second.
struct BackfillProgress {
    enum class Phase { Generating, Writing };
    Phase phase = Phase::Generating;
    TimestampUs from = 0;
    TimestampUs to = 0;
    TimestampUs simulated = 0;     // how far simulated time has come
    std::uint64_t events = 0;      // generated so far
    std::size_t rows_to_write = 0; // Writing: rows the database has not taken yet
    double fraction() const;       // of the simulated span, 0 to 1
};

// How a backfill ended: every figure is read from the run itself after its stop.
struct BackfillResult {
    // prepare() refused the run (e.g. the span lies before the stored history): nothing was
    // generated and nothing else below is set.
    std::optional<std::string> refused;
    std::vector<std::string> notes; // the runtime's start-up notes
    bool cancelled = false;
    TimestampUs from = 0;
    TimestampUs reached = 0;        // the newest event's time
    std::uint64_t events = 0;       // events the pipeline (and the raw tables) received
    std::uint64_t orders = 0;       // of which transactions
    std::uint64_t rows_written = 0; // rows the database committed (upserts, all tables)
    bool persisted = false;         // a database was in use
    // outputLosses() of the stopped run: empty means everything generated is stored.
    std::vector<std::string> losses;
    double seconds = 0;
};

// Commands from another thread while runBackfill() runs.
struct BackfillControl {
    std::atomic<bool> cancel{false};        // stop generating; still write what was generated
    std::atomic<bool> leave_spilled{false}; // stop writing; unwritten rows stay in the spill file
};

// Runs a backfill planned by planBackfill() (backfill_plan.h) to its end, or until cancelled:
// builds the runtime, generates at full speed through the pipeline and into the database, then
// stops, flushing every open window and writing every buffered row. Blocks the calling thread;
// `progress` is called on it about five times a second. The window's Backfill dialog runs this
// on a worker thread.
BackfillResult runBackfill(const RuntimeOptions& options, TimestampUs end, BackfillControl& control,
                           const std::function<void(const BackfillProgress&)>& progress);

} // namespace gm
