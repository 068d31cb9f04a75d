// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>

namespace gm {

// 1234567 -> "1,234,567": figures in progress lines and status text.
std::string groupThousands(std::uint64_t value);

// Money in cents as dollars with exactly two decimals: 123456 -> "1234.56", -5 -> "-0.05". The
// rendering of money for raw-event COPY rows (CopyTextBuilder), the output tables' CSV/COPY text
// (text::money, formatCents) and messages (validation::formatCents). Writes at most
// kMaxCentsTextLength characters to `out` and returns how many; inline, as the COPY rows call it
// for every price. The JSON encoder keeps its own json::appendCents (same text, appended in
// place): calling this one cost it 0.2% more instructions (BENCHMARKS.md, issue 11).
inline constexpr std::size_t kMaxCentsTextLength = 24; // "-184467440737095516.16" is 22
inline std::size_t formatCents(std::int64_t cents, char* out) {
    char* p = out;
    // Unsigned arithmetic so that the most negative value does not overflow on negation.
    std::uint64_t magnitude = static_cast<std::uint64_t>(cents);
    if (cents < 0) {
        *p++ = '-';
        magnitude = 0 - magnitude;
    }
    p = std::to_chars(p, out + kMaxCentsTextLength, magnitude / 100).ptr;
    const auto fraction = static_cast<unsigned>(magnitude % 100);
    p[0] = '.';
    p[1] = static_cast<char>('0' + fraction / 10);
    p[2] = static_cast<char>('0' + fraction % 10);
    return static_cast<std::size_t>(p + 3 - out);
}

} // namespace gm
