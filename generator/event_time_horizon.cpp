// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/event_time_horizon.h"

#include <string>

namespace gm {
namespace {

std::string durationText(TimestampUs duration) {
    if (duration % kMicrosPerHour == 0) {
        return std::to_string(duration / kMicrosPerHour) + " h";
    }
    return std::to_string(duration / kMicrosPerSecond) + " s";
}

} // namespace

std::optional<Rejection> EventTimeHorizon::check(TimestampUs time) const {
    if (!newest_ || within(time, *newest_)) {
        return std::nullopt;
    }
    std::string message = formatIsoTimestamp(time);
    message += " is more than ";
    message += durationText(horizon_);
    message += " ahead of the newest accepted event (";
    message += formatIsoTimestamp(*newest_);
    if (wall_clock_ != nullptr) {
        const TimestampUs now = wall_clock_();
        if (within(time, now)) {
            return std::nullopt;
        }
        if (isEventTimeInRange(now)) {
            message += ") and of the wall clock (";
            message += formatIsoTimestamp(now);
        }
    }
    message += ')';
    return validation::reject(RejectReason::TimestampTooFarAhead,
                              validation::fieldPath("timestamp"), message);
}

} // namespace gm
