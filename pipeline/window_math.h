// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/timestamp.h"

#include <limits>

namespace gm {

// No event seen yet: nothing is late and nothing closes.
inline constexpr TimestampUs kNoWatermark = std::numeric_limits<TimestampUs>::min();
// The watermark of the final flush: every window closes.
inline constexpr TimestampUs kFlushWatermark = std::numeric_limits<TimestampUs>::max();

// Start of the epoch-aligned window of `length` holding `time` (floor, also before 1970).
inline TimestampUs alignDown(TimestampUs time, TimestampUs length) {
    TimestampUs start = time - time % length;
    if (time % length < 0) {
        start -= length;
    }
    return start;
}

// Watermark for a job: highest event time seen minus the job's allowed lateness.
inline TimestampUs watermarkFrom(TimestampUs max_event_time, TimestampUs lateness) {
    if (max_event_time == kNoWatermark) {
        return kNoWatermark;
    }
    return max_event_time - lateness;
}

} // namespace gm
