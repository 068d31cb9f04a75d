// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/row_sink.h"
#include "pipeline/rows.h"

#include <array>
#include <cstdio>
#include <memory>
#include <string>

namespace gm {

// One RFC 4180 CSV file per table (<directory>/<table>.csv): UTF-8, CRLF line ends, a header
// row, fields quoted when they hold a comma, quote or line break, NULL as an empty field,
// timestamps ISO 8601 UTC with Z. Files are created on open; rows are appended as they come
// (alerts: a line per change of an alert, the last line of an alert_id is its current state).
class CsvSink : public RowSink {
public:
    // Creates the directory if needed; throws std::runtime_error when it cannot write there.
    explicit CsvSink(const std::string& directory);
    ~CsvSink() override;
    void consume(const RowBatch& rows) override;
    void finish() override;

private:
    struct FileCloser {
        void operator()(std::FILE* file) const { std::fclose(file); }
    };
    std::array<std::unique_ptr<std::FILE, FileCloser>, kTableCount> files_;
};

} // namespace gm
