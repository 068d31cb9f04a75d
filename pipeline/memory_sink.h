// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/row_sink.h"

#include <mutex>

namespace gm {

// Keeps every row in memory (tests, small runs, exports). Thread-safe reads.
class MemorySink : public RowSink {
public:
    void consume(const RowBatch& rows) override {
        std::lock_guard lock(mutex_);
        rows_.append(rows);
    }
    RowBatch rows() const {
        std::lock_guard lock(mutex_);
        return rows_;
    }
    // Moves the rows out, leaving the sink empty.
    RowBatch take() {
        std::lock_guard lock(mutex_);
        RowBatch taken = std::move(rows_);
        rows_.clear();
        return taken;
    }

private:
    mutable std::mutex mutex_;
    RowBatch rows_;
};

} // namespace gm
