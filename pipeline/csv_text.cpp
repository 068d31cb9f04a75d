// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/csv_text.h"

namespace gm {

std::string csvQuoted(std::string_view field) {
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
        return std::string(field);
    }
    std::string quoted = "\"";
    for (const char c : field) {
        if (c == '"') {
            quoted.push_back('"');
        }
        quoted.push_back(c);
    }
    quoted.push_back('"');
    return quoted;
}

std::string csvLine(const std::vector<std::string>& fields) {
    std::string line;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) {
            line.push_back(',');
        }
        line += csvQuoted(fields[i]);
    }
    line += "\r\n";
    return line;
}

} // namespace gm
