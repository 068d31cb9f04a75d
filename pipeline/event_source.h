// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/bounded_queue.h"
#include "generator/events.h"

#include <chrono>
#include <optional>

namespace gm {

// Where the pipeline's input comes from: the generator's queue now, a Kafka consumer later.
class EventSource {
public:
    virtual ~EventSource() = default;
    // The next batch, or nothing when none came within the timeout or the source has ended.
    virtual std::optional<EventBatch> next(std::chrono::milliseconds timeout) = 0;
    // True once no batch will ever come again.
    virtual bool finished() const = 0;
};

// Reads the generator's bounded queue; finished once the queue is closed and drained.
class QueueSource : public EventSource {
public:
    explicit QueueSource(BoundedQueue<EventBatch>& queue) : queue_(queue) {}
    std::optional<EventBatch> next(std::chrono::milliseconds timeout) override {
        return queue_.popFor(timeout);
    }
    bool finished() const override { return queue_.drained(); }

private:
    BoundedQueue<EventBatch>& queue_;
};

} // namespace gm
