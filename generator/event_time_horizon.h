// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/timestamp.h"
#include "generator/validation.h"

#include <limits>
#include <optional>

namespace gm {

// Refuses event times far ahead of the stream. One event stamped years ahead would otherwise
// drag every watermark there, and every later event would be late, forever. The reference is
// the newest event time accepted so far: an event more than `horizon` ahead of it is refused
// (it does not move the reference), anything not ahead of it by more passes and may move it.
//
// Deterministic: the verdict depends only on the events seen before, never on the wall clock, so
// the same stream in the same order gives the same verdicts. Not thread-safe: it belongs to one
// decoding thread (as the EventDecoder holding it does).
//
// Limits, by design of the rule: the first event sets the reference unchecked (beyond the
// range of timestamp.h), and a stream that truly resumes after a silence longer than the horizon
// is refused until its owner raises the reference (raiseTo) from outside knowledge, e.g. a
// persisted watermark or the wall clock.
class EventTimeHorizon {
public:
    static constexpr TimestampUs kUnlimited = std::numeric_limits<TimestampUs>::max();

    explicit EventTimeHorizon(TimestampUs horizon) : horizon_(horizon) {}

    // Whether `time` may be accepted; does not change the reference.
    std::optional<Rejection> check(TimestampUs time) const;
    // Records an accepted event's time.
    void accept(TimestampUs time) { raiseTo(time); }
    // Moves the reference forward (never back).
    void raiseTo(TimestampUs time) {
        if (!newest_ || time > *newest_) {
            newest_ = time;
        }
    }
    std::optional<TimestampUs> newest() const { return newest_; }
    TimestampUs horizon() const { return horizon_; }

private:
    TimestampUs horizon_;
    std::optional<TimestampUs> newest_;
};

} // namespace gm
