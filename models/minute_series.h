// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/timestamp.h"

#include <map>
#include <vector>

namespace gm {

struct SeriesPoint {
    TimestampUs window_start = 0;
    double value = 0;
    bool partial = false; // the window is still open: the value may still change
};

// One chart line: a value per window, closed windows kept (bounded) and open windows replaced by
// every snapshot. A closed value always wins over a partial one for the same window.
class MinuteSeries {
public:
    explicit MinuteSeries(std::size_t capacity = 240) : capacity_(capacity) {}

    void setClosed(TimestampUs window_start, double value);
    void clearPartial() { partial_.clear(); }
    void setPartial(TimestampUs window_start, double value);
    // Oldest first; partial points (if any) at the end.
    std::vector<SeriesPoint> points() const;
    bool empty() const { return closed_.empty() && partial_.empty(); }

private:
    std::size_t capacity_;
    std::map<TimestampUs, double> closed_;
    std::map<TimestampUs, double> partial_;
};

} // namespace gm
