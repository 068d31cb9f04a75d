// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/events.h"
#include "generator/timestamp.h"

#include <array>
#include <cstdint>
#include <string_view>

namespace gm {

// The five jobs of docs/realtime-tables.md. Each has its own allowed lateness and counters.
enum class JobId : std::uint8_t { Sales, Carts, Views, Anomalies, Inventory };
inline constexpr int kJobCount = 5;
std::string_view jobName(JobId job); // "sales", "carts", "views", "anomalies", "inventory"

// Hardware cores - 1, at least 1: one core stays with the generator.
int defaultWorkerCount();

// Every window length, threshold and delay of the spec, with the spec's defaults. Durations are
// microseconds of event time unless the name says wall.
struct PipelineConfig {
    int workers = defaultWorkerCount();
    // Exact mode (--exact-group, docs/scale-out.md): window state and watermarks per topic
    // partition (EventBatch::partition), so the rows depend on the topic data alone, not on how
    // the partitions' reads interleave. `workers` is then unused: one thread, a shard per
    // partition.
    bool exact_partitions = false;
    std::array<TimestampUs, kJobCount> lateness{30 * kMicrosPerSecond, 30 * kMicrosPerSecond,
                                                30 * kMicrosPerSecond, 30 * kMicrosPerSecond,
                                                30 * kMicrosPerSecond};
    // Wall time without input after which the watermark follows the simulation clock.
    TimestampUs idle_timeout_wall = 5 * kMicrosPerSecond;
    TimestampUs snapshot_interval_wall = 100'000;
    std::size_t recent_rows_per_table = 200; // closed rows kept in snapshots
    // Work of one engine call: events ingested, sessions closed, session cells or rows sorted
    // and emitted. A bigger batch or a mass expiry goes on in the next calls (issue 19: no
    // call may stop the pipeline thread for long, whatever the input). 4096 is the generator's
    // batch, so ordinary batches still take one call; 16384 let calls of a burst reach 0.1-0.3 s
    // on the loaded 2-vCPU machine (BENCHMARKS.md, "Bounded batches").
    std::size_t work_per_call = 4096;

    // 1. Sales
    TimestampUs sales_window = kMicrosPerMinute;
    // 2. Carts
    TimestampUs cart_metrics_window = kMicrosPerMinute;
    TimestampUs cart_session_window = 5 * kMicrosPerMinute;
    TimestampUs abandonment_timeout = 30 * kMicrosPerMinute;
    // 3. Views
    TimestampUs trending_window = 10 * kMicrosPerMinute; // a multiple of trending_slide
    TimestampUs trending_slide = kMicrosPerMinute;
    std::uint32_t trending_min_views = 5;
    TimestampUs category_window = 5 * kMicrosPerMinute;
    TimestampUs search_window = 5 * kMicrosPerMinute;
    std::uint32_t search_min_count = 3;
    TimestampUs browsing_window = 5 * kMicrosPerMinute;
    // 4. Anomalies
    Cents high_value_threshold = 500'000; // strictly above
    Cents high_value_high = 750'000;
    Cents high_value_critical = 1'000'000;
    std::uint32_t high_quantity_threshold = 50; // at or above
    std::uint32_t high_quantity_high = 75;
    std::uint32_t high_quantity_critical = 100;
    TimestampUs suspicious_window = 5 * kMicrosPerMinute;
    std::uint32_t suspicious_min_transactions = 3; // at or above
    Cents suspicious_spend = 1'000'000;            // strictly above
    TimestampUs anomaly_stats_window = kMicrosPerMinute;
    // 5. Inventory
    TimestampUs velocity_window = 5 * kMicrosPerMinute; // also inventory_by_country and restock
    TimestampUs high_demand_window = 10 * kMicrosPerMinute;
    std::int64_t high_demand_units = 20;
    std::int64_t high_demand_high = 30;
    std::int64_t high_demand_critical = 50;
    double restock_min_rate = 1.0; // units per minute
    double restock_medium_rate = 2.0;
    double restock_high_rate = 3.0;
    TimestampUs inventory_metrics_window = kMicrosPerMinute;
    std::int64_t fast_moving_units = 10;
    // Stock and alerts
    std::int64_t low_stock_threshold = 10;
    TimestampUs alert_dedup_window = 10 * kMicrosPerMinute;

    TimestampUs latenessOf(JobId job) const { return lateness[static_cast<int>(job)]; }
};

} // namespace gm
