// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/number_text.h"

#include <algorithm>

namespace gm {

std::string groupThousands(std::uint64_t value) {
    // Built back to front, digit by digit: no insert() into the middle of the string.
    std::string text;
    int digits = 0;
    do {
        if (digits > 0 && digits % 3 == 0) {
            text.push_back(',');
        }
        text.push_back(static_cast<char>('0' + value % 10));
        value /= 10;
        ++digits;
    } while (value != 0);
    std::reverse(text.begin(), text.end());
    return text;
}

} // namespace gm
