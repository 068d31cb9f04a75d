// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/alert_deduper.h"
#include "pipeline/partition_hand_over_sink.h"
#include "pipeline/partition_shards.h"
#include "pipeline/pipeline_counters.h"
#include "pipeline/pipeline_snapshot.h"
#include "pipeline/product_table.h"
#include "pipeline/row_sink.h"
#include "pipeline/session_emitter.h"
#include "pipeline/shard.h"
#include "pipeline/stock_tracker.h"
#include "pipeline/worker_pool.h"

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace gm {

// The synchronous heart of the pipeline: one call per input batch (or idle tick, or the final
// flush) updates every window, closes what the watermarks allow and hands the rows to the sink.
// Single-threaded API (one driving thread); with workers > 1 the shards run in parallel inside
// each call.
//
// Results are identical for any worker count because every decision that could depend on it is
// taken here, before sharding: the watermarks before and after the batch (lateness is judged
// against the one before), stock in stream order, and rows are merged and sorted by key before
// they leave. In exact mode (config.exact_partitions) the shards are per topic partition with
// watermarks of their own instead (PartitionShards), and the same merge emits their windows.
class StreamEngine {
public:
    using Clock = std::function<TimestampUs()>;

    StreamEngine(const PipelineConfig& config, std::shared_ptr<const ProductTable> products,
                 Clock clock, RowSink& sink);
    ~StreamEngine();
    StreamEngine(const StreamEngine&) = delete;
    StreamEngine& operator=(const StreamEngine&) = delete;

    // Whole calls: each does its work to the end (finishing any work submitted before).
    void process(EventBatch batch);
    // The source has been idle past the timeout: the watermark follows the simulation clock.
    void advanceIdle();
    // Closes every open window and session (end of the run). Later batches start afresh.
    void flush();

    // Bounded calls (the Pipeline): submit a batch or the idle advance, then call step() until
    // busy() is false. A step ingests, closes and emits at most about config.work_per_call
    // events, sessions or cells, so a huge batch or a mass expiry is spread over many calls.
    // Per table, the rows and their order are those of one whole call; rows of one work carry
    // the processing time of its submission. Submitting while busy finishes the work first.
    void submit(EventBatch batch);
    void submitIdleAdvance();
    void step();
    bool busy() const { return work_.kind != WorkKind::None; }

    // Builds a snapshot of the current state. Call from the driving thread between calls.
    SnapshotPtr makeSnapshot();

    // Before the first batch, when a run replays a stream an earlier run had processed up to
    // these per-job watermarks: windows ending at or before them were emitted then (and are
    // durable), so their replayed events count as late instead of re-emitting those windows
    // from part of their events.
    void resumeFrom(const std::array<TimestampUs, kJobCount>& watermarks);
    // Scale-out member (exact mode only; docs/scale-out.md step 2): closed windows and per-event
    // rows go to `sink` per partition, when it says a hand-over is due and at flush(), instead
    // of being emitted as rows; flush() then closes nothing (the open windows are the next
    // owner's to rebuild from the stored replay point). Partitions created from then on ask the
    // sink where they resume. Set before the first batch.
    void setHandOverSink(PartitionHandOverSink& sink);
    // Between calls, when no input comes: hands over if the sink says it is due, so that the
    // progress of the last batches is stored although no batch follows them.
    void handOverIfDue();
    // Closes every window and session of every partition (exact mode): the end of a stream known
    // to be complete. With a hand-over sink the next hand-over (flush()) tells the group every
    // window of these partitions is final.
    void closeAllPartitions();

    // Per-job watermarks after the last batch or idle tick (not the final flush).
    const std::array<TimestampUs, kJobCount>& watermarks() const { return watermarks_; }
    // Event time of the oldest window or session still open; kFlushWatermark when none. Every
    // event processed so far that is older has all its rows emitted. A pass over open state:
    // call it a few times a second, not per batch.
    TimestampUs oldestOpenStart() const;

    const PipelineConfig& config() const { return config_; }
    PipelineCounters& counters() { return counters_; }
    const PipelineCounters& counters() const { return counters_; }
    TimestampUs maxEventTime() const { return max_event_time_; }
    TimestampUs now() const { return clock_(); }

private:
    enum class WorkKind { None, Batch, Idle, Flush };
    // What was submitted and is not done yet.
    struct Work {
        WorkKind kind = WorkKind::None;
        EventBatch batch; // the events; those before the cursors have been ingested
        std::size_t views_taken = 0;
        std::size_t carts_taken = 0;
        std::size_t transactions_taken = 0;
        TimestampUs before = kNoWatermark; // newest event time before the work
        TimestampUs newest = kNoWatermark; // newest valid event time ingested so far
        Watermarks watermarks;             // known once every event is ingested
        bool ingested = false;
        bool closed = false;  // every expired session is closed
        bool emitted = false; // an earlier step emitted rows of this work
        TimestampUs now = 0;  // processing time of the work's rows
        std::uint64_t through_sequence = 0;
    };

    void finishWork();
    void takeChunk(std::size_t budget, EventBatch& chunk);
    void ingestChunk(EventBatch chunk);
    Watermarks watermarksFor(TimestampUs before, TimestampUs after) const;
    bool runShards(const Watermarks& watermarks, bool split_input, std::size_t session_budget);
    // Exact mode: hands the work to the partitions; returns the watermarks released.
    Watermarks runPartitions();
    void emitRows(const Watermarks& watermarks, std::size_t session_budget);
    void handOverNow(std::uint64_t end_sequence);
    template <typename Row>
    void holdOrRelease(std::vector<Row>& rows, std::vector<Row>& held) const;
    void updateCounters(const RowBatch& rows);
    void keepRecent(const RowBatch& rows);

    const PipelineConfig config_;
    std::shared_ptr<const ProductTable> products_;
    Clock clock_;
    RowSink& sink_;
    PipelineCounters counters_;

    std::vector<Shard> shards_;                   // by hash range of users; none in exact mode
    std::unique_ptr<PartitionShards> partitions_; // exact mode only
    PartitionHandOverSink* hand_over_ = nullptr;  // scale-out member only
    std::vector<PartitionHandOver> handed_;
    Watermarks handed_watermarks_; // released at the last hand-over
    std::vector<ShardOutput> outputs_;
    std::vector<AnomaliesClosed> held_anomalies_; // per shard: see emitRows()
    std::vector<EventBatch> shard_inputs_;
    EventBatch input_;
    std::unique_ptr<WorkerPool> pool_;

    StockTracker stock_;
    AlertDeduper alerts_;
    TimestampUs max_event_time_ = kNoWatermark;
    TimestampUs cut_off_at_ = kNoWatermark;      // see PipelineSnapshot::cut_off_at
    std::array<TimestampUs, kJobCount> resumed_; // see resumeFrom(); kNoWatermark: none
    std::array<TimestampUs, kJobCount> watermarks_;
    TimestampUs alerts_expired_at_ = kNoWatermark;
    std::uint64_t through_sequence_ = 0;
    std::uint64_t snapshots_ = 0;

    Work work_;
    SessionTablesEmitter sessions_out_;
    // Per table, the window of the last row a step of the current work emitted: a window whose
    // rows are spread over several steps counts once in windows_closed.
    std::array<std::optional<std::pair<TimestampUs, TimestampUs>>, kTableCount> last_window_{};

    RowBatch rows_; // the batch being emitted
    std::vector<TimestampUs> low_stock_times_;
    RowBatch recent_;
};

} // namespace gm
