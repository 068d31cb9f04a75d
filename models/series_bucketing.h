// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/minute_series.h"

#include <vector>

namespace gm {

// Reduces a series to what a chart `pixels` wide can show: the time span [from, to) is cut into
// one bucket per pixel and each bucket keeps its lowest and highest point, in time order (one
// point when both are the same). So at most two points per pixel are drawn, whatever the number
// of windows (7 days of minutes is 10,080), and a one-minute burst or dip still shows at full
// height. Partial (open) points are always kept: there are few and they are drawn apart.
// The nearest point just outside [from, to) on each side is kept too, so the line reaches the
// chart's edges. `points` must be sorted by window_start; a series that already fits is returned
// as it is (clipped to the span and its two neighbours).
std::vector<SeriesPoint> bucketToPixels(const std::vector<SeriesPoint>& points, TimestampUs from,
                                        TimestampUs to, int pixels);

} // namespace gm
