// SPDX-License-Identifier: GPL-3.0-or-later
// Schema migrations against a real server: from an empty database, re-run, concurrent runners,
// a failing migration, a database newer than the program, and the table/column contract of
// docs/realtime-tables.md.
#include "db_test_support.h"
#include "pipeline/postgres/migration_runner.h"

#include <QtTest>
#include <filesystem>
#include <map>
#include <pqxx/pqxx>
#include <set>
#include <thread>

using namespace gm;

namespace {

MigrationRunner projectMigrations() {
    return MigrationRunner::embedded();
}

std::vector<std::string> columnsOf(pqxx::connection& conn, const std::string& table) {
    pqxx::read_transaction txn(conn);
    std::vector<std::string> out;
    for (const auto& row :
         txn.exec_params("SELECT column_name FROM information_schema.columns WHERE "
                         "table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
                         table)) {
        out.push_back(row[0].as<std::string>());
    }
    return out;
}

std::vector<std::string> primaryKeyOf(pqxx::connection& conn, const std::string& table) {
    pqxx::read_transaction txn(conn);
    std::vector<std::string> out;
    for (const auto& row : txn.exec_params(
             "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
             "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = $1::regclass AND i.indisprimary "
             "ORDER BY array_position(i.indkey, a.attnum)",
             table)) {
        out.push_back(row[0].as<std::string>());
    }
    return out;
}

struct TableContract {
    std::vector<std::string> key;
    std::vector<std::string> columns; // besides the key and created_at
};

// docs/realtime-tables.md: names are the contract with SQL written for the original GlobalMart.
const std::map<std::string, TableContract>& contract() {
    static const std::vector<std::string> w = {"window_start", "window_end"};
    auto key = [&](std::initializer_list<std::string> extra) {
        std::vector<std::string> k = w;
        k.insert(k.end(), extra);
        return k;
    };
    static const std::map<std::string, TableContract> tables = {
        {"sales_per_minute", {key({}), {"total_transactions", "total_revenue", "avg_order_value"}}},
        {"sales_by_country",
         {key({"country"}), {"total_transactions", "total_revenue", "avg_order_value"}}},
        {"cart_sessions",
         {key({"user_id", "session_id"}),
          {"country", "add_count", "remove_count", "update_count", "checkout_count",
           "max_cart_value", "last_activity", "total_events", "session_completed"}}},
        {"cart_metrics",
         {key({"country"}),
          {"total_cart_events", "adds", "removes", "updates", "checkouts", "avg_cart_value",
           "max_cart_value", "abandonment_rate_pct"}}},
        {"abandoned_carts",
         {key({"user_id", "session_id"}),
          {"country", "items_added", "abandoned_cart_value", "last_activity", "total_events",
           "abandonment_detected_at"}}},
        {"trending_products",
         {key({"product_id"}),
          {"product_name", "category", "view_count", "unique_viewers", "avg_view_duration",
           "product_price", "analyzed_at"}}},
        {"category_performance",
         {key({"category", "country"}),
          {"total_views", "unique_users", "unique_products", "avg_view_duration",
           "avg_product_price"}}},
        {"search_behavior",
         {key({"search_query", "country"}), {"search_count", "unique_searchers", "avg_results"}}},
        {"browsing_sessions",
         {key({"user_id", "session_id"}),
          {"country", "views", "searches", "filters", "compares", "unique_products_viewed",
           "avg_view_duration", "first_activity", "last_activity", "total_events",
           "session_duration_sec"}}},
        {"high_value_anomalies",
         {{"transaction_id"},
          {"user_id", "timestamp", "total_amount", "payment_method", "country", "anomaly_type",
           "anomaly_reason", "severity", "detected_at"}}},
        {"high_quantity_anomalies",
         {{"transaction_id", "product_id"},
          {"user_id", "timestamp", "quantity", "total_amount", "payment_method", "country",
           "anomaly_type", "anomaly_reason", "severity", "detected_at"}}},
        {"suspicious_patterns",
         {key({"user_id"}),
          {"country", "transaction_count", "total_spent", "avg_transaction", "max_transaction",
           "first_transaction", "last_transaction", "anomaly_type", "anomaly_reason", "severity",
           "detected_at"}}},
        {"anomaly_stats",
         {key({"country"}),
          {"total_anomalies", "high_value_count", "high_quantity_count", "critical_count",
           "high_severity_count", "medium_severity_count"}}},
        {"product_sales_velocity",
         {key({"product_id"}), {"units_sold", "total_revenue", "avg_price"}}},
        {"inventory_by_country", {key({"product_id", "country"}), {"units_sold", "total_revenue"}}},
        {"high_demand_alerts",
         {key({"product_id"}),
          {"units_sold", "total_revenue", "demand_level", "alert_generated_at"}}},
        {"restock_alerts",
         {key({"product_id", "country"}),
          {"units_sold", "sales_rate_per_min", "urgency", "alert_generated_at"}}},
        {"inventory_metrics",
         {key({"country"}),
          {"total_units_sold", "unique_products_sold", "total_revenue", "fast_moving_products"}}},
    };
    return tables;
}

} // namespace

