// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/event_time_horizon.h"

#include <string>

namespace gm {

std::optional<Rejection> EventTimeHorizon::check(TimestampUs time) const {
    // newest_ + horizon_ may overflow for an unlimited horizon: compare the difference instead.
    if (!newest_ || time <= *newest_ || time - *newest_ <= horizon_) {
        return std::nullopt;
    }
    std::string message = formatIsoTimestamp(time);
    message += " is more than ";
    const TimestampUs hours = horizon_ / kMicrosPerHour;
    if (hours * kMicrosPerHour == horizon_) {
        message += std::to_string(hours) + " h";
    } else {
        message += std::to_string(horizon_ / kMicrosPerSecond) + " s";
    }
    message += " ahead of the newest accepted event (";
    message += formatIsoTimestamp(*newest_);
    message += ')';
    return validation::reject(RejectReason::TimestampTooFarAhead,
                              validation::fieldPath("timestamp"), message);
}

} // namespace gm
