// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

// Equality of the short texts an event is made of (field names, categories, countries, event
// types), without a call into memcmp: decoding compares a few dozen of them per event, most of 4
// to 16 bytes, where the call costs more than the comparison. Two overlapping loads from each
// end cover any length from 4 to 16 bytes; longer texts go to memcmp.
namespace gm {

inline bool sameShortText(std::string_view a, std::string_view b) {
    const std::size_t size = a.size();
    if (size != b.size()) {
        return false;
    }
    const char* x = a.data();
    const char* y = b.data();
    if (size >= 8) {
        if (size > 16) {
            return std::memcmp(x, y, size) == 0;
        }
        std::uint64_t x_head, x_tail, y_head, y_tail;
        std::memcpy(&x_head, x, 8);
        std::memcpy(&x_tail, x + size - 8, 8);
        std::memcpy(&y_head, y, 8);
        std::memcpy(&y_tail, y + size - 8, 8);
        return ((x_head ^ y_head) | (x_tail ^ y_tail)) == 0;
    }
    if (size >= 4) {
        std::uint32_t x_head, x_tail, y_head, y_tail;
        std::memcpy(&x_head, x, 4);
        std::memcpy(&x_tail, x + size - 4, 4);
        std::memcpy(&y_head, y, 4);
        std::memcpy(&y_tail, y + size - 4, 4);
        return ((x_head ^ y_head) | (x_tail ^ y_tail)) == 0;
    }
    for (std::size_t i = 0; i < size; ++i) {
        if (x[i] != y[i]) {
            return false;
        }
    }
    return true;
}

} // namespace gm
