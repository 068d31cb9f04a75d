// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/warehouse/warehouse_runner.h"

#include "pipeline/postgres/connection_errors.h"
#include "pipeline/postgres/migration_runner.h"
#include "pipeline/warehouse/batch_jobs.h"
#include "pipeline/warehouse/error_text.h"
#include "pipeline/warehouse/etl_steps.h"
#include "pipeline/warehouse/query_canceller.h"

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <libpq-fe.h>
#include <pqxx/pqxx>
#include <stdexcept>

namespace gm::warehouse {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

constexpr const char* kForeignSchema = "warehouse_source";
constexpr const char* kForeignServer = "globalmart_raw_events";

bool separateWarehouse(const BatchOptions& options) {
    return !options.warehouse_conninfo.empty() && options.warehouse_conninfo != options.conninfo;
}

// Search path: the warehouse first, then the raw event tables. Dates are UTC days. Set through
// libpqxx, which sets them again when it reconnects a lost connection: the failure of a step
// that lost its connection is then recorded in the warehouse's tables, not in whatever the
// server's default search path finds.
void prepareSession(pqxx::connection& connection, const std::string& schema,
                    const std::string& raw_schema = "public") {
    connection.set_variable("search_path", connection.quote_name(schema) + ", " +
                                               connection.quote_name(raw_schema));
    connection.set_variable("TimeZone", "'UTC'");
    // JIT compilation costs ~150 ms per statement and pays off only for the largest full loads.
    connection.set_variable("jit", "off");
}

void createSchema(pqxx::connection& connection, const std::string& schema) {
    pqxx::nontransaction create(connection);
    // Two runners may race to create the schema; the loser's error is harmless.
    try {
        create.exec("CREATE SCHEMA IF NOT EXISTS " + create.quote_name(schema));
    } catch (const pqxx::unique_violation&) {
    }
}

// The raw tables of the source database as foreign tables in the warehouse database, made
// afresh on every run (so new raw columns appear). The server reaches the source with the
// connection's effective host, port, database and user (libpq's environment defaults are not
// the server's), and the password given in the source URL, if any. DDL takes no parameters:
// the values are quoted literals.
void linkRawTables(pqxx::connection& warehouse, pqxx::connection& source,
                   const std::string& source_conninfo) {
    std::string password;
    char* error = nullptr;
    if (PQconninfoOption* options = PQconninfoParse(source_conninfo.c_str(), &error)) {
        for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
            if (std::string(o->keyword) == "password" && o->val != nullptr) {
                password = o->val;
            }
        }
        PQconninfoFree(options);
    }
    PQfreemem(error);
    if (password.empty()) {
        if (const char* env = std::getenv("PGPASSWORD")) {
            password = env;
        }
    }
    pqxx::work txn(warehouse);
    txn.exec("CREATE EXTENSION IF NOT EXISTS postgres_fdw");
    txn.exec(std::string("DROP SERVER IF EXISTS ") + kForeignServer + " CASCADE");
    const char* host = source.hostname();
    txn.exec(std::string("CREATE SERVER ") + kForeignServer +
             " FOREIGN DATA WRAPPER postgres_fdw OPTIONS (" +
             (host != nullptr && *host != '\0' ? "host " + txn.quote(host) + ", " : "") + "port " +
             txn.quote(source.port()) + ", dbname " + txn.quote(source.dbname()) + ")");
    txn.exec(std::string("CREATE USER MAPPING FOR CURRENT_USER SERVER ") + kForeignServer +
             " OPTIONS (user " + txn.quote(source.username()) +
             (password.empty() ? "" : ", password " + txn.quote(password)) + ")");
    txn.exec(std::string("CREATE SCHEMA IF NOT EXISTS ") + kForeignSchema);
    txn.exec(std::string("IMPORT FOREIGN SCHEMA public LIMIT TO (transactions, "
                         "transaction_items, cart_events, product_view_events) FROM SERVER ") +
             kForeignServer + " INTO " + kForeignSchema);
    txn.commit();
}

