// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/pipeline_config.h"
#include "pipeline/window_math.h"

#include <array>
#include <atomic>
#include <cstdint>

namespace gm {

// Plain copy of one job's counters.
struct JobFigures {
    std::uint64_t received = 0;       // events of the job's input streams
    std::uint64_t rejected = 0;       // invalid (unknown product, bad quantity, ...)
    std::uint64_t late = 0;           // dropped by at least one of the job's windows
    std::uint64_t replayed = 0;       // dropped as already written by the run this one resumed from
    std::uint64_t emitted_rows = 0;   // rows of the job's tables
    std::uint64_t windows_closed = 0; // distinct (table, window) pairs that produced rows
    std::uint64_t open_windows = 0;   // open windows/panes summed over tables and workers
    TimestampUs watermark = kNoWatermark;
};

struct PipelineFigures {
    std::array<JobFigures, kJobCount> jobs;
    std::uint64_t batches = 0;
    std::uint64_t events = 0;
    std::uint64_t rows = 0;
    std::uint64_t alerts_raised = 0; // distinct alerts (after deduplication)
    std::uint64_t alert_updates = 0; // alert rows emitted (new + changed)
    std::uint64_t open_sessions = 0; // cart sessions awaiting abandonment or checkout
    std::uint64_t last_batch_latency_us = 0;
    std::uint64_t max_batch_latency_us = 0;
    TimestampUs max_event_time = kNoWatermark;
    // Product attributes from the events: newer values that differed from the held ones
    // (renames, reprices; docs/dictionaries.md).
    std::uint64_t product_attribute_changes = 0;
};

// Written by the pipeline thread, readable from any thread at any time.
struct JobCounters {
    std::atomic<std::uint64_t> received{0};
    std::atomic<std::uint64_t> rejected{0};
    std::atomic<std::uint64_t> late{0};
    std::atomic<std::uint64_t> replayed{0};
    std::atomic<std::uint64_t> emitted_rows{0};
    std::atomic<std::uint64_t> windows_closed{0};
    std::atomic<std::uint64_t> open_windows{0};
    std::atomic<TimestampUs> watermark{kNoWatermark};
};

struct PipelineCounters {
    std::array<JobCounters, kJobCount> jobs;
    std::atomic<std::uint64_t> batches{0};
    std::atomic<std::uint64_t> events{0};
    std::atomic<std::uint64_t> rows{0};
    std::atomic<std::uint64_t> alerts_raised{0};
    std::atomic<std::uint64_t> alert_updates{0};
    std::atomic<std::uint64_t> open_sessions{0};
    std::atomic<std::uint64_t> last_batch_latency_us{0};
    std::atomic<std::uint64_t> max_batch_latency_us{0};
    std::atomic<TimestampUs> max_event_time{kNoWatermark};
    std::atomic<std::uint64_t> product_attribute_changes{0};

    JobCounters& job(JobId id) { return jobs[static_cast<int>(id)]; }
    PipelineFigures figures() const;
};

inline PipelineFigures PipelineCounters::figures() const {
    PipelineFigures f;
    for (int i = 0; i < kJobCount; ++i) {
        const JobCounters& c = jobs[static_cast<std::size_t>(i)];
        JobFigures& j = f.jobs[static_cast<std::size_t>(i)];
        j.received = c.received;
        j.rejected = c.rejected;
        j.late = c.late;
        j.replayed = c.replayed;
        j.emitted_rows = c.emitted_rows;
        j.windows_closed = c.windows_closed;
        j.open_windows = c.open_windows;
        j.watermark = c.watermark;
    }
    f.batches = batches;
    f.events = events;
    f.rows = rows;
    f.alerts_raised = alerts_raised;
    f.alert_updates = alert_updates;
    f.open_sessions = open_sessions;
    f.last_batch_latency_us = last_batch_latency_us;
    f.max_batch_latency_us = max_batch_latency_us;
    f.max_event_time = max_event_time;
    f.product_attribute_changes = product_attribute_changes;
    return f;
}

} // namespace gm
