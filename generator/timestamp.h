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

// "2026-11-25T10:15:30.123456Z": always 27 characters.
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
