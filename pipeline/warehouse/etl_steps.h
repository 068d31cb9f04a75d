// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pqxx {
class transaction_base;
class result;
} // namespace pqxx

// The load steps: set-based SQL inside PostgreSQL, each run in one transaction by the runner.
// A step reads the raw rows that became visible between two snapshots: those of the inserting
// transaction (ingest_xid, see sql/warehouse/source/0001_ingest_marks.sql) finished in the run's
// snapshot but not in the previous run's. Snapshots are those of pg_current_snapshot(), so a
// transaction still running when a load starts - anywhere in the cluster - is simply taken by
// the next load. Every statement runs through execInRange() (six parameters, $1..$6 below) and
// selects its raw rows with rangePredicate(). The runner moves the mark in the step's
// transaction, so a raw row is taken by exactly one successful load; fact_sales also takes the
// loaded lines of an order again when another part of it arrives, and skips them (ON CONFLICT DO
// NOTHING).
namespace gm::warehouse {

struct LoadRange {
    std::int64_t previous_xmin = 1;         // $1
    std::int64_t previous_xmax = 1;         // $2
    std::string previous_snapshot = "1:1:"; // $3, nothing loaded yet
    std::int64_t current_xmin = 1;          // $4
    std::int64_t current_xmax = 1;          // $5
    std::string current_snapshot = "1:1:";  // $6
};

// "<prefix>ingest_xid is in the range": finished in the current snapshot, not in the previous
// one. The BRIN-friendly bounds come first; the visibility functions only decide the rows of
// the few transactions that were running when a snapshot was taken.
std::string rangePredicate(const std::string& prefix = "");
// "<prefix>ingest_xid finished in the current snapshot" (for the other side of a join).
std::string currentPredicate(const std::string& prefix = "");

struct StepCounts {
    std::int64_t rows_read = 0;
    std::int64_t rows_written = 0;
};

using EtlStepFunction = StepCounts (*)(pqxx::transaction_base&, const LoadRange&);

struct EtlStep {
    std::string_view name;  // also the etl_state.job key
    std::string_view table; // the table it loads
    EtlStepFunction run;
};

// Runs one statement of a step with the range's parameters.
pqxx::result execInRange(pqxx::transaction_base& txn, const std::string& sql,
                         const LoadRange& range);

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
