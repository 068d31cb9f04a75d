// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/warehouse/etl_steps.h"

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

// The load ranges the three fact steps of this run took (each step's own: a step that failed in
// an earlier run starts from its own mark).
struct FactRanges {
    LoadRange sales;
    LoadRange cart_events;
    LoadRange product_views;
};

// Runs the data-quality checks of one load and stores them in etl_quality under run_id. The fact
// checks cover the raw rows that this load's fact steps took: each must be in its fact table
// once (row_count, duplicate_keys), with its dimension keys set (null_keys) and pointing at
// existing dimension rows (orphan_keys), its date in dim_date (missing_dates). So their cost
// follows the size of the load, not of the warehouse; a first load or --full-reload takes every
// raw row and so checks every fact. The dimension checks (one current version per key, SCD
// ranges without overlap or gap) always cover the whole dimension: dimensions are small.
std::vector<QualityCheck> runQualityChecks(pqxx::transaction_base& txn, std::int64_t run_id,
                                           const FactRanges& ranges);

} // namespace gm::warehouse
