// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/stream_engine.h"

#include "pipeline/batch_checks.h"

#include <algorithm>
#include <chrono>

namespace gm {
namespace {

// Windows among one table's rows: rows leave grouped by window, so count the changes.
template <typename Row> std::uint64_t distinctWindows(const std::vector<Row>& rows) {
    if constexpr (requires(const Row& row) { row.window_start; }) {
        std::uint64_t count = 0;
        const Row* previous = nullptr;
        for (const Row& row : rows) {
            if (previous == nullptr || previous->window_start != row.window_start ||
                previous->window_end != row.window_end) {
                ++count;
            }
            previous = &row;
        }
        return count;
    } else {
        return 0;
    }
}

template <typename Row> constexpr JobId jobOf() {
    switch (Row::kTable) {
    case TableId::SalesPerMinute:
    case TableId::SalesByCountry:
        return JobId::Sales;
    case TableId::CartSessions:
    case TableId::CartMetrics:
    case TableId::AbandonedCarts:
        return JobId::Carts;
    case TableId::TrendingProducts:
    case TableId::CategoryPerformance:
    case TableId::SearchBehavior:
    case TableId::BrowsingSessions:
        return JobId::Views;
    case TableId::HighValueAnomalies:
    case TableId::HighQuantityAnomalies:
    case TableId::SuspiciousPatterns:
    case TableId::AnomalyStats:
        return JobId::Anomalies;
    default:
        return JobId::Inventory; // inventory tables, stock and alerts
    }
}

} // namespace

StreamEngine::StreamEngine(const PipelineConfig& config,
                           std::shared_ptr<const ProductTable> products, Clock clock, RowSink& sink)
    : config_(config), products_(std::move(products)), clock_(std::move(clock)), sink_(sink),
      stock_(*products_, config_), alerts_(config_.alert_dedup_window) {
    resumed_.fill(kNoWatermark);
    watermarks_.fill(kNoWatermark);
    const int workers = std::max(1, config_.workers);
    shards_.reserve(static_cast<std::size_t>(workers));
    for (int i = 0; i < workers; ++i) {
        shards_.emplace_back(config_);
    }
    outputs_.resize(static_cast<std::size_t>(workers));
    shard_inputs_.resize(static_cast<std::size_t>(workers));
    pool_ = std::make_unique<WorkerPool>(workers);
}

StreamEngine::~StreamEngine() = default;

void StreamEngine::resumeFrom(const std::array<TimestampUs, kJobCount>& watermarks) {
    resumed_ = watermarks;
    watermarks_ = watermarks;
    for (Shard& shard : shards_) {
        shard.resumeFrom(watermarks);
    }
}

TimestampUs StreamEngine::oldestOpenStart() const {
    TimestampUs oldest = kFlushWatermark;
    for (const Shard& shard : shards_) {
        oldest = std::min(oldest, shard.oldestOpenStart());
    }
    return oldest;
}

Watermarks StreamEngine::watermarksFor(TimestampUs before, TimestampUs after) const {
    Watermarks watermarks;
    for (int job = 0; job < kJobCount; ++job) {
        const TimestampUs lateness = config_.lateness[static_cast<std::size_t>(job)];
        const TimestampUs resumed = resumed_[static_cast<std::size_t>(job)];
        const auto index = static_cast<std::size_t>(job);
        watermarks.natural_before[index] = watermarkFrom(before, lateness);
        watermarks.natural_after[index] = watermarkFrom(after, lateness);
        watermarks.before[index] = std::max(watermarks.natural_before[index], resumed);
        watermarks.after[index] = std::max(watermarks.natural_after[index], resumed);
    }
    return watermarks;
}

void StreamEngine::process(EventBatch batch) {
    const auto started = std::chrono::steady_clock::now();
    const std::size_t received_views = batch.views.size();
    const std::size_t received_carts = batch.carts.size();
    const std::size_t received_transactions = batch.transactions.size();
    through_sequence_ = std::max(through_sequence_, batch.first_sequence + batch.size());
    const RejectedCounts rejected = removeInvalidEvents(batch);
    counters_.events += received_views + received_carts + received_transactions;
    ++counters_.batches;
    for (const JobId job : {JobId::Sales, JobId::Anomalies, JobId::Inventory}) {
        counters_.job(job).received += received_transactions;
        counters_.job(job).rejected += rejected.transactions;
    }
    counters_.job(JobId::Carts).received += received_carts;
    counters_.job(JobId::Carts).rejected += rejected.carts;
    counters_.job(JobId::Views).received += received_views;
    counters_.job(JobId::Views).rejected += rejected.views;

    const TimestampUs before = max_event_time_;
    if (batch.source_event_time) {
        // A source reading several partitions knows better: the time all of them have reached.
        max_event_time_ = std::max(max_event_time_, *batch.source_event_time);
    } else {
        max_event_time_ = gm::maxEventTime(batch, max_event_time_);
    }
    const Watermarks watermarks = watermarksFor(before, max_event_time_);
    watermarks_ = watermarks.after;

    rows_.clear();
    low_stock_times_.clear();
    products_->live->observe(batch);
    counters_.product_attribute_changes = products_->live->changes();
    stock_.apply(batch.transactions, rows_.stock_levels, rows_.low_stock_alerts, low_stock_times_);
    input_ = std::move(batch);
    runShards(watermarks, true);
    emitRows(watermarks);

    const auto latency =
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                       std::chrono::steady_clock::now() - started)
                                       .count());
    counters_.last_batch_latency_us = latency;
    counters_.call_latency.observe(latency);
    if (latency > counters_.max_batch_latency_us) {
        counters_.max_batch_latency_us = latency;
    }
}

