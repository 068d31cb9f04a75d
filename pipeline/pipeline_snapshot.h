// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/pipeline_counters.h"
#include "pipeline/rows.h"

#include <memory>

namespace gm {

// What the UI reads, ~10 times a second: immutable once published, shared by pointer.
struct PipelineSnapshot {
    std::uint64_t number = 0;      // publication count
    TimestampUs produced_at = 0;   // simulation clock
    std::uint64_t events_seen = 0; // events processed so far
    // Stream sequence (EventBatch::first_sequence + size) up to which events are included.
    std::uint64_t through_sequence = 0;
    PipelineFigures figures;
    // Set once the stream has ended (a stop, or the end of a finite source) and the final flush
    // closed every open window: the newest event time then. A window ending after it was closed
    // by the end of the run, not by the watermark: it is cut off and holds only part of its
    // span. kNoWatermark while the stream runs.
    TimestampUs cut_off_at = kNoWatermark;
    // Live values of open windows (partial: they may still change) for sales_per_minute,
    // sales_by_country, cart_metrics, anomaly_stats and inventory_metrics.
    RowBatch partial;
    // The newest closed rows of every table (at most recent_rows_per_table each, oldest first).
    RowBatch recent;
};

using SnapshotPtr = std::shared_ptr<const PipelineSnapshot>;

} // namespace gm
