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
    std::size_t buffered_rows = 0; // accepted, not yet committed (includes the flush in flight)
    std::size_t buffered_bytes = 0;
    double buffer_fill_pct = 0; // of the tighter of the row and byte limits
    double rows_per_second = 0; // committed rows, over the last few seconds
    std::uint64_t rows_written = 0;
    std::map<std::string, std::uint64_t> rows_by_table;
    std::uint64_t flushes = 0;
    std::uint64_t retries = 0; // failed attempts that will be (or were) retried
    // Rows the server rejected for their content (e.g. a value out of range) after isolating
    // them table by table; they cannot succeed by retrying and are reported here, not hidden.
    std::uint64_t rows_failed = 0;
    // Rows still buffered when stop() gave up on an unreachable server.
    std::uint64_t rows_abandoned = 0;
    std::string last_error; // one line, passwords redacted; empty when none yet
};

// One line for progress output and the status bar: "db connected | 12,345 rows/s | buffer 3%".
std::string describeWriterStatus(const WriterStatus& status);

} // namespace gm