void StreamEngine::advanceIdle() {
    // Before the first event nothing is open. Advancing then would only make a backlog older
    // than the clock late, e.g. a Kafka group that joins slower than the idle timeout.
    if (max_event_time_ == kNoWatermark) {
        return;
    }
    const TimestampUs now = clock_();
    if (now <= max_event_time_) {
        return;
    }
    // The clock stands in for events that did not come: later events are judged against it.
    max_event_time_ = now;
    const Watermarks watermarks = watermarksFor(max_event_time_, max_event_time_);
    watermarks_ = watermarks.after;
    rows_.clear();
    low_stock_times_.clear();
    input_.clear();
    runShards(watermarks, false);
    emitRows(watermarks);
}

void StreamEngine::flush() {
    cut_off_at_ = max_event_time_;
    Watermarks watermarks;
    watermarks.before.fill(kFlushWatermark);
    watermarks.after.fill(kFlushWatermark);
    watermarks.natural_before.fill(kFlushWatermark);
    watermarks.natural_after.fill(kFlushWatermark);
    rows_.clear();
    low_stock_times_.clear();
    input_.clear();
    runShards(watermarks, false);
    emitRows(watermarks);
    sink_.finish();
}

void StreamEngine::runShards(const Watermarks& watermarks, bool split_input) {
    const int count = static_cast<int>(shards_.size());
    if (count == 1) {
        shards_[0].process(input_, watermarks, outputs_[0]);
        return;
    }
    for (EventBatch& part : shard_inputs_) {
        part.clear();
    }
    if (split_input) {
        // Stable per stream: one user's events keep their order inside the shard.
        for (auto& event : input_.views) {
            shard_inputs_[static_cast<std::size_t>(shardOf(event.user, count))].views.push_back(
                std::move(event));
        }
        for (auto& event : input_.carts) {
            shard_inputs_[static_cast<std::size_t>(shardOf(event.user, count))].carts.push_back(
                std::move(event));
        }
        for (auto& tx : input_.transactions) {
            shard_inputs_[static_cast<std::size_t>(shardOf(tx.user, count))].transactions.push_back(
                std::move(tx));
        }
    }
    pool_->run([&](int index) {
        const auto i = static_cast<std::size_t>(index);
        shards_[i].process(shard_inputs_[i], watermarks, outputs_[i]);
    });
}