// Later steps and jobs plan their joins on the statistics of what a step loaded. A load that
// adds a tenth of a table or more changes them; a small increment does not, and ANALYZE of a
// fact table of millions of rows samples it for about 0.4 s whatever the increment (autovacuum
// still analyzes it in its own time).
void analyzeIfGrown(pqxx::transaction_base& txn, std::string_view table,
                    std::int64_t rows_written) {
    if (rows_written <= 10'000) {
        return;
    }
    const double rows_before =
        txn.exec_params("SELECT reltuples FROM pg_class WHERE oid = $1::regclass",
                        std::string(table))[0][0]
            .as<double>();
    if (rows_before < 0 || static_cast<double>(rows_written) >= 0.1 * rows_before) {
        txn.exec("ANALYZE " + std::string(table));
    }
}

// Serialises batch runs on one database: a second run waits for the first.
void lockRuns(pqxx::connection& connection) {
    pqxx::nontransaction lock(connection);
    lock.exec("SELECT pg_advisory_lock(hashtext('globalmart warehouse batch'))");
}

void recordStep(pqxx::transaction_base& txn, std::int64_t run_id, const std::string& date,
                const std::string& step, std::chrono::system_clock::time_point started,
                const StepReport& report) {
    const auto started_us =
        std::chrono::duration_cast<std::chrono::microseconds>(started.time_since_epoch()).count();
    txn.exec_params(
        "INSERT INTO batch_runs (run_id, step, analysis_date, started_at, finished_at, status, "
        "rows, error_message) VALUES ($1, $2, $3::date, to_timestamp($4::double precision / "
        "1e6), clock_timestamp(), $5, $6, $7) ON CONFLICT (run_id, step) DO UPDATE SET "
        "finished_at = EXCLUDED.finished_at, status = EXCLUDED.status, rows = EXCLUDED.rows, "
        "error_message = EXCLUDED.error_message",
        run_id, step, date, started_us, report.ok ? "succeeded" : "failed", report.rows,
        report.ok ? nullptr : report.error.c_str());
}

// Runs body in one transaction together with its batch_runs row; on failure records the error in
// a transaction of its own (the step's work is rolled back) and returns the failed report.
template <typename Body>
StepReport
runStep(pqxx::connection& connection, std::int64_t run_id, const std::string& date,
        const std::string& step, Body&& body,
        const std::function<void(pqxx::transaction_base&, const std::string&)>& on_failure = {}) {
    StepReport report;
    report.step = step;
    const auto started = std::chrono::system_clock::now();
    const auto start = Clock::now();
    try {
        pqxx::work txn(connection);
        report.rows = body(txn, start);
        report.ok = true;
        report.seconds = secondsSince(start);
        recordStep(txn, run_id, date, step, started, report);
        txn.commit();
        return report;
    } catch (const std::exception& error) {
        report.ok = false;
        report.error = firstLine(error.what());
        report.seconds = secondsSince(start);
        if (!connection.is_open()) {
            // libpqxx's own text then only says what failed next ("not connected").
            report.error = "lost the connection to PostgreSQL: " + report.error;
        }
    }
    try {
        pqxx::work txn(connection);
        if (on_failure) {
            on_failure(txn, report.error);
        }
        recordStep(txn, run_id, date, step, started, report);
        txn.commit();
    } catch (const std::exception& error) {
        report.error += " (and recording the failure failed: " + firstLine(error.what()) + ")";
    }
    return report;
}

constexpr const char* kFullReload = R"SQL(
TRUNCATE fact_sales, fact_cart_events, fact_product_views, dim_customers, dim_products, dim_date,
         etl_state RESTART IDENTITY
)SQL";

} // namespace

bool BatchReport::qualityPassed() const {
    for (const QualityCheck& check : quality) {
        if (!check.passed) {
            return false;
        }
    }
    return true;
}

std::vector<std::string> plannedSteps(const BatchOptions& options) {
    std::vector<std::string> steps;
    if (options.run_etl) {
        if (options.full_reload) {
            steps.emplace_back("full_reload");
        }
        for (const EtlStep& step : etlSteps()) {
            steps.emplace_back(step.name);
        }
        steps.emplace_back("etl_quality");
    }
    if (options.run_jobs) {
        for (const BatchJob& job : batchJobs()) {
            steps.emplace_back(job.name);
        }
    }
    return steps;
}

std::string todayUtc() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &utc);
    return text;
}

bool isIsoDate(const std::string& text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return false;
    }
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        if (text[i] < '0' || text[i] > '9') {
            return false;
        }
    }
    const std::chrono::year_month_day date{
        std::chrono::year{std::stoi(text.substr(0, 4))},
        std::chrono::month{static_cast<unsigned>(std::stoi(text.substr(5, 2)))},
        std::chrono::day{static_cast<unsigned>(std::stoi(text.substr(8, 2)))}};
    return date.ok();
}

