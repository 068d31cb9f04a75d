// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/time_range.h"

#include <QCoreApplication>

namespace gm {
namespace {

constexpr TimestampUs kHour = 60 * kMicrosPerMinute;

} // namespace

TimestampUs TimeRange::length() const {
    switch (preset) {
    case RangePreset::Last15Minutes:
        return 15 * kMicrosPerMinute;
    case RangePreset::LastHour:
        return kHour;
    case RangePreset::Last6Hours:
        return 6 * kHour;
    case RangePreset::Last24Hours:
        return 24 * kHour;
    case RangePreset::Last7Days:
        return 7 * 24 * kHour;
    case RangePreset::Live:
    case RangePreset::Custom:
        break;
    }
    return 0;
}

std::optional<TimeSpan> TimeRange::resolve(TimestampUs now) const {
    if (preset == RangePreset::Live) {
        return std::nullopt;
    }
    if (preset == RangePreset::Custom) {
        return custom;
    }
    return TimeSpan{now - length(), now};
}

QString rangePresetName(RangePreset preset) {
    switch (preset) {
    case RangePreset::Live:
        return QCoreApplication::translate("gm::TimeRange", "Live (in memory)");
    case RangePreset::Last15Minutes:
        return QCoreApplication::translate("gm::TimeRange", "Last 15 min");
    case RangePreset::LastHour:
        return QCoreApplication::translate("gm::TimeRange", "Last 1 h");
    case RangePreset::Last6Hours:
        return QCoreApplication::translate("gm::TimeRange", "Last 6 h");
    case RangePreset::Last24Hours:
        return QCoreApplication::translate("gm::TimeRange", "Last 24 h");
    case RangePreset::Last7Days:
        return QCoreApplication::translate("gm::TimeRange", "Last 7 days");
    case RangePreset::Custom:
        break;
    }
    return QCoreApplication::translate("gm::TimeRange", "Custom…");
}

QString comparePeriodName(ComparePeriod period) {
    switch (period) {
    case ComparePeriod::PreviousHour:
        return QCoreApplication::translate("gm::TimeRange", "vs previous hour");
    case ComparePeriod::PreviousDay:
        return QCoreApplication::translate("gm::TimeRange", "vs previous day");
    case ComparePeriod::PreviousWeek:
        return QCoreApplication::translate("gm::TimeRange", "vs previous week");
    case ComparePeriod::None:
        break;
    }
    return QCoreApplication::translate("gm::TimeRange", "No comparison");
}

TimestampUs compareShift(ComparePeriod period) {
    switch (period) {
    case ComparePeriod::PreviousHour:
        return kHour;
    case ComparePeriod::PreviousDay:
        return 24 * kHour;
    case ComparePeriod::PreviousWeek:
        return 7 * 24 * kHour;
    case ComparePeriod::None:
        break;
    }
    return 0;
}

} // namespace gm
