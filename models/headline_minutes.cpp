// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/headline_minutes.h"

#include "pipeline/window_math.h"

namespace gm {

HeadlineMinutes headlineMinutes(const std::vector<SeriesPoint>& points, TimestampUs cut_off_at,
                                TimestampUs window_length) {
    HeadlineMinutes chosen;
    for (std::size_t i = 0; i < points.size(); ++i) {
        const auto index = static_cast<std::ptrdiff_t>(i);
        if (points[i].partial) {
            chosen.open = index;
        } else if (cut_off_at != kNoWatermark &&
                   points[i].window_start + window_length > cut_off_at) {
            chosen.cut_off = index;
        } else {
            chosen.full = index;
        }
    }
    return chosen;
}

} // namespace gm