// Connects, or throws one line naming the database and what is wrong with reaching it (libpq's
// own text is two lines and does not say which of the two databases it was).
pqxx::connection connectTo(const std::string& conninfo, std::string_view which) {
    try {
        return pqxx::connection(conninfo);
    } catch (const pqxx::broken_connection& error) {
        throw std::runtime_error(std::string(which) + ": " +
                                 describeConnectionFailure(error.what(), conninfo));
    }
}

constexpr std::string_view kEventsDatabase = "the events database";
constexpr std::string_view kWarehouseDatabase = "the warehouse database (--warehouse-db)";

void migrateWarehouse(const BatchOptions& options) {
    pqxx::connection source = connectTo(options.conninfo, kEventsDatabase);
    createSchema(source, "warehouse_ingest");
    prepareSession(source, "warehouse_ingest");
    MigrationRunner(embeddedMigrations("warehouse/source")).migrate(source);

    const bool separate = separateWarehouse(options);
    pqxx::connection warehouse = separate
                                     ? connectTo(options.warehouse_conninfo, kWarehouseDatabase)
                                     : connectTo(options.conninfo, kEventsDatabase);
    createSchema(warehouse, options.schema);
    prepareSession(warehouse, options.schema);
    MigrationRunner(embeddedMigrations("warehouse")).migrate(warehouse);
    if (separate) {
        linkRawTables(warehouse, source, options.conninfo);
    }
}

void migrateWarehouse(const std::string& conninfo, const std::string& schema) {
    BatchOptions options;
    options.conninfo = conninfo;
    options.schema = schema;
    migrateWarehouse(options);
}

