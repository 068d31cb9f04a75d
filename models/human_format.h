// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/events.h"

#include <QString>

// Numbers and times as an analyst reads them. One fixed locale (en_US) so that "$1,234.56" looks
// the same on every machine and in every screenshot.
namespace gm {

QString groupedInt(long long value);                   // 1234567 -> "1,234,567"
QString dollars(double value);                         // 1234.5 -> "$1,234.50"
QString centsText(Cents cents);                        // 123456 -> "$1,234.56"
QString percentText(double percent, int decimals = 1); // 12.345 -> "12.3%"
QString decimalText(double value, int decimals = 2);   // grouped, fixed decimals
QString rateText(double events_per_second);            // "1,234 events/s", "1.2M events/s"
QString bytesText(long long bytes);                    // "512.0 MiB"

// Display time in UTC: "14:05:09 UTC" (time only) or "2026-11-25 14:05:09 UTC".
QString utcClock(TimestampUs time);
QString utcDateTime(TimestampUs time);
// Export text: ISO 8601 UTC with Z, microseconds ("2026-11-25T14:05:09.123456Z").
QString isoUtc(TimestampUs time);

inline qint64 toMillis(TimestampUs time) {
    return time / 1000;
}

} // namespace gm