class TestMigrations : public QObject {
    Q_OBJECT

private slots:
    void init() {
        if (QByteArray(QTest::currentTestFunction()) != "migrationFilesAreOrderedByNumber") {
            GM_REQUIRE_SERVER();
        }
    }
    void migratesAnEmptyDatabase();
    void realtimeTablesFollowTheSpec();
    void reRunIsANoOp();
    void concurrentRunnersApplyOnce();
    void failingMigrationLeavesPreviousVersion();
    void newerDatabaseIsRefused();
    void criticalAnomaliesViewIsNewestFirst();
    void migrationFilesAreOrderedByNumber();
    void embeddedSchemaIsTheSourceTreeSchema();
};

void TestMigrations::migratesAnEmptyDatabase() {
    test::ScratchDatabase db;
    pqxx::connection conn(db.conninfo());
    const MigrationRunner runner = projectMigrations();
    QCOMPARE(MigrationRunner::databaseVersion(conn), 0);
    const auto result = runner.migrate(conn);
    QCOMPARE(result.from_version, 0);
    QCOMPARE(result.to_version, runner.latestVersion());
    QCOMPARE(result.applied.size(), runner.migrations().size());
    QCOMPARE(MigrationRunner::databaseVersion(conn), runner.latestVersion());

    pqxx::read_transaction txn(conn);
    for (const char* table : {"stock_levels", "low_stock_alerts", "alerts", "transactions",
                              "transaction_items", "cart_events", "product_view_events",
                              "rejected_events", "pipeline_progress", "schema_version"}) {
        QVERIFY2(txn.exec_params1("SELECT to_regclass($1) IS NOT NULL", std::string(table))[0]
                     .as<bool>(),
                 table);
    }
    const auto types = txn.exec1(
        "SELECT (SELECT data_type FROM information_schema.columns WHERE table_name = "
        "'transactions' AND column_name = 'transaction_id'), (SELECT data_type FROM "
        "information_schema.columns WHERE table_name = 'sales_per_minute' AND column_name = "
        "'window_start'), (SELECT numeric_precision || ',' || numeric_scale FROM "
        "information_schema.columns WHERE table_name = 'transactions' AND column_name = "
        "'total_amount')");
    QCOMPARE(types[0].as<std::string>(), std::string("uuid"));
    QCOMPARE(types[1].as<std::string>(), std::string("timestamp with time zone"));
    QCOMPARE(types[2].as<std::string>(), std::string("12,2"));
}

void TestMigrations::realtimeTablesFollowTheSpec() {
    test::ScratchDatabase db;
    pqxx::connection conn(db.conninfo());
    projectMigrations().migrate(conn);
    QCOMPARE(contract().size(), std::size_t{18});
    for (const auto& [table, spec] : contract()) {
        std::vector<std::string> expected = spec.key;
        expected.insert(expected.end(), spec.columns.begin(), spec.columns.end());
        expected.push_back("created_at");
        const auto actual = columnsOf(conn, table);
        QVERIFY2(std::set<std::string>(actual.begin(), actual.end()) ==
                     std::set<std::string>(expected.begin(), expected.end()),
                 table.c_str());
        QVERIFY2(primaryKeyOf(conn, table) == spec.key, table.c_str());
    }
    const auto view = columnsOf(conn, "recent_critical_anomalies");
    QCOMPARE(view,
             (std::vector<std::string>{"anomaly_source", "transaction_id", "user_id", "timestamp",
                                       "metric_value", "severity", "detected_at"}));
}

void TestMigrations::reRunIsANoOp() {
    test::ScratchDatabase db;
    pqxx::connection conn(db.conninfo());
    const MigrationRunner runner = projectMigrations();
    runner.migrate(conn);
    const auto again = runner.migrate(conn);
    QVERIFY(again.applied.empty());
    QCOMPARE(again.from_version, runner.latestVersion());
    QCOMPARE(again.to_version, runner.latestVersion());
    pqxx::read_transaction txn(conn);
    QCOMPARE(txn.exec1("SELECT count(*) FROM schema_version")[0].as<std::size_t>(),
             runner.migrations().size());
}