BatchReport runBatch(const BatchOptions& options,
                     const std::function<void(const StepReport&)>& on_step) {
    BatchReport report;
    report.analysis_date = options.analysis_date.empty() ? todayUtc() : options.analysis_date;
    if (!isIsoDate(report.analysis_date)) {
        throw std::runtime_error("analysis date '" + report.analysis_date +
                                 "' is not a date YYYY-MM-DD");
    }
    migrateWarehouse(options);
    const bool separate = separateWarehouse(options);
    pqxx::connection source(options.conninfo);
    pqxx::connection connection(separate ? options.warehouse_conninfo : options.conninfo);
    prepareSession(connection, options.schema, separate ? kForeignSchema : "public");
    lockRuns(connection);
    const QueryCanceller canceller(separate ? options.warehouse_conninfo : options.conninfo,
                                   connection.backendpid(), options.cancel);
    {
        pqxx::work txn(connection);
        report.run_id = txn.exec("SELECT nextval('batch_run_ids')")[0][0].as<std::int64_t>();
        txn.commit();
    }
    const std::string& date = report.analysis_date;
    auto stopRequested = [&] {
        if (options.cancel != nullptr && options.cancel->load()) {
            report.cancelled = true;
        }
        return report.cancelled;
    };
    auto finish = [&](StepReport step) {
        if (!step.ok && stopRequested()) {
            // Cancelled within its statement: rolled back, not a failure of the data or SQL.
            step.error = "cancelled: " + step.error;
        } else if (!step.ok && report.failed_step.empty()) {
            report.failed_step = step.step;
        }
        if (on_step) {
            on_step(step);
        }
        report.steps.push_back(std::move(step));
    };

    if (options.run_etl) {
        if (options.full_reload) {
            finish(runStep(connection, report.run_id, date, "full_reload",
                           [](pqxx::transaction_base& txn, Clock::time_point) {
                               txn.exec(kFullReload);
                               return std::int64_t{0};
                           }));
        }
        // One snapshot for the whole load: every step takes the raw rows of the transactions
        // that had finished by now and not by its previous load's snapshot.
        LoadRange current;
        {
            // Transaction ids are those of the raw tables' database.
            pqxx::read_transaction txn(source);
            const auto row = txn.exec("SELECT s::text, pg_snapshot_xmin(s)::text::bigint, "
                                      "pg_snapshot_xmax(s)::text::bigint FROM "
                                      "pg_current_snapshot() AS s")[0];
            current.current_snapshot = row[0].as<std::string>();
            current.current_xmin = row[1].as<std::int64_t>();
            current.current_xmax = row[2].as<std::int64_t>();
        }
        FactRanges fact_ranges{current, current, current};
        auto rangeOfFact = [&](std::string_view job) -> LoadRange* {
            if (job == "fact_sales") {
                return &fact_ranges.sales;
            }
            if (job == "fact_cart_events") {
                return &fact_ranges.cart_events;
            }
            return job == "fact_product_views" ? &fact_ranges.product_views : nullptr;
        };
        for (const EtlStep& step : etlSteps()) {
            if (!report.failed_step.empty() || stopRequested()) {
                break;
            }
            const std::string job(step.name);
            finish(runStep(
                connection, report.run_id, date, job,
                [&](pqxx::transaction_base& txn, Clock::time_point start) {
                    const auto mark = txn.exec_params(
                        "SELECT high_water_snapshot, pg_snapshot_xmin(high_water_snapshot::"
                        "pg_snapshot)::text::bigint, pg_snapshot_xmax(high_water_snapshot::"
                        "pg_snapshot)::text::bigint FROM etl_state WHERE job = $1 FOR UPDATE",
                        job);
                    LoadRange range = current;
                    if (!mark.empty()) {
                        range.previous_snapshot = mark[0][0].as<std::string>();
                        range.previous_xmin = mark[0][1].as<std::int64_t>();
                        range.previous_xmax = mark[0][2].as<std::int64_t>();
                    }
                    if (LoadRange* fact = rangeOfFact(job)) {
                        *fact = range;
                    }
                    const StepCounts counts = step.run(txn, range);
                    analyzeIfGrown(txn, step.table, counts.rows_written);
                    const auto ms = static_cast<std::int64_t>(secondsSince(start) * 1000);
                    txn.exec_params(
                        "INSERT INTO etl_state (job, high_water_mark, high_water_snapshot, "
                        "last_run_at, status, rows_read, rows_written, duration_ms, error) "
                        "VALUES ($1, $2, $3, now(), 'succeeded', $4, $5, $6, NULL) ON CONFLICT "
                        "(job) DO UPDATE SET high_water_mark = EXCLUDED.high_water_mark, "
                        "high_water_snapshot = EXCLUDED.high_water_snapshot, last_run_at = "
                        "now(), status = 'succeeded', rows_read = EXCLUDED.rows_read, "
                        "rows_written = EXCLUDED.rows_written, duration_ms = "
                        "EXCLUDED.duration_ms, error = NULL",
                        job, range.current_xmin, range.current_snapshot, counts.rows_read,
                        counts.rows_written, ms);
                    return counts.rows_written;
                },
                [&](pqxx::transaction_base& txn, const std::string& error) {
                    txn.exec_params(
                        "INSERT INTO etl_state (job, last_run_at, status, error) VALUES ($1, "
                        "now(), 'failed', $2) ON CONFLICT (job) DO UPDATE SET last_run_at = "
                        "now(), status = 'failed', error = EXCLUDED.error",
                        job, error);
                }));
        }
        if (report.failed_step.empty() && !stopRequested()) {
            StepReport quality =
                runStep(connection, report.run_id, date, "etl_quality",
                        [&](pqxx::transaction_base& txn, Clock::time_point) {
                            report.quality = runQualityChecks(txn, report.run_id, fact_ranges);
                            return static_cast<std::int64_t>(report.quality.size());
                        });
            if (quality.ok && !report.qualityPassed()) {
                quality.ok = false;
                int failed = 0;
                for (const QualityCheck& check : report.quality) {
                    failed += check.passed ? 0 : 1;
                }
                quality.error = std::to_string(failed) + " data-quality checks failed";
                pqxx::work txn(connection);
                txn.exec_params("UPDATE batch_runs SET status = 'failed', error_message = $3 "
                                "WHERE run_id = $1 AND step = $2",
                                report.run_id, "etl_quality", quality.error);
                txn.commit();
            }
            finish(std::move(quality));
        }
    }
    if (options.run_jobs && (report.failed_step.empty() || report.failed_step == "etl_quality")) {
        for (const BatchJob& job : batchJobs()) {
            if (stopRequested()) {
                break;
            }
            finish(runStep(connection, report.run_id, date, std::string(job.name),
                           [&](pqxx::transaction_base& txn, Clock::time_point) {
                               return job.run(txn, date);
                           }));
        }
    }
    return report;
}

} // namespace gm::warehouse
