// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace gm::warehouse {

// A PostgreSQL error's first line without trailing blanks: the server adds LINE/DETAIL lines
// that do not belong in a one-line status or batch_runs.error.
inline std::string firstLine(std::string text) {
    const auto end = text.find('\n');
    if (end != std::string::npos) {
        text.resize(end);
    }
    while (!text.empty() && text.back() == ' ') {
        text.pop_back();
    }
    return text;
}

} // namespace gm::warehouse
