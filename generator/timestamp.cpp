// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/timestamp.h"

#include <algorithm>
#include <chrono>

namespace gm {
namespace {

void writeDigits(char* out, std::int64_t value, int width) {
    for (int i = width - 1; i >= 0; --i) {
        out[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
}

bool readDigits(std::string_view text, std::size_t pos, int width, int& value) {
    if (pos + static_cast<std::size_t>(width) > text.size()) {
        return false;
    }
    value = 0;
    for (int i = 0; i < width; ++i) {
        const char c = text[pos + static_cast<std::size_t>(i)];
        if (c < '0' || c > '9') {
            return false;
        }
        value = value * 10 + (c - '0');
    }
    return true;
}

bool isLeapYear(std::int64_t year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

unsigned daysInMonth(std::int64_t year, unsigned month) {
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && isLeapYear(year) ? 29 : kDays[month - 1];
}

} // namespace

// Howard Hinnant's civil-calendar algorithms.
std::int64_t daysFromCivil(std::int64_t year, unsigned month, unsigned day) {
    year -= month <= 2;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto yoe = static_cast<unsigned>(year - era * 400);
    const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civilFromDays(std::int64_t days, std::int64_t& year, unsigned& month, unsigned& day) {
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto doe = static_cast<unsigned>(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    day = doy - (153 * mp + 2) / 5 + 1;
    month = mp < 10 ? mp + 3 : mp - 9;
    year = static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2);
}

void formatIsoTimestamp(TimestampUs time, char* out) {
    std::int64_t days = time / (86400 * kMicrosPerSecond);
    std::int64_t rest = time % (86400 * kMicrosPerSecond);
    if (rest < 0) {
        rest += 86400 * kMicrosPerSecond;
        --days;
    }
    std::int64_t year = 0;
    unsigned month = 0;
    unsigned day = 0;
    civilFromDays(days, year, month, day);
    const std::int64_t seconds = rest / kMicrosPerSecond;
    writeDigits(out, year, 4);
    out[4] = '-';
    writeDigits(out + 5, month, 2);
    out[7] = '-';
    writeDigits(out + 8, day, 2);
    out[10] = 'T';
    writeDigits(out + 11, seconds / 3600, 2);
    out[13] = ':';
    writeDigits(out + 14, (seconds / 60) % 60, 2);
    out[16] = ':';
    writeDigits(out + 17, seconds % 60, 2);
    out[19] = '.';
    writeDigits(out + 20, rest % kMicrosPerSecond, 6);
    out[26] = 'Z';
}

std::string formatIsoTimestamp(TimestampUs time) {
    std::string text(kIsoTimestampLength, '\0');
    formatIsoTimestamp(time, text.data());
    return text;
}

std::optional<TimestampUs> parseIsoTimestamp(std::string_view text) {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!readDigits(text, 0, 4, year) || text.size() < 19 || text[4] != '-' ||
        !readDigits(text, 5, 2, month) || text[7] != '-' || !readDigits(text, 8, 2, day) ||
        (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !readDigits(text, 11, 2, hour) ||
        text[13] != ':' || !readDigits(text, 14, 2, minute) || text[16] != ':' ||
        !readDigits(text, 17, 2, second)) {
        return std::nullopt;
    }
    if (month < 1 || month > 12 || day < 1 ||
        static_cast<unsigned>(day) > daysInMonth(year, static_cast<unsigned>(month)) || hour > 23 ||
        minute > 59 || second > 60) {
        return std::nullopt;
    }
    std::size_t pos = 19;
    std::int64_t micros = 0;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        int digits = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (digits < 6) {
                micros = micros * 10 + (text[pos] - '0');
            }
            ++digits;
            ++pos;
        }
        if (digits == 0 || digits > 9) {
            return std::nullopt;
        }
        for (int d = digits; d < 6; ++d) {
            micros *= 10;
        }
    }
    std::int64_t offsetSeconds = 0;
    if (pos < text.size()) {
        const char sign = text[pos];
        if ((sign == 'Z' || sign == 'z') && pos + 1 == text.size()) {
            pos = text.size();
        } else if (sign == '+' || sign == '-') {
            int offHours = 0, offMinutes = 0;
            if (!readDigits(text, pos + 1, 2, offHours) || text.size() != pos + 6 ||
                text[pos + 3] != ':' || !readDigits(text, pos + 4, 2, offMinutes) ||
                offHours > 23 || offMinutes > 59) {
                return std::nullopt;
            }
            offsetSeconds = (offHours * 3600 + offMinutes * 60) * (sign == '+' ? 1 : -1);
            pos = text.size();
        } else {
            return std::nullopt;
        }
    }
    const std::int64_t days =
        daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    const std::int64_t seconds =
        days * 86400 + hour * 3600 + minute * 60 + std::min(second, 59) - offsetSeconds;
    return seconds * kMicrosPerSecond + micros;
}

TimestampUs wallClockNow() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace gm
