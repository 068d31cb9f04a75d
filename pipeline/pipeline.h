// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/event_source.h"
#include "pipeline/stream_engine.h"

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

namespace gm {

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

    StreamEngine engine_;
    EventSource& source_;
    SnapshotCallback callback_;
    std::atomic<SnapshotPtr> snapshot_;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> finished_{false};
    std::thread thread_;
};

} // namespace gm
