// SPDX-License-Identifier: GPL-3.0-or-later
#include "table_compare.h"

#include "pipeline/table_schema.h"

#include <algorithm>
#include <map>

namespace gm::test {

std::vector<std::string> canonicalLines(const RowBatch& rows, TableId table, bool sorted) {
    const auto& names = columns(table);
    std::vector<std::vector<std::string>> text = tableText(rows, table);
    if (table == TableId::StockLevels || table == TableId::Alerts) {
        std::map<std::string, std::vector<std::string>> last;
        for (auto& fields : text) {
            last[fields[0]] = fields;
        }
        text.clear();
        for (auto& [key, fields] : last) {
            if (table == TableId::Alerts) {
                fields.erase(fields.begin());
            }
            text.push_back(fields);
        }
    }
    const std::size_t offset = table == TableId::Alerts ? 1 : 0;
    std::vector<std::string> lines;
    for (const auto& fields : text) {
        std::string line;
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (isProcessingTimeColumn(names[i + offset])) {
                continue;
            }
            if (!line.empty()) {
                line.push_back('|');
            }
            line += fields[i];
        }
        lines.push_back(line);
    }
    if (sorted) {
        std::sort(lines.begin(), lines.end());
    }
    return lines;
}

std::string diffLines(const std::vector<std::string>& expected,
                      const std::vector<std::string>& actual, std::size_t max_lines) {
    if (expected == actual) {
        return {};
    }
    std::string diff = "expected " + std::to_string(expected.size()) + " rows, got " +
                       std::to_string(actual.size()) + "\n";
    std::size_t shown = 0;
    const std::size_t n = std::max(expected.size(), actual.size());
    for (std::size_t i = 0; i < n && shown < max_lines; ++i) {
        const std::string* e = i < expected.size() ? &expected[i] : nullptr;
        const std::string* a = i < actual.size() ? &actual[i] : nullptr;
        if (e && a && *e == *a) {
            continue;
        }
        diff += "  row " + std::to_string(i + 1) + ":\n";
        if (e) {
            diff += "  - " + *e + "\n";
        }
        if (a) {
            diff += "  + " + *a + "\n";
        }
        ++shown;
    }
    return diff;
}

std::string diffTables(const RowBatch& expected, const RowBatch& actual,
                       bool (*compared)(TableId)) {
    for (int table = 0; table < kTableCount; ++table) {
        const auto id = static_cast<TableId>(table);
        if (!compared(id)) {
            continue;
        }
        const std::string diff =
            diffLines(canonicalLines(expected, id, true), canonicalLines(actual, id, true));
        if (!diff.empty()) {
            return std::string(tableName(id)) + ":\n" + diff;
        }
    }
    return {};
}

} // namespace gm::test
