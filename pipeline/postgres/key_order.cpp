// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/key_order.h"

#include <algorithm>

namespace gm {

std::size_t leadingKeyFields(const TableBatch& layout) {
    const std::size_t n = layout.key_columns.size();
    if (n == 0 || n > layout.columns.size()) {
        return 0;
    }
    return std::equal(layout.key_columns.begin(), layout.key_columns.end(), layout.columns.begin())
               ? n
               : 0;
}

namespace {

struct Row {
    std::string_view key;  // the first key fields, separators between them included
    std::string_view line; // the whole row with its newline
};

// The first key_fields fields of a row (without the newline). A raw tab or newline only ever
// separates: inside values COPY text writes them as \t and \n.
std::string_view keyOf(std::string_view line, std::size_t key_fields) {
    std::size_t end = 0;
    for (std::size_t field = 0; field < key_fields; ++field) {
        end = line.find_first_of("\t\n", field == 0 ? 0 : end + 1);
        if (end == std::string_view::npos) {
            return line;
        }
    }
    return line.substr(0, end);
}

} // namespace

std::string rowsInKeyOrder(const std::vector<std::string_view>& parts, std::size_t key_fields) {
    std::vector<Row> rows;
    std::size_t bytes = 0;
    for (const std::string_view part : parts) {
        bytes += part.size();
        std::size_t start = 0;
        while (start < part.size()) {
            std::size_t end = part.find('\n', start);
            end = end == std::string_view::npos ? part.size() : end + 1;
            const std::string_view line = part.substr(start, end - start);
            rows.push_back(Row{keyOf(line, key_fields), line});
            start = end;
        }
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Row& a, const Row& b) { return a.key < b.key; });
    std::string out;
    out.reserve(bytes + 1);
    for (const Row& row : rows) {
        out += row.line;
        if (out.back() != '\n') {
            out += '\n'; // a part whose last row had no newline
        }
    }
    return out;
}

} // namespace gm
