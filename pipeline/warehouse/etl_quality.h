// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pqxx {
class transaction_base;
}

namespace gm::warehouse {

struct QualityCheck {
    std::string check;
    std::string table;
    std::string expected;
    std::string actual;
    bool passed = false;
};

// Runs the data-quality checks over the whole warehouse and stores them in etl_quality under
// run_id: row counts source vs warehouse (raw rows taken by each fact step's snapshot), orphan and
// NULL dimension keys in the facts, duplicate current versions, overlapping or gapped SCD ranges.
std::vector<QualityCheck> runQualityChecks(pqxx::transaction_base& txn, std::int64_t run_id);

} // namespace gm::warehouse
