// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace gm {

enum class WriterState {
    Connecting, // not connected yet (first attempt under way)
    Connected,
    Retrying, // connection lost or refused; rows wait in the buffer while it backs off
    Stopped
};

std::string_view writerStateName(WriterState state);

// A copy of the writer's state, taken under its lock: safe to read from any thread.
struct WriterStatus {
    WriterState state = WriterState::Connecting;
    // Accepted, not yet committed: in memory (including the flush in flight) plus spilled_rows.
    std::size_t buffered_rows = 0;
    std::size_t buffered_bytes = 0; // in memory
    double buffer_fill_pct = 0;     // of memory, by the tighter of the row and byte limits
    // Of buffered_rows, those waiting in the spill file (on disk, not in memory).
    std::uint64_t spilled_rows = 0;
    std::string spill_path; // empty: no spill file in use
    // Rows an earlier run left in the spill file, found at start and written first.
    std::uint64_t rows_from_earlier_run = 0;
    // One line when the spill file had a torn tail or cannot be used; empty otherwise.
    std::string spill_problem;
    double rows_per_second = 0; // committed rows, over the last few seconds
    std::uint64_t rows_written = 0;
    std::map<std::string, std::uint64_t> rows_by_table;
    std::uint64_t flushes = 0;
    std::uint64_t retries = 0; // failed attempts that will be (or were) retried
    // Rows the server rejected for their content (e.g. a value out of range) after isolating
    // them table by table; they cannot succeed by retrying and are reported here, not hidden.
    std::uint64_t rows_failed = 0;
    // Rows accepted and then lost: neither written nor kept in the spill file (stopped without a
    // usable spill file). Rows left in the spill file at stop are spilled_rows, not these.
    std::uint64_t rows_abandoned = 0;
    std::string last_error; // one line, passwords redacted; empty when none yet
};

// One line for progress output and the status bar: "db connected | 12,345 rows/s | buffer 3%".
std::string describeWriterStatus(const WriterStatus& status);

} // namespace gm
