// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/timestamp.h"
#include "generator/validation.h"

#include <limits>
#include <optional>

namespace gm {

// Refuses event times far ahead of the stream. One event stamped years ahead would otherwise
// drag every watermark there, and every later event would be late, forever.
//
// The reference is the newest event time accepted so far: an event more than `horizon` ahead of
// it is refused and does not move it; anything else passes and may move it. The first event
// sets the reference (only the range of timestamp.h applies to it), so that a simulation
// stamped in the future is read as it is.
//
// With a wall clock, the reference is never behind the wall clock either. Without it, a stream
// that resumes after a silence longer than the horizon, or a topic read from the earliest
// offset that holds last week's run before today's, would have every new event refused,
// forever. The clock is consulted only for an event already too far ahead of the newest
// accepted one, so every other verdict depends on the stream alone; without a clock (tests,
// fuzzing) every verdict does: the same events in the same order give the same verdicts.
//
// Not thread-safe: it belongs to one decoding thread (as the EventDecoder holding it does).
class EventTimeHorizon {
public:
    using WallClock = TimestampUs (*)();
    static constexpr TimestampUs kUnlimited = std::numeric_limits<TimestampUs>::max();

    explicit EventTimeHorizon(TimestampUs horizon, WallClock wall_clock = nullptr)
        : horizon_(horizon), wall_clock_(wall_clock) {}

    // Whether `time` may be accepted; does not change the reference.
    std::optional<Rejection> check(TimestampUs time) const;
    // Records an accepted event's time.
    void accept(TimestampUs time) { raiseTo(time); }
    // Moves the reference forward (never back), e.g. to a persisted watermark after a restart.
    void raiseTo(TimestampUs time) {
        if (!newest_ || time > *newest_) {
            newest_ = time;
        }
    }
    std::optional<TimestampUs> newest() const { return newest_; }
    TimestampUs horizon() const { return horizon_; }

private:
    bool within(TimestampUs time, TimestampUs reference) const {
        // reference + horizon_ may overflow for an unlimited horizon: compare the difference.
        return time <= reference || time - reference <= horizon_;
    }

    TimestampUs horizon_;
    WallClock wall_clock_;
    std::optional<TimestampUs> newest_;
};

} // namespace gm
