// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/timestamp.h"

#include <QString>
#include <optional>

namespace gm {

// The time range a page shows. Live follows the newest data and shows what is in memory; the
// "last …" presets follow it too, with history from the database before it; Custom is fixed.
enum class RangePreset {
    Live,
    Last15Minutes,
    LastHour,
    Last6Hours,
    Last24Hours,
    Last7Days,
    Custom
};
inline constexpr int kRangePresetCount = 7;

// The previous period drawn under each line for comparison.
enum class ComparePeriod { None, PreviousHour, PreviousDay, PreviousWeek };
inline constexpr int kComparePeriodCount = 4;

struct TimeSpan {
    TimestampUs from = 0; // inclusive (window starts)
    TimestampUs to = 0;   // exclusive
    bool contains(TimestampUs time) const { return time >= from && time < to; }
    friend bool operator==(const TimeSpan&, const TimeSpan&) = default;
};

struct TimeRange {
    RangePreset preset = RangePreset::Live;
    TimeSpan custom; // Custom only

    // How far a following preset looks back; 0 for Live and Custom.
    TimestampUs length() const;
    // The span to show when the newest data ends at `now`; nothing for Live (all in memory).
    std::optional<TimeSpan> resolve(TimestampUs now) const;
    friend bool operator==(const TimeRange&, const TimeRange&) = default;
};

QString rangePresetName(RangePreset preset);
QString comparePeriodName(ComparePeriod period);
// How far back the previous period lies (0 for None).
TimestampUs compareShift(ComparePeriod period);

} // namespace gm
