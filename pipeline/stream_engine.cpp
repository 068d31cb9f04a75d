// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/stream_engine.h"

#include "pipeline/batch_checks.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <type_traits>

namespace gm {
namespace {

// Windows among one table's rows: rows leave grouped by window, so count the changes. `last` is
// the window of the row emitted before these by the same work (a window spread over several
// steps counts once); it becomes that of the last row.
template <typename Row>
std::uint64_t distinctWindows(const std::vector<Row>& rows,
                              std::optional<std::pair<TimestampUs, TimestampUs>>& last) {
    if constexpr (requires(const Row& row) { row.window_start; }) {
        std::uint64_t count = 0;
        for (const Row& row : rows) {
            const std::pair window{row.window_start, row.window_end};
            if (!last || *last != window) {
                ++count;
            }
            last = window;
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
      stock_(*products_, config_), alerts_(config_.alert_dedup_window),
      sessions_out_(std::max<std::size_t>(1, config_.work_per_call)) {
    resumed_.fill(kNoWatermark);
    watermarks_.fill(kNoWatermark);
    const int workers = config_.exact_partitions ? 1 : std::max(1, config_.workers);
    if (config_.exact_partitions) {
        partitions_ = std::make_unique<PartitionShards>(config_);
    } else {
        shards_.reserve(static_cast<std::size_t>(workers));
        for (int i = 0; i < workers; ++i) {
            shards_.emplace_back(config_);
        }
    }
    outputs_.resize(static_cast<std::size_t>(workers));
    held_anomalies_.resize(static_cast<std::size_t>(workers));
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
    if (partitions_) {
        partitions_->resumeFrom(watermarks);
    }
}

TimestampUs StreamEngine::oldestOpenStart() const {
    TimestampUs oldest = partitions_ ? partitions_->oldestOpenStart() : kFlushWatermark;
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
    submit(std::move(batch));
    finishWork();
}

void StreamEngine::advanceIdle() {
    finishWork();
    submitIdleAdvance();
    finishWork();
}

void StreamEngine::flush() {
    finishWork();
    cut_off_at_ = max_event_time_;
    work_ = Work{};
    work_.kind = WorkKind::Flush;
    work_.watermarks.before.fill(kFlushWatermark);
    work_.watermarks.after.fill(kFlushWatermark);
    work_.watermarks.natural_before.fill(kFlushWatermark);
    work_.watermarks.natural_after.fill(kFlushWatermark);
    work_.ingested = true;
    work_.now = clock_();
    last_window_.fill(std::nullopt);
    finishWork();
    sink_.finish();
}

void StreamEngine::finishWork() {
    while (busy()) {
        step();
    }
}

void StreamEngine::submit(EventBatch batch) {
    finishWork();
    work_ = Work{};
    work_.kind = WorkKind::Batch;
    work_.through_sequence = batch.first_sequence + batch.size();
    work_.batch = std::move(batch);
    work_.before = max_event_time_;
    work_.newest = max_event_time_;
    work_.ingested = false;
    work_.now = clock_();
    last_window_.fill(std::nullopt);
    ++counters_.batches;
}

void StreamEngine::submitIdleAdvance() {
    finishWork();
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
    work_ = Work{};
    work_.kind = WorkKind::Idle;
    work_.watermarks = watermarksFor(max_event_time_, max_event_time_);
    watermarks_ = work_.watermarks.after;
    work_.ingested = true;
    work_.now = now;
    last_window_.fill(std::nullopt);
}

void StreamEngine::takeChunk(std::size_t budget, EventBatch& chunk) {
    EventBatch& batch = work_.batch;
    chunk.first_sequence = batch.first_sequence;
    chunk.partition = batch.partition;
    const bool untouched =
        work_.views_taken == 0 && work_.carts_taken == 0 && work_.transactions_taken == 0;
    if (untouched && batch.size() <= budget) {
        chunk = std::move(batch); // the common case: the whole batch in one step
        batch.clear();
        return;
    }
    if (untouched) {
        chunk.partitions = std::move(batch.partitions); // news of the source's partitions: first
    }
    // One stream after the other, each in its order: the jobs read the streams separately.
    auto take = [&](auto& from, std::size_t& taken, auto& to) {
        const std::size_t count =
            std::min(budget - std::min(budget, chunk.size()), from.size() - taken);
        to.assign(
            std::make_move_iterator(from.begin() + static_cast<std::ptrdiff_t>(taken)),
            std::make_move_iterator(from.begin() + static_cast<std::ptrdiff_t>(taken + count)));
        taken += count;
    };
    take(batch.views, work_.views_taken, chunk.views);
    take(batch.carts, work_.carts_taken, chunk.carts);
    take(batch.transactions, work_.transactions_taken, chunk.transactions);
    if (work_.views_taken == batch.views.size() && work_.carts_taken == batch.carts.size() &&
        work_.transactions_taken == batch.transactions.size()) {
        chunk.source_event_time = batch.source_event_time;
        batch = EventBatch{};
    }
}

void StreamEngine::ingestChunk(EventBatch chunk) {
    const std::size_t received_views = chunk.views.size();
    const std::size_t received_carts = chunk.carts.size();
    const std::size_t received_transactions = chunk.transactions.size();
    const RejectedCounts rejected = removeInvalidEvents(chunk);
    counters_.events += received_views + received_carts + received_transactions;
    for (const JobId job : {JobId::Sales, JobId::Anomalies, JobId::Inventory}) {
        counters_.job(job).received += received_transactions;
        counters_.job(job).rejected += rejected.transactions;
    }
    counters_.job(JobId::Carts).received += received_carts;
    counters_.job(JobId::Carts).rejected += rejected.carts;
    counters_.job(JobId::Views).received += received_views;
    counters_.job(JobId::Views).rejected += rejected.views;
    work_.newest = gm::maxEventTime(chunk, work_.newest);
    products_->live->observe(chunk);
    counters_.product_attribute_changes = products_->live->changes();
    // Stock rows, like whole calls, once per batch: the level each product ends the batch at.
    stock_.take(chunk.transactions);
    if (work_.ingested) {
        stock_.collect(rows_.stock_levels, rows_.low_stock_alerts, low_stock_times_);
    }
    input_ = std::move(chunk);
}

void StreamEngine::step() {
    if (!busy()) {
        return;
    }
    const auto started = std::chrono::steady_clock::now();
    std::size_t budget = std::max<std::size_t>(1, config_.work_per_call);
    rows_.clear();
    low_stock_times_.clear();
    input_.clear();
    Watermarks watermarks = work_.watermarks;
    if (!work_.ingested) {
        EventBatch chunk;
        takeChunk(budget, chunk);
        budget -= std::min(budget, chunk.size());
        work_.ingested = work_.batch.size() == 0 ||
                         (work_.views_taken == work_.batch.views.size() &&
                          work_.carts_taken == work_.batch.carts.size() &&
                          work_.transactions_taken == work_.batch.transactions.size());
        const std::optional<TimestampUs> source_time = chunk.source_event_time;
        ingestChunk(std::move(chunk));
        if (partitions_) {
            // The partitions judge and close on watermarks of their own (runPartitions).
            max_event_time_ = work_.newest;
        } else if (work_.ingested) {
            // Events of a batch are late against the watermark before it, however many steps
            // it takes; windows close on the one after it, once every event is in.
            if (source_time) {
                // A source reading several partitions knows better: the time all of them have
                // reached.
                max_event_time_ = std::max(max_event_time_, *source_time);
            } else {
                max_event_time_ = work_.newest;
            }
            work_.watermarks = watermarksFor(work_.before, max_event_time_);
            watermarks_ = work_.watermarks.after;
            watermarks = work_.watermarks;
        } else {
            watermarks = watermarksFor(work_.before, work_.before);
        }
    }
    bool sessions_closed = true; // exact mode closes sessions event by event, unbounded
    if (partitions_) {
        watermarks = runPartitions();
        if (work_.ingested) {
            work_.watermarks = watermarks;
            watermarks_ = watermarks.after;
        }
    } else {
        const std::size_t shards = shards_.size();
        const std::size_t session_budget =
            work_.ingested ? std::max<std::size_t>(1, budget / shards) : config_.work_per_call;
        sessions_closed = runShards(watermarks, true, session_budget);
    }
    if (work_.ingested && sessions_closed) {
        work_.closed = true;
    }
    emitRows(watermarks, work_.closed ? std::max<std::size_t>(1, budget) : 0);
    work_.emitted = true;
    if (work_.ingested && work_.closed && sessions_out_.idle()) {
        through_sequence_ = std::max(through_sequence_, work_.through_sequence);
        work_ = Work{};
    }

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

bool StreamEngine::runShards(const Watermarks& watermarks, bool split_input,
                             std::size_t session_budget) {
    const int count = static_cast<int>(shards_.size());
    if (count == 1) {
        return shards_[0].process(input_, watermarks, outputs_[0], session_budget);
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
    std::vector<char> closed(shards_.size(), 0);
    pool_->run([&](int index) {
        const auto i = static_cast<std::size_t>(index);
        closed[i] =
            shards_[i].process(shard_inputs_[i], watermarks, outputs_[i], session_budget) ? 1 : 0;
    });
    return std::all_of(closed.begin(), closed.end(), [](char done) { return done != 0; });
}

void StreamEngine::setHandOverSink(PartitionHandOverSink& sink) {
    if (!partitions_) {
        throw std::logic_error(
            "a hand-over sink needs exact mode (PipelineConfig::exact_partitions)");
    }
    hand_over_ = &sink;
    handed_watermarks_.before = watermarks_;
    handed_watermarks_.after = watermarks_;
    handed_watermarks_.natural_before = watermarks_;
    handed_watermarks_.natural_after = watermarks_;
    partitions_->setResumeSource([&sink](EventKind topic, std::int32_t partition) {
        return sink.resumeOf(topic, partition);
    });
}

void StreamEngine::handOverNow(std::uint64_t end_sequence) {
    // The hand-over first: release() then carries only the late counts, and closes the windows
    // of quiet partitions for the next hand-over.
    partitions_->handOver(handed_);
    handed_watermarks_ = partitions_->release(outputs_[0]);
    hand_over_->handOver(end_sequence, handed_, *partitions_);
}

void StreamEngine::handOverIfDue() {
    if (!hand_over_ || busy() || !hand_over_->handOverDue()) {
        return;
    }
    handOverNow(through_sequence_);
    ShardOutput& out = outputs_[0];
    for (std::size_t job = 0; job < kJobCount; ++job) {
        counters_.jobs[job].late += out.late[job];
    }
    out.clear();
    watermarks_ = handed_watermarks_.after;
}

void StreamEngine::closeAllPartitions() {
    finishWork();
    if (partitions_) {
        partitions_->closeAll();
    }
}

Watermarks StreamEngine::runPartitions() {
    ShardOutput& out = outputs_[0];
    if (hand_over_ && work_.kind == WorkKind::Flush) {
        // A member's stop: what is closed is handed over, what is open stays with the replay
        // point (closing it would tell the group those windows are complete).
        out.clear();
        handOverNow(through_sequence_);
        return handed_watermarks_;
    }
    if (work_.kind == WorkKind::Flush) {
        partitions_->flush(out);
        return work_.watermarks;
    }
    if (!input_.partitions.empty()) {
        partitions_->assign(input_.partitions);
    }
    if (!input_.empty()) {
        // Events of a source that does not tell partitions apart count as partition 0.
        partitions_->add(input_.partition.value_or(0), input_.views, input_.carts,
                         input_.transactions);
    }
    if (work_.kind == WorkKind::Idle) {
        partitions_->advanceIdle(work_.now);
    }
    if (hand_over_) {
        out.clear();
        if (work_.ingested && hand_over_->handOverDue()) {
            handOverNow(std::max(through_sequence_, work_.through_sequence));
        }
        return handed_watermarks_;
    }
    return partitions_->release(out);
}

template <typename Row>
void StreamEngine::holdOrRelease(std::vector<Row>& rows, std::vector<Row>& held) const {
    if (!work_.ingested) {
        held.insert(held.end(), std::make_move_iterator(rows.begin()),
                    std::make_move_iterator(rows.end()));
        rows.clear();
    } else if (!held.empty()) {
        held.insert(held.end(), std::make_move_iterator(rows.begin()),
                    std::make_move_iterator(rows.end()));
        rows.swap(held);
        held.clear();
    }
}

void StreamEngine::emitRows(const Watermarks& watermarks, std::size_t session_budget) {
    const TimestampUs now = work_.now;
    const EmitContext context{config_, *products_, now};
    // The session tables leave in slices once every expired session is closed.
    sessions_out_.take(outputs_);
    // Per-event anomaly rows are sorted per batch and feed the alerts in that order: a batch
    // ingested in chunks holds them back until its last chunk, as one whole call would.
    for (std::size_t i = 0; i < outputs_.size(); ++i) {
        holdOrRelease(outputs_[i].anomalies.high_value, held_anomalies_[i].high_value);
        holdOrRelease(outputs_[i].anomalies.high_quantity, held_anomalies_[i].high_quantity);
    }
    if (session_budget > 0) {
        sessions_out_.seal();
        sessions_out_.step(session_budget, context, rows_);
    }
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
    // Only on the work's own watermarks (every event in): a whole call expires after all of
    // its batch's alerts, and so must the chunks of a sliced one.
    const TimestampUs oldest = *std::min_element(watermarks.after.begin(), watermarks.after.end());
    if (work_.ingested && oldest != kNoWatermark && oldest != kFlushWatermark &&
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
        job.windows_closed +=
            distinctWindows(table_rows, last_window_[static_cast<std::size_t>(Row::kTable)]);
    });
    counters_.rows += rows.rowCount();
    counters_.alert_updates += rows.alerts.size();
    counters_.alerts_raised = alerts_.alertsRaised();
    std::array<std::size_t, kJobCount> open{};
    std::size_t sessions = 0;
    if (partitions_) {
        open = partitions_->openWindows();
        sessions = partitions_->openSessions();
    }
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
    const std::size_t keep = config_.recent_rows_per_table;
    // Only the newest `keep` rows of each table can stay: copy no more (a slice may hold 16K).
    recent_.forEachTable([&](auto& recent_rows) {
        using Vector = std::decay_t<decltype(recent_rows)>;
        rows.forEachTable([&](const auto& new_rows) {
            if constexpr (std::is_same_v<std::decay_t<decltype(new_rows)>, Vector>) {
                const std::size_t take = std::min(keep, new_rows.size());
                recent_rows.insert(recent_rows.end(),
                                   new_rows.end() - static_cast<std::ptrdiff_t>(take),
                                   new_rows.end());
            }
        });
        if (recent_rows.size() > keep) {
            recent_rows.erase(recent_rows.begin(),
                              recent_rows.end() - static_cast<std::ptrdiff_t>(keep));
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
    std::vector<ShardOutput> peeks(partitions_ ? 1 : shards_.size());
    std::vector<SalesClosed*> sales;
    std::vector<CartsClosed*> carts;
    std::vector<AnomaliesClosed*> anomalies;
    std::vector<InventoryClosed*> inventory;
    for (std::size_t i = 0; i < peeks.size(); ++i) {
        if (partitions_) {
            partitions_->peek(peeks[i]);
        } else {
            shards_[i].peek(peeks[i]);
        }
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
