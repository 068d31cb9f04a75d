// SPDX-License-Identifier: GPL-3.0-or-later
// globalmart --run-batch as the command line runs it: one line per step, the quality result,
// exit 0; a failing step names itself and exits 1; bad options exit 2 with one line.
#include "app/batch_command.h"
#include "warehouse_test_support.h"

#include <QtTest>
#include <algorithm>
#include <cstdio>

using namespace gm;

namespace {

struct Outcome {
    int exit_code = -1;
    std::string out;
    std::string err;
};

std::string readAll(std::FILE* file) {
    std::rewind(file);
    std::string text;
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
        text.append(buffer, n);
    }
    std::fclose(file);
    return text;
}

Outcome runCommand(const QStringList& options) {
    std::FILE* out = std::tmpfile();
    std::FILE* err = std::tmpfile();
    Outcome outcome;
    outcome.exit_code =
        runBatchCommand(QStringList{"globalmart", "--run-batch"} + options, out, err);
    outcome.out = readAll(out);
    outcome.err = readAll(err);
    return outcome;
}

int countLines(const std::string& text, const std::string& needle) {
    int count = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos;
         at = text.find(needle, at + 1)) {
        ++count;
    }
    return count;
}

} // namespace

class TestBatchCommand : public QObject {
    Q_OBJECT

private slots:
    void init() { GM_REQUIRE_SERVER(); }
    void badOptionsExitTwo();
    void unreachableWarehouseIsNamed();
    void runPrintsEveryStepAndQuality();
    void failingStepExitsOneNamingIt();
};

void TestBatchCommand::badOptionsExitTwo() {
    auto outcome = runCommand({"--analysis-date", "2026-02-30"});
    QCOMPARE(outcome.exit_code, 2);
    QVERIFY2(outcome.err.find("--analysis-date: '2026-02-30' is not a date") != std::string::npos,
             outcome.err.c_str());
    outcome = runCommand({"--db", "dbname=a", "--warehouse-db", ""});
    QCOMPARE(outcome.exit_code, 2);
    QVERIFY2(outcome.err.find("--warehouse-db: the URL is empty") != std::string::npos,
             outcome.err.c_str());
}

// An unreachable warehouse database: one line naming it and where it was looked for.
void TestBatchCommand::unreachableWarehouseIsNamed() {
    test::ScratchDatabase db;
    test::migrateRealtime(db.conninfo());
    const auto outcome = runCommand({"--db", QString::fromStdString(db.conninfo()),
                                     "--warehouse-db", "postgresql://nobody@/x?host=/nonexistent"});
    QCOMPARE(outcome.exit_code, 1);
    QVERIFY2(outcome.err.find("the warehouse database (--warehouse-db): no PostgreSQL server is "
                              "listening at host /nonexistent") != std::string::npos,
             outcome.err.c_str());
    QCOMPARE(std::count(outcome.err.begin(), outcome.err.end(), '\n'), 1);
}

void TestBatchCommand::runPrintsEveryStepAndQuality() {
    test::ScratchDatabase db;
    test::migrateRealtime(db.conninfo());
    test::RawEvents raw(db.conninfo());
    raw.view(1, "USER_A", "2026-11-30T08:00:00Z", "PROD_A", "Alpha", "Smartphones", "100.00");
    raw.order(1, "USER_A", "2026-11-30T10:00:00Z", "USA",
              {{"PROD_A", 1, "100.00"}, {"PROD_B", 2, "10.00"}});
    const auto outcome = runCommand(
        {"--db", QString::fromStdString(db.conninfo()), "--analysis-date", "2026-12-01"});
    QVERIFY2(outcome.exit_code == 0, (outcome.out + outcome.err).c_str());
    // 7 load steps, the quality step and 6 jobs, each with its rows and seconds.
    QCOMPARE(countLines(outcome.out, " rows "), 14);
    QVERIFY2(outcome.out.find("  fact_sales                        2 rows ") != std::string::npos,
             outcome.out.c_str());
    QVERIFY2(outcome.out.find("checks, 0 failed") != std::string::npos, outcome.out.c_str());
    QVERIFY(outcome.err.empty());
}

void TestBatchCommand::failingStepExitsOneNamingIt() {
    test::ScratchDatabase db;
    test::migrateRealtime(db.conninfo());
    warehouse::migrateWarehouse(db.conninfo());
    test::RawEvents raw(db.conninfo());
    {
        pqxx::work txn(raw.connection());
        txn.exec("ALTER TABLE warehouse.fact_product_views ADD CONSTRAINT broken CHECK (false)");
        txn.commit();
    }
    raw.view(1, "USER_A", "2026-11-30T08:00:00Z", "PROD_A", "Alpha", "Smartphones", "100.00");
    const auto outcome = runCommand(
        {"--db", QString::fromStdString(db.conninfo()), "--analysis-date", "2026-12-01"});
    QCOMPARE(outcome.exit_code, 1);
    QVERIFY2(outcome.err.find("step fact_product_views failed") != std::string::npos,
             outcome.err.c_str());
    QVERIFY2(outcome.out.find("fact_product_views     FAILED") != std::string::npos,
             outcome.out.c_str());
    // The steps before it ran and were kept.
    QCOMPARE(countLines(outcome.out, " rows "), 6);
    GM_COMPARE_TEXT(test::valueOf(raw.connection(), "SELECT count(*) FROM dim_products"),
                    std::string("1"));
}

QTEST_GUILESS_MAIN(TestBatchCommand)
#include "tst_batch_command.moc"
