// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared by the scale-out tests (db.tst_group_finalizer, kafka.tst_group_members): the public
// tables a consumer group writes, read back from PostgreSQL and compared with a reference run's.
#include "pipeline/table_schema.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <pqxx/pqxx>
#include <sstream>
#include <string>
#include <vector>

namespace gm::test {

// Every table but stock on hand, low-stock alerts and alerts, which depend on the order of
// transactions across partitions (scale-out step 3: not the group's yet).
inline bool mergedByTheGroup(TableId table) {
    return table != TableId::StockLevels && table != TableId::LowStockAlerts &&
           table != TableId::Alerts;
}

inline std::uint64_t countOf(const std::string& conninfo, const std::string& sql) {
    pqxx::connection connection(conninfo);
    pqxx::nontransaction work(connection);
    return work.exec1(sql)[0].as<std::uint64_t>();
}

// "N rows" and the table's rows as text, sorted, without the processing-time columns.
inline std::string tableText(const std::string& conninfo, TableId table) {
    pqxx::connection connection(conninfo);
    std::string list;
    for (const std::string& column : columns(table)) {
        if (!isProcessingTimeColumn(column)) {
            list += (list.empty() ? "" : ", ") + connection.quote_name(column);
        }
    }
    pqxx::nontransaction work(connection);
    const pqxx::row row = work.exec1(
        "SELECT count(*), coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), '') FROM "
        "(SELECT " +
        list + " FROM " + connection.quote_name(std::string(tableName(table))) + ") r");
    return row[0].as<std::string>() + " rows\n" + row[1].as<std::string>();
}

// The lines of `text` after its first ("N rows"), sorted.
inline std::vector<std::string> rowLines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
        lines.push_back(line);
    }
    std::sort(lines.begin(), lines.end());
    return lines;
}

// Up to `limit` rows of `from` that `other` lacks, one per line, "  <label> <row>".
inline std::string rowsOnlyIn(const std::vector<std::string>& from,
                              const std::vector<std::string>& other, const char* label,
                              std::size_t limit = 5) {
    std::vector<std::string> only;
    std::set_difference(from.begin(), from.end(), other.begin(), other.end(),
                        std::back_inserter(only));
    std::string text;
    for (std::size_t i = 0; i < only.size() && i < limit; ++i) {
        text += std::string("\n  only in ") + label + ": " + only[i];
    }
    if (only.size() > limit) {
        text += "\n  ... " + std::to_string(only.size()) + " rows only in " + label;
    }
    return text;
}

// The first table the group merges whose rows differ between the two databases (or that the
// reference has no rows in), with both row counts and a few of the rows that differ; empty when
// every one is identical.
inline std::string groupTableDifference(const std::string& reference, const std::string& actual,
                                        const char* reference_name, const char* actual_name) {
    for (int t = 0; t < kTableCount; ++t) {
        const auto table = static_cast<TableId>(t);
        if (!mergedByTheGroup(table)) {
            continue;
        }
        const std::string expected = tableText(reference, table);
        const std::string got = tableText(actual, table);
        const std::string name(tableName(table));
        if (expected.rfind("0 rows", 0) == 0) {
            return name + " has no rows in " + reference_name;
        }
        if (expected != got) {
            const std::vector<std::string> expected_rows = rowLines(expected);
            const std::vector<std::string> got_rows = rowLines(got);
            return name + ": " + reference_name + " " + expected.substr(0, expected.find('\n')) +
                   ", " + actual_name + " " + got.substr(0, got.find('\n')) +
                   rowsOnlyIn(expected_rows, got_rows, reference_name) +
                   rowsOnlyIn(got_rows, expected_rows, actual_name);
        }
    }
    return {};
}

} // namespace gm::test
