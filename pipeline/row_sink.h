// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/rows.h"

#include <vector>

namespace gm {

// Where closed-window rows go: memory, CSV files, PostgreSQL. consume() is called on the
// pipeline's thread, once per batch of rows, in emission order; it may block (back-pressure)
// but must not keep references to the batch.
class RowSink {
public:
    virtual ~RowSink() = default;
    virtual void consume(const RowBatch& rows) = 0;
    // Called once after the final flush.
    virtual void finish() {}
};

// Hands every batch to several sinks in turn.
class FanOutSink : public RowSink {
public:
    void add(RowSink& sink) { sinks_.push_back(&sink); }
    void consume(const RowBatch& rows) override {
        for (RowSink* sink : sinks_) {
            sink->consume(rows);
        }
    }
    void finish() override {
        for (RowSink* sink : sinks_) {
            sink->finish();
        }
    }

private:
    std::vector<RowSink*> sinks_;
};

} // namespace gm
