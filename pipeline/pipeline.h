// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/event_source.h"
#include "pipeline/stream_engine.h"

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace gm {

// How far the pipeline's output is complete, for a source that must not forget events before
// their rows are safe (Kafka offsets): every event with a stream sequence below
// `processed_through` has been processed, and every one of them older than `oldest_open` (the
// start of the oldest window or session still open) has all its rows emitted to the sink. The
// watermarks are the per-job watermarks the rows emitted so far were closed with.
struct PipelineProgress {
    std::uint64_t processed_through = 0;
    TimestampUs oldest_open = std::numeric_limits<TimestampUs>::min();
    std::array<TimestampUs, kJobCount> watermarks{};
};

// The stream pipeline on its own thread: reads batches from a source, runs the five jobs
// (sharded over config.workers), sends closed-window rows to the sink, advances the watermark
// with the simulation clock when the source is idle, publishes a snapshot ~10 times a second,
// and flushes every open window when the source ends or stop() is called.
class Pipeline {
public:
    using SnapshotCallback = std::function<void(const SnapshotPtr&)>;

    // `clock` is the simulation clock (processing time of rows, idle advance).
    Pipeline(const PipelineConfig& config, std::shared_ptr<const ProductTable> products,
             StreamEngine::Clock clock, EventSource& source, RowSink& sink);
    ~Pipeline();
    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    // Called on the pipeline thread with every published snapshot. Set before start().
    void onSnapshot(SnapshotCallback callback) { callback_ = std::move(callback); }
    // Before start(): continue a stream processed up to these watermarks (see
    // StreamEngine::resumeFrom).
    void resumeFrom(const std::array<TimestampUs, kJobCount>& watermarks) {
        engine_.resumeFrom(watermarks);
    }
    // Before start(): keep progress() up to date (a few times a second). It costs a pass over
    // the open windows and sessions each time, so only sources that commit ask for it.
    void trackProgress() { track_progress_ = true; }
    // A scale-out member (StreamEngine::setHandOverSink). Before start().
    void setHandOverSink(PartitionHandOverSink& sink) { engine_.setHandOverSink(sink); }
    // Any thread. The final flush at the end of a run does not count: the windows it closes
    // early are incomplete, and a later run resuming the stream must see their events again.
    PipelineProgress progress() const;

    void start();
    // Stops reading now (batches still queued are not read), flushes, joins.
    void stop();
    // Waits until the source has finished and everything is flushed.
    void join();
    bool finished() const { return finished_; }

    // Latest snapshot (never null after start()). Any thread.
    SnapshotPtr snapshot() const { return snapshot_.load(); }
    const PipelineCounters& counters() const { return engine_.counters(); }
    const PipelineConfig& config() const { return engine_.config(); }

private:
    void run();
    void publish();
    void updateProgress();

    StreamEngine engine_;
    EventSource& source_;
    SnapshotCallback callback_;
    bool track_progress_ = false;
    std::uint64_t processed_through_ = 0; // pipeline thread
    // When each batch processed since the last publication was taken from the source (pipeline
    // thread): publish() turns them into the event -> snapshot latency histogram.
    std::vector<std::chrono::steady_clock::time_point> unpublished_batches_;
    mutable std::mutex progress_mutex_;
    PipelineProgress progress_;
    std::atomic<SnapshotPtr> snapshot_;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> finished_{false};
    std::thread thread_;
};

} // namespace gm
