// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace pqxx {
class transaction_base;
}

// The load steps: set-based SQL inside PostgreSQL, each run in one transaction by the runner.
// A step reads the raw rows whose ingest_xid lies in [from_xid, to_xid) (see
// sql/warehouse/0001_ingest_marks.sql) and must be idempotent for a range it has already taken
// (facts insert ON CONFLICT DO NOTHING; the runner moves the mark in the same transaction).
namespace gm::warehouse {

struct LoadRange {
    std::int64_t from_xid = 0;
    std::int64_t to_xid = 0;
};

struct StepCounts {
    std::int64_t rows_read = 0;
    std::int64_t rows_written = 0;
};

using EtlStepFunction = StepCounts (*)(pqxx::transaction_base&, const LoadRange&);

struct EtlStep {
    std::string_view name; // also the etl_state.job key
    EtlStepFunction run;
};

// In dependency order: dimensions before the facts that point at them.
const std::vector<EtlStep>& etlSteps();

StepCounts loadDimDate(pqxx::transaction_base& txn, const LoadRange& range);
StepCounts loadDimGeography(pqxx::transaction_base& txn, const LoadRange& range);
StepCounts loadDimProducts(pqxx::transaction_base& txn, const LoadRange& range);
StepCounts loadDimCustomers(pqxx::transaction_base& txn, const LoadRange& range);
StepCounts loadFactSales(pqxx::transaction_base& txn, const LoadRange& range);
StepCounts loadFactCartEvents(pqxx::transaction_base& txn, const LoadRange& range);
StepCounts loadFactProductViews(pqxx::transaction_base& txn, const LoadRange& range);

} // namespace gm::warehouse