void TestMigrations::concurrentRunnersApplyOnce() {
    test::ScratchDatabase db;
    const MigrationRunner runner = projectMigrations();
    std::vector<MigrationRunner::Result> results(4);
    std::vector<std::string> errors(results.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < results.size(); ++i) {
        threads.emplace_back([&, i] {
            try {
                pqxx::connection conn(db.conninfo());
                results[i] = runner.migrate(conn);
            } catch (const std::exception& e) {
                errors[i] = e.what();
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    std::size_t applied = 0;
    for (std::size_t i = 0; i < results.size(); ++i) {
        QVERIFY2(errors[i].empty(), errors[i].c_str());
        QCOMPARE(results[i].to_version, runner.latestVersion());
        applied += results[i].applied.size();
    }
    QCOMPARE(applied, runner.migrations().size()); // each migration ran exactly once
}

void TestMigrations::failingMigrationLeavesPreviousVersion() {
    test::ScratchDatabase db;
    pqxx::connection conn(db.conninfo());
    const MigrationRunner broken({{1, "first", "CREATE TABLE first_table (x integer)"},
                                  {2, "broken",
                                   "CREATE TABLE second_table (x integer);\n"
                                   "SELECT * FROM no_such_table;"}});
    bool threw = false;
    try {
        broken.migrate(conn);
    } catch (const std::runtime_error& e) {
        threw = true;
        QVERIFY2(std::string(e.what()).find("migration 2_broken failed") != std::string::npos,
                 e.what());
    }
    QVERIFY(threw);
    QCOMPARE(MigrationRunner::databaseVersion(conn), 1);
    pqxx::read_transaction txn(conn);
    QVERIFY(txn.exec1("SELECT to_regclass('second_table') IS NULL")[0].as<bool>());
}

void TestMigrations::newerDatabaseIsRefused() {
    test::ScratchDatabase db;
    pqxx::connection conn(db.conninfo());
    const MigrationRunner runner = projectMigrations();
    runner.migrate(conn);
    // One past whatever the newest migration is (the numbers grow as migrations are added).
    const int future = runner.latestVersion() + 1;
    {
        pqxx::work txn(conn);
        txn.exec_params("INSERT INTO schema_version (version, name) VALUES ($1, 'from_the_future')",
                        future);
        txn.commit();
    }
    try {
        runner.migrate(conn);
        QFAIL("a newer schema must be refused");
    } catch (const SchemaTooNewError& e) {
        QCOMPARE(e.databaseVersion(), future);
        const std::string expected = "database schema is version " + std::to_string(future) +
                                     " but this globalmart knows up to " +
                                     std::to_string(runner.latestVersion()) +
                                     ": upgrade globalmart";
        QCOMPARE(std::string(e.what()), expected);
    }
}

void TestMigrations::criticalAnomaliesViewIsNewestFirst() {
    test::ScratchDatabase db;
    pqxx::connection conn(db.conninfo());
    projectMigrations().migrate(conn);
    pqxx::work txn(conn);
    txn.exec("INSERT INTO high_value_anomalies (transaction_id, user_id, \"timestamp\", "
             "total_amount, anomaly_type, severity, detected_at) VALUES "
             "('00000000-0000-4000-8000-000000000001', 'USER_00000001', "
             "'2026-11-25T10:00:00Z', 12000.00, 'high_value', 'critical', now()), "
             "('00000000-0000-4000-8000-000000000002', 'USER_00000002', "
             "'2026-11-25T10:05:00Z', 6000.00, 'high_value', 'medium', now())");
    txn.exec("INSERT INTO high_quantity_anomalies (transaction_id, product_id, user_id, "
             "\"timestamp\", quantity, anomaly_type, severity, detected_at) VALUES "
             "('00000000-0000-4000-8000-000000000003', 'PROD_00000007', 'USER_00000003', "
             "'2026-11-25T10:02:00Z', 120, 'high_quantity', 'critical', now())");
    const pqxx::result rows =
        txn.exec("SELECT anomaly_source, transaction_id::text, metric_value::text FROM "
                 "recent_critical_anomalies");
    QCOMPARE(rows.size(), pqxx::result::size_type{2});
    QCOMPARE(rows[0][0].as<std::string>(), std::string("high_quantity"));
    QCOMPARE(rows[0][2].as<std::string>(), std::string("120"));
    QCOMPARE(rows[1][0].as<std::string>(), std::string("high_value"));
    QCOMPARE(rows[1][2].as<std::string>(), std::string("12000.00"));
}

void TestMigrations::migrationFilesAreOrderedByNumber() {
    QTemporaryDir dir;
    auto write = [&](const char* name, const char* sql) {
        QFile f(dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(sql);
    };
    write("0010_later.sql", "SELECT 10");
    write("0002_second.sql", "SELECT 2");
    write("README.md", "not a migration");
    const auto migrations = loadMigrations(dir.path().toStdString());
    QCOMPARE(migrations.size(), std::size_t{2});
    QCOMPARE(migrations[0].version, 2);
    QCOMPARE(migrations[0].name, std::string("second"));
    QCOMPARE(migrations[1].version, 10);
    write("0010_duplicate.sql", "SELECT 10");
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, loadMigrations(dir.path().toStdString()));
}

// The program carries sql/migrations compiled in; a file added to the folder but not to
// sql/CMakeLists.txt, or edited without a rebuild, must not go unnoticed.
void TestMigrations::embeddedSchemaIsTheSourceTreeSchema() {
    const auto on_disk = loadMigrations(std::filesystem::path(GM_SQL_SOURCE_DIR) / "migrations");
    const auto embedded = embeddedMigrations("migrations");
    QCOMPARE(embedded.size(), on_disk.size());
    for (std::size_t i = 0; i < on_disk.size(); ++i) {
        QCOMPARE(embedded[i].version, on_disk[i].version);
        QCOMPARE(embedded[i].name, on_disk[i].name);
        QVERIFY2(embedded[i].sql == on_disk[i].sql, on_disk[i].name.c_str());
    }
    QVERIFY(!embedded.empty());
}

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
