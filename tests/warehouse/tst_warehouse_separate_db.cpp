// SPDX-License-Identifier: GPL-3.0-or-later
// A warehouse in a database of its own: the raw tables are read through postgres_fdw, loads are
// incremental across the two databases (snapshots of the raw database), and the jobs run there.
#include "warehouse_test_support.h"

#include <QtTest>

using namespace gm;

class TestWarehouseSeparateDb : public QObject {
    Q_OBJECT

private slots:
    void init() { GM_REQUIRE_SERVER(); }
    void loadsAcrossDatabases();
};

void TestWarehouseSeparateDb::loadsAcrossDatabases() {
    test::ScratchDatabase raw_db;
    test::ScratchDatabase warehouse_db;
    test::migrateRealtime(raw_db.conninfo());
    test::RawEvents raw(raw_db.conninfo());
    raw.view(1, "USER_A", "2026-11-30T08:00:00Z", "PROD_A", "Alpha", "Smartphones", "100.00");
    raw.order(1, "USER_A", "2026-11-30T10:00:00Z", "USA",
              {{"PROD_A", 1, "100.00"}, {"PROD_B", 2, "10.00"}});

    warehouse::BatchOptions options;
    options.conninfo = raw_db.conninfo();
    options.warehouse_conninfo = warehouse_db.conninfo();
    options.analysis_date = "2026-12-01";
    auto report = warehouse::runBatch(options);
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    QVERIFY(report.qualityPassed());

    pqxx::connection warehouse(warehouse_db.conninfo());
    GM_COMPARE_TEXT(test::valueOf(warehouse, "SELECT count(*), sum(total_amount), "
                                             "min(order_total) FROM fact_sales"),
                    std::string("2|120.00|120.00"));
    GM_COMPARE_TEXT(test::valueOf(warehouse, "SELECT frequency_count, monetary_value FROM "
                                             "rfm_analysis"),
                    std::string("1|120.00"));
    // Nothing of the warehouse in the raw database.
    GM_COMPARE_TEXT(test::valueOf(raw.connection(), "SELECT count(*) FROM "
                                                    "information_schema.tables WHERE "
                                                    "table_schema = 'warehouse'"),
                    std::string("0"));

    // Incremental: a new order, and a rerun that adds nothing more.
    raw.order(2, "USER_A", "2026-12-01T10:00:00Z", "USA", {{"PROD_A", 1, "100.00"}});
    report = warehouse::runBatch(options);
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    report = warehouse::runBatch(options);
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    GM_COMPARE_TEXT(test::valueOf(warehouse, "SELECT count(*), count(DISTINCT transaction_id) "
                                             "FROM fact_sales"),
                    std::string("3|2"));
    GM_COMPARE_TEXT(test::valueOf(warehouse, "SELECT total_transactions, total_spent FROM "
                                             "dim_customers"),
                    std::string("2|220.00"));
}

QTEST_GUILESS_MAIN(TestWarehouseSeparateDb)
#include "tst_warehouse_separate_db.moc"
