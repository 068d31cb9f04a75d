// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/pipeline.h"

#include <chrono>
#include <optional>

namespace gm {

Pipeline::Pipeline(const PipelineConfig& config, std::shared_ptr<const ProductTable> products,
                   StreamEngine::Clock clock, EventSource& source, RowSink& sink)
    : engine_(config, std::move(products), std::move(clock), sink), source_(source) {
    snapshot_.store(std::make_shared<const PipelineSnapshot>());
}

Pipeline::~Pipeline() {
    stop();
}

void Pipeline::start() {
    if (!thread_.joinable() && !finished_) {
        thread_ = std::thread([this] { run(); });
    }
}

void Pipeline::stop() {
    stopping_ = true;
    join();
}

void Pipeline::join() {
    if (thread_.joinable()) {
        thread_.join();
    }
}

void Pipeline::publish() {
    SnapshotPtr snapshot = engine_.makeSnapshot();
    snapshot_.store(snapshot);
    const auto published = std::chrono::steady_clock::now();
    for (const auto taken : unpublished_batches_) {
        engine_.counters().snapshot_latency.observe(static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(published - taken).count()));
    }
    unpublished_batches_.clear();
    if (callback_) {
        callback_(snapshot);
    }
}

PipelineProgress Pipeline::progress() const {
    std::lock_guard lock(progress_mutex_);
    return progress_;
}

void Pipeline::updateProgress() {
    const TimestampUs oldest_open = engine_.oldestOpenStart();
    std::lock_guard lock(progress_mutex_);
    progress_.processed_through = processed_through_;
    progress_.oldest_open = oldest_open;
    progress_.watermarks = engine_.watermarks();
}

void Pipeline::run() {
    using Steady = std::chrono::steady_clock;
    const auto idle_timeout = std::chrono::microseconds(engine_.config().idle_timeout_wall);
    const auto snapshot_interval =
        std::chrono::microseconds(engine_.config().snapshot_interval_wall);
    auto last_input = Steady::now();
    auto last_publish = Steady::now();
    // The batch the engine is working on (it may take several bounded calls).
    std::optional<Steady::time_point> batch_taken;
    std::uint64_t batch_through = 0;
    while (!stopping_) {
        if (engine_.busy()) {
            // A big batch or a mass expiry goes on in bounded steps, with publications and a
            // look at stop in between; the source waits (it is bounded: it slows down).
            engine_.step();
        } else {
            const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::min<Steady::duration>(snapshot_interval, std::chrono::milliseconds(50)));
            auto batch = source_.next(std::max(wait, std::chrono::milliseconds(1)));
            const auto now = Steady::now();
            if (batch) {
                if (!batch->empty()) {
                    batch_through = batch->first_sequence + batch->size();
                    batch_taken = now;
                }
                engine_.submit(std::move(*batch));
                engine_.step();
                last_input = now;
            } else if (source_.finished()) {
                break;
            } else if (now - last_input >= idle_timeout) {
                engine_.submitIdleAdvance();
                engine_.step();
            } else {
                engine_.handOverIfDue(); // a group member's progress while no input comes
            }
        }
        if (batch_taken && !engine_.busy()) {
            processed_through_ = batch_through;
            unpublished_batches_.push_back(*batch_taken);
            batch_taken.reset();
        }
        const auto now = Steady::now();
        if (now - last_publish >= snapshot_interval) {
            // Progress only between works: a closed window whose rows are still to leave must
            // not let a source forget its events.
            if (track_progress_ && !engine_.busy()) {
                updateProgress();
            }
            publish();
            last_publish = now;
        }
    }
    // stop(): the work under way is finished by the flush, so none of its events is lost.
    if (track_progress_ && !engine_.busy()) {
        updateProgress();
    }
    engine_.flush();
    publish();
    finished_ = true;
}

} // namespace gm
