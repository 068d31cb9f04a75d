// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/rows.h"

#include <string>
#include <vector>

namespace gm::test {

// One table of a RowBatch as text lines ("a|b|c"), without processing-time columns, in a form
// where two runs can be compared: stock_levels keeps the last row per product, alerts the last
// state per alert_id (without the id, which numbers alerts in creation order), and the lines are
// sorted when `sorted` is set.
std::vector<std::string> canonicalLines(const RowBatch& rows, TableId table, bool sorted);

// Empty when equal; otherwise a readable diff (first differences, with - expected + actual).
std::string diffLines(const std::vector<std::string>& expected,
                      const std::vector<std::string>& actual, std::size_t max_lines = 12);

// Empty when every table `compared(table)` selects has the same sorted canonical lines in both;
// otherwise the first table that differs, named, with its diff.
std::string diffTables(const RowBatch& expected, const RowBatch& actual, bool (*compared)(TableId));

} // namespace gm::test
