// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/minute_series.h"

#include <cstddef>
#include <vector>

namespace gm {

// Which windows of a series (oldest first) the headline cards ("…, last full minute") show.
struct HeadlineMinutes {
    std::ptrdiff_t full = -1;    // the newest closed window that is whole: the headline
    std::ptrdiff_t open = -1;    // the newest open window: "so far"
    std::ptrdiff_t cut_off = -1; // the newest closed window the end of the run cut short
};

// `cut_off_at` is PipelineSnapshot::cut_off_at: once the run has ended, windows reaching past
// the newest event were closed by the stop, not by time, and hold only part of their span; they
// are never the "last full" one. kNoWatermark while the run goes on.
HeadlineMinutes headlineMinutes(const std::vector<SeriesPoint>& points, TimestampUs cut_off_at,
                                TimestampUs window_length = kMicrosPerMinute);

} // namespace gm
