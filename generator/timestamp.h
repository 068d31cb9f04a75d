// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gm {

// Microseconds since the Unix epoch, UTC. The only time type inside the process.
using TimestampUs = std::int64_t;

inline constexpr TimestampUs kMicrosPerSecond = 1'000'000;
inline constexpr TimestampUs kMicrosPerMinute = 60 * kMicrosPerSecond;
inline constexpr TimestampUs kMicrosPerHour = 60 * kMicrosPerMinute;
inline constexpr TimestampUs kMicrosPerDay = 24 * kMicrosPerHour;

// Event times the system accepts: from the Unix epoch to the end of November 9999. Every stage
// renders timestamps with four-digit years (ISO 8601, COPY text, CSV), and a window or session
// that an accepted event opens ends after it: the last month of 9999 is headroom for those ends
// (windows and timeouts are minutes to hours long), so no end can land in year 10000.
inline constexpr TimestampUs kMinEventTime = 0;                       // 1970-01-01T00:00:00Z
inline constexpr TimestampUs kYear10000 = 253'402'300'800'000'000;    // 10000-01-01T00:00:00Z
inline constexpr TimestampUs kEventTimeHeadroom = 31 * kMicrosPerDay; // December 9999
inline constexpr TimestampUs kMaxEventTime = kYear10000 - kEventTimeHeadroom - 1;
constexpr bool isEventTimeInRange(TimestampUs time) {
    return time >= kMinEventTime && time <= kMaxEventTime;
}
// "1970-01-01 to 9999-11-30", for messages.
inline constexpr std::string_view kEventTimeRangeText = "1970-01-01 to 9999-11-30";

// "2026-11-25T10:15:30.123456Z": always 27 characters, so only for years 0-9999 (every event
// time in range, and every window end after one, is).
inline constexpr std::size_t kIsoTimestampLength = 27;
void formatIsoTimestamp(TimestampUs time, char* out);
std::string formatIsoTimestamp(TimestampUs time);

// ISO 8601 date-time: "YYYY-MM-DDTHH:MM:SS" (a space instead of T is accepted), optional
// fraction of 1 to 9 digits (truncated to microseconds), then "Z", "+HH:MM", "-HH:MM" or no
// offset at all, which means UTC (the original producers wrote naive timestamps).
std::optional<TimestampUs> parseIsoTimestamp(std::string_view text);

// Days since 1970-01-01 for a proleptic Gregorian date, and back.
std::int64_t daysFromCivil(std::int64_t year, unsigned month, unsigned day);
void civilFromDays(std::int64_t days, std::int64_t& year, unsigned& month, unsigned& day);

// Current wall-clock time.
TimestampUs wallClockNow();

} // namespace gm
