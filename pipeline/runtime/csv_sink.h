// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/row_sink.h"
#include "pipeline/rows.h"

#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace gm {

// One RFC 4180 CSV file per table (<directory>/<table>.csv): UTF-8, CRLF line ends, a header
// row, fields quoted when they hold a comma, quote or line break, NULL as an empty field,
// timestamps ISO 8601 UTC with Z. Files are created on open; rows are appended as they come
// (alerts: a line per change of an alert, the last line of an alert_id is its current state).
//
// Every write, flush and close is checked. The first that fails (a full disk, a quota, an I/O
// error) is kept as failure() and the sink stops writing: a file is then incomplete, possibly
// cut mid-row, and whoever runs the sink must say so and end the run with a non-zero code.
class CsvSink : public RowSink {
public:
    // Creates the directory if needed; throws std::runtime_error naming the path and the
    // reason ("--out-dir: cannot create /x/sales_per_minute.csv: Permission denied").
    explicit CsvSink(const std::string& directory);
    ~CsvSink() override;
    void consume(const RowBatch& rows) override;
    // Flushes and closes every file.
    void finish() override;

    // "cannot write /x/sales_per_minute.csv: No space left on device"; nothing while all is
    // well. Thread-safe (the pipeline thread writes, others ask).
    std::optional<std::string> failure() const;

private:
    struct FileCloser {
        void operator()(std::FILE* file) const { std::fclose(file); }
    };
    void write(std::size_t table, const std::string& line);
    void fail(std::size_t table, const char* what, int error_number);

    std::array<std::unique_ptr<std::FILE, FileCloser>, kTableCount> files_;
    std::array<std::filesystem::path, kTableCount> paths_;
    std::string line_; // scratch
    std::atomic<bool> failed_{false};
    mutable std::mutex failure_mutex_;
    std::string failure_; // under failure_mutex_
};

} // namespace gm
