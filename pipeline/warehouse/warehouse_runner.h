// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/warehouse/etl_quality.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

// One batch run: the ETL steps (each in its own transaction, moving its etl_state mark in the
// same transaction), the data-quality report, then every batch job for one analysis date.
namespace gm::warehouse {

struct BatchOptions {
    std::string conninfo; // the database holding the raw event tables
    // The warehouse's database when it is another one (empty: schema `schema` of conninfo).
    // The raw tables are then read through postgres_fdw foreign tables in its schema
    // warehouse_source, so the load is still set-based SQL inside PostgreSQL.
    std::string warehouse_conninfo;
    std::string schema = "warehouse";
    std::string analysis_date; // YYYY-MM-DD; empty: today (UTC)
    bool full_reload = false;  // empty the warehouse and load everything again
    bool run_etl = true;
    bool run_jobs = true;
    // Set (from another thread) to stop: the statement under way is cancelled on the server
    // (its step rolls back and is reported as cancelled, not failed), or, if the request lands
    // between statements, the step finishes; the remaining steps are not run.
    const std::atomic<bool>* cancel = nullptr;
};

struct StepReport {
    std::string step;
    bool ok = false;
    std::int64_t rows = 0;
    double seconds = 0;
    std::string error;
};

struct BatchReport {
    std::int64_t run_id = 0;
    std::string analysis_date;
    std::vector<StepReport> steps;
    std::vector<QualityCheck> quality;
    std::string failed_step; // the first step that failed, empty when all succeeded
    bool cancelled = false;  // BatchOptions::cancel stopped the run before its last step
    bool qualityPassed() const;
    bool ok() const { return failed_step.empty() && !cancelled; }
};

// Applies <sql dir>/warehouse/source to the raw tables' database (search path
// "warehouse_ingest, public") and <sql dir>/warehouse to the warehouse (search path
// "<schema>, public"; each set has its schema_version in its schema), creating the schemas as
// needed; with a separate warehouse database, also (re)creates the foreign raw tables. Throws
// std::runtime_error with a one-line reason.
void migrateWarehouse(const BatchOptions& options);
// The same database for both.
void migrateWarehouse(const std::string& conninfo, const std::string& schema = "warehouse");

// Runs the batch. Never throws for a failing step: the report names it and the rest of the run
// is skipped when an ETL step failed (jobs on a half-loaded warehouse would mislead); a failing
// job does not stop the other jobs. Throws std::runtime_error when it cannot connect or migrate.
BatchReport runBatch(const BatchOptions& options,
                     const std::function<void(const StepReport&)>& on_step = {});

// The names of the steps runBatch runs with these options, in order (for progress bars).
std::vector<std::string> plannedSteps(const BatchOptions& options);

// "YYYY-MM-DD" of the current UTC day.
std::string todayUtc();
// True for a real calendar date written YYYY-MM-DD.
bool isIsoDate(const std::string& text);

} // namespace gm::warehouse
