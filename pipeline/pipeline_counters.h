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

// Event -> snapshot latency: from the moment the pipeline takes a batch from its source until
// the first published snapshot that includes it (what a reader of snapshots waits for at
// most). Upper bounds of the buckets in seconds; the last bucket (+Inf) is implicit.
inline constexpr std::array<double, 10> kSnapshotLatencyBounds = {0.005, 0.01, 0.025, 0.05, 0.1,
                                                                  0.15,  0.25, 0.5,   1.0,  2.5};

struct LatencyHistogramFigures {
    // Batches per bucket (not cumulative); the last entry counts those above every bound.
    std::array<std::uint64_t, kSnapshotLatencyBounds.size() + 1> buckets{};
    std::uint64_t count = 0;
    double sum_seconds = 0;
};

struct PipelineFigures {
    std::array<JobFigures, kJobCount> jobs;
    std::uint64_t batches = 0;
    std::uint64_t events = 0;
    std::uint64_t rows = 0;
    std::uint64_t alerts_raised = 0; // distinct alerts (after deduplication)
    std::uint64_t alert_updates = 0; // alert rows emitted (new + changed)
    std::uint64_t open_sessions = 0; // cart sessions awaiting abandonment or checkout
    // Duration of the last and of the longest engine call: a whole batch, or one bounded step
    // of a big batch or a mass expiry (StreamEngine::step).
    std::uint64_t last_batch_latency_us = 0;
    std::uint64_t max_batch_latency_us = 0;
    TimestampUs max_event_time = kNoWatermark;
    LatencyHistogramFigures snapshot_latency;
    // Duration of each engine call (a batch or a slice of one, an idle tick, the flush), in the
    // same buckets: how long the pipeline thread was busy without a chance to publish or stop.
    LatencyHistogramFigures call_latency;
    // Product attributes from the events: newer values that differed from the held ones
    // (renames, reprices; docs/dictionaries.md).
    std::uint64_t product_attribute_changes = 0;
};

// Written by one thread, readable from any.
struct LatencyHistogram {
    std::array<std::atomic<std::uint64_t>, kSnapshotLatencyBounds.size() + 1> buckets{};
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_us{0};

    void observe(std::uint64_t latency_us) {
        const double seconds = static_cast<double>(latency_us) / 1e6;
        std::size_t bucket = 0;
        while (bucket < kSnapshotLatencyBounds.size() && seconds > kSnapshotLatencyBounds[bucket]) {
            ++bucket;
        }
        // The sum first, the count last: a reader never sees a count without its sum.
        sum_us += latency_us;
        ++buckets[bucket];
        ++count;
    }
    LatencyHistogramFigures figures() const {
        LatencyHistogramFigures f;
        f.count = count;
        for (std::size_t i = 0; i < buckets.size(); ++i) {
            f.buckets[i] = buckets[i];
        }
        f.sum_seconds = static_cast<double>(sum_us.load()) / 1e6;
        return f;
    }
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
    LatencyHistogram snapshot_latency; // written by the pipeline thread at each publication
    LatencyHistogram call_latency;     // written by the engine after each call
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
    f.snapshot_latency = snapshot_latency.figures();
    f.call_latency = call_latency.figures();
    f.product_attribute_changes = product_attribute_changes;
    return f;
}

} // namespace gm
