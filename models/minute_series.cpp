// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/minute_series.h"

namespace gm {

void MinuteSeries::setClosed(TimestampUs window_start, double value) {
    closed_[window_start] = value;
    partial_.erase(window_start);
    while (closed_.size() > capacity_) {
        closed_.erase(closed_.begin());
    }
}

void MinuteSeries::setPartial(TimestampUs window_start, double value) {
    if (closed_.count(window_start) == 0) {
        partial_[window_start] = value;
    }
}

std::vector<SeriesPoint> MinuteSeries::points() const {
    std::vector<SeriesPoint> out;
    out.reserve(closed_.size() + partial_.size());
    for (const auto& [start, value] : closed_) {
        out.push_back({start, value, false});
    }
    for (const auto& [start, value] : partial_) {
        // A late partial older than the newest closed window would draw a line backwards.
        if (closed_.empty() || start > closed_.rbegin()->first) {
            out.push_back({start, value, true});
        }
    }
    return out;
}

} // namespace gm