void StreamEngine::emitRows(const Watermarks& watermarks) {
    const TimestampUs now = clock_();
    const EmitContext context{config_, *products_, now};
    std::vector<SalesClosed*> sales;
    std::vector<CartsClosed*> carts;
    std::vector<ViewsClosed*> views;
    std::vector<AnomaliesClosed*> anomalies;
    std::vector<InventoryClosed*> inventory;
    for (ShardOutput& output : outputs_) {
        sales.push_back(&output.sales);
        carts.push_back(&output.carts);
        views.push_back(&output.views);
        anomalies.push_back(&output.anomalies);
        inventory.push_back(&output.inventory);
        for (std::size_t job = 0; job < kJobCount; ++job) {
            // While this run's own events are still behind the resumed watermark, what the floor
            // turns away was counted in windows an earlier run wrote: a replay, not lateness.
            const bool replaying =
                resumed_[job] != kNoWatermark && watermarks.natural_before[job] < resumed_[job];
            (replaying ? counters_.jobs[job].replayed : counters_.jobs[job].late) +=
                output.late[job];
        }
    }
    emitSales(sales, context, rows_);
    emitCarts(carts, context, rows_);
    emitViews(views, context, rows_);
    emitAnomalies(anomalies, context, rows_);
    emitInventory(inventory, context, rows_);
    for (StockLevelRow& row : rows_.stock_levels) {
        row.updated_at = now;
    }
    // A fall below the threshold is detected at the event time of the sale that caused it, not
    // when it was processed: detected_at is part of the table's key, so a replay (a rerun after a
    // crash, a Kafka redelivery) must produce the same key and update the row, not add a twin.
    for (std::size_t i = 0; i < rows_.low_stock_alerts.size(); ++i) {
        rows_.low_stock_alerts[i].detected_at = low_stock_times_[i];
    }

    std::vector<AlertCandidate> candidates = alertCandidates(rows_, low_stock_times_, config_);
    alerts_.process(candidates, rows_.alerts);
    // Expiring costs a pass over active alerts: do it once per simulated minute of progress.
    const TimestampUs oldest = *std::min_element(watermarks.after.begin(), watermarks.after.end());
    if (oldest != kNoWatermark && oldest != kFlushWatermark &&
        (alerts_expired_at_ == kNoWatermark || oldest - alerts_expired_at_ >= kMicrosPerMinute)) {
        alerts_.expire(oldest);
        alerts_expired_at_ = oldest;
    }

    updateCounters(rows_);
    for (int job = 0; job < kJobCount; ++job) {
        counters_.jobs[static_cast<std::size_t>(job)].watermark =
            watermarks.after[static_cast<std::size_t>(job)];
    }
    counters_.max_event_time = max_event_time_;
    if (!rows_.empty()) {
        sink_.consume(rows_);
        keepRecent(rows_);
    }
}

void StreamEngine::updateCounters(const RowBatch& rows) {
    rows.forEachTable([&](const auto& table_rows) {
        using Row = typename std::decay_t<decltype(table_rows)>::value_type;
        JobCounters& job = counters_.job(jobOf<Row>());
        job.emitted_rows += table_rows.size();
        job.windows_closed += distinctWindows(table_rows);
    });
    counters_.rows += rows.rowCount();
    counters_.alert_updates += rows.alerts.size();
    counters_.alerts_raised = alerts_.alertsRaised();
    std::array<std::size_t, kJobCount> open{};
    std::size_t sessions = 0;
    for (const Shard& shard : shards_) {
        const auto counts = shard.openWindows();
        for (int job = 0; job < kJobCount; ++job) {
            open[static_cast<std::size_t>(job)] += counts[static_cast<std::size_t>(job)];
        }
        sessions += shard.openSessions();
    }
    for (int job = 0; job < kJobCount; ++job) {
        counters_.jobs[static_cast<std::size_t>(job)].open_windows =
            open[static_cast<std::size_t>(job)];
    }
    counters_.open_sessions = sessions;
}

void StreamEngine::keepRecent(const RowBatch& rows) {
    recent_.append(rows);
    const std::size_t keep = config_.recent_rows_per_table;
    recent_.forEachTable([&](auto& table_rows) {
        if (table_rows.size() > keep) {
            table_rows.erase(table_rows.begin(),
                             table_rows.end() - static_cast<std::ptrdiff_t>(keep));
        }
    });
}

SnapshotPtr StreamEngine::makeSnapshot() {
    auto snapshot = std::make_shared<PipelineSnapshot>();
    snapshot->number = ++snapshots_;
    snapshot->produced_at = clock_();
    snapshot->cut_off_at = cut_off_at_;
    snapshot->figures = counters_.figures();
    snapshot->events_seen = snapshot->figures.events;
    snapshot->through_sequence = through_sequence_;
    snapshot->recent = recent_;
    std::vector<ShardOutput> peeks(shards_.size());
    std::vector<SalesClosed*> sales;
    std::vector<CartsClosed*> carts;
    std::vector<AnomaliesClosed*> anomalies;
    std::vector<InventoryClosed*> inventory;
    for (std::size_t i = 0; i < shards_.size(); ++i) {
        shards_[i].peek(peeks[i]);
        sales.push_back(&peeks[i].sales);
        carts.push_back(&peeks[i].carts);
        anomalies.push_back(&peeks[i].anomalies);
        inventory.push_back(&peeks[i].inventory);
    }
    const EmitContext context{config_, *products_, snapshot->produced_at};
    emitSales(sales, context, snapshot->partial);
    emitCarts(carts, context, snapshot->partial);
    emitAnomalies(anomalies, context, snapshot->partial);
    emitInventory(inventory, context, snapshot->partial);
    return snapshot;
}

} // namespace gm
