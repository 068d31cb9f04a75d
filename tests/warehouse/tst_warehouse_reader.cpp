// SPDX-License-Identifier: GPL-3.0-or-later
// The warehouse reader on the known small shop (known_warehouse.h). Every expected figure is
// computed here from the raw event tables with SQL of its own, not read back from the warehouse.
#include "known_warehouse.h"
#include "pipeline/warehouse/warehouse_reader.h"

#include <QtTest>
#include <cmath>
#include <thread>

using namespace gm;

namespace {

double number(pqxx::connection& connection, const std::string& sql) {
    return std::stod(test::valueOf(connection, sql));
}

// Raw order lines up to the end of the analysis date.
const std::string kLines =
    "(SELECT t.transaction_id, t.user_id, t.\"timestamp\" AS ts, t.total_amount, i.product_id, "
    "i.quantity, i.quantity * i.unit_price AS amount FROM transactions t JOIN transaction_items "
    "i USING (transaction_id) WHERE t.\"timestamp\" < timestamptz '2027-03-11 00:00+00') lines";

} // namespace

class TestWarehouseReader : public QObject {
    Q_OBJECT

private slots:
    void init() { GM_REQUIRE_SERVER(); }
    void emptyWarehouse();
    void knownShop();
    void cancelStopsBeforeTheNextStep();
    void cancelInterruptsARunningStatement();
};

void TestWarehouseReader::emptyWarehouse() {
    test::ScratchDatabase db;
    test::migrateRealtime(db.conninfo());
    warehouse::WarehouseReader reader(db.conninfo());
    QVERIFY(!reader.migrated());
    const warehouse::WarehouseView view = reader.view();
    QVERIFY(!view.migrated);
    QVERIFY(view.empty());

    warehouse::migrateWarehouse(db.conninfo());
    const warehouse::WarehouseView migrated = reader.view();
    QVERIFY(migrated.migrated);
    QVERIFY(migrated.empty());
    QVERIFY(migrated.batch_runs.empty());
    QVERIFY(migrated.analysis_date.empty());
}

void TestWarehouseReader::knownShop() {
    test::ScratchDatabase db;
    test::migrateRealtime(db.conninfo());
    test::RawEvents raw(db.conninfo());
    test::insertKnownShop(raw);
    const auto earlier = test::runWarehouse(db.conninfo(), "2027-03-09");
    QVERIFY2(earlier.ok(), test::failureText(earlier).c_str());
    const auto report = test::runWarehouse(db.conninfo(), test::kKnownAnalysisDate);
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    auto& conn = raw.connection();

    warehouse::WarehouseReader reader(db.conninfo());
    QVERIFY(reader.migrated());
    QCOMPARE(reader.analysisDates(), (std::vector<std::string>{"2027-03-10", "2027-03-09"}));

    // KPIs: the analysis day against the day before, from the raw rows.
    const warehouse::WarehouseKpis kpis = reader.kpis("2027-03-10");
    QCOMPARE(kpis.previous_date, std::string("2027-03-09"));
    const auto dayRevenue = [&](const char* day) {
        return number(conn,
                      "SELECT sum(amount) FROM " + kLines + " WHERE ts::date = '" + day + "'");
    };
    const auto dayCount = [&](const char* what, const char* day) {
        return number(conn, std::string("SELECT count(DISTINCT ") + what + ") FROM " + kLines +
                                " WHERE ts::date = '" + day + "'");
    };
    QCOMPARE(kpis.revenue.current, dayRevenue("2027-03-10"));
    QCOMPARE(kpis.revenue.current, 560.0); // 30 + 500 + 30, by hand
    QCOMPARE(*kpis.revenue.previous, dayRevenue("2027-03-09"));
    QCOMPARE(kpis.orders.current, dayCount("transaction_id", "2027-03-10"));
    QCOMPARE(*kpis.orders.previous, dayCount("transaction_id", "2027-03-09"));
    QCOMPARE(kpis.customers.current, dayCount("user_id", "2027-03-10"));
    QCOMPARE(kpis.units.current, number(conn, "SELECT sum(quantity) FROM " + kLines +
                                                  " WHERE ts::date = '2027-03-10'"));
    QCOMPARE(kpis.average_order_value.current,
             dayRevenue("2027-03-10") / dayCount("transaction_id", "2027-03-10"));
    const double views_today = number(conn, "SELECT count(*) FROM product_view_events WHERE "
                                            "\"timestamp\"::date = '2027-03-10'");
    QCOMPARE(kpis.conversion.current,
             100.0 * dayCount("transaction_id", "2027-03-10") / views_today);
    QVERIFY(kpis.revenue.changePct().has_value());
    QCOMPARE(*kpis.revenue.changePct(), 100.0 *
                                            (dayRevenue("2027-03-10") - dayRevenue("2027-03-09")) /
                                            dayRevenue("2027-03-09"));

    // RFM: every customer with an order in one cell; each cell's customers carry their raw
    // order count and order totals.
    const double buyers = number(conn, "SELECT count(DISTINCT user_id) FROM " + kLines);
    const auto cells = reader.rfmCells("2027-03-10");
    std::int64_t in_cells = 0;
    for (const auto& cell : cells) {
        in_cells += cell.customers;
        const auto customers =
            reader.cellCustomers("2027-03-10", cell.recency_score, cell.frequency_score);
        QCOMPARE(static_cast<std::int64_t>(customers.size()), cell.customers);
        double monetary = 0;
        for (const auto& customer : customers) {
            const std::string where = " WHERE user_id = '" + customer.user_id +
                                      "' AND \"timestamp\" < '2027-03-11 00:00+00'";
            QCOMPARE(static_cast<double>(customer.frequency),
                     number(conn, "SELECT count(*) FROM transactions" + where));
            QCOMPARE(customer.monetary,
                     number(conn, "SELECT sum(total_amount) FROM transactions" + where));
            QCOMPARE(customer.recency_days,
                     static_cast<int>(number(conn, "SELECT date '2027-03-10' - "
                                                   "max(\"timestamp\")::date FROM transactions" +
                                                       where)));
            monetary += customer.monetary;
        }
        QCOMPARE(cell.monetary, monetary);
    }
    QCOMPARE(static_cast<double>(in_cells), buyers);

    // Segments: all buyers, all their money.
    const auto segments = reader.segments("2027-03-10");
    QVERIFY(!segments.empty());
    std::int64_t segment_customers = 0;
    double segment_revenue = 0;
    double share = 0;
    for (const auto& segment : segments) {
        segment_customers += segment.customers;
        segment_revenue += segment.revenue;
        share += segment.customer_share_pct;
    }
    QCOMPARE(static_cast<double>(segment_customers), buyers);
    QCOMPARE(segment_revenue, number(conn, "SELECT sum(total_amount) FROM transactions WHERE "
                                           "\"timestamp\" < '2027-03-11 00:00+00'"));
    QVERIFY(std::abs(share - 100.0) < 0.05);
    QVERIFY(segments.front().customers >= segments.back().customers);

    // Top customers by lifetime value: the biggest spender first with the raw sum.
    const auto top = reader.topCustomers(3);
    QCOMPARE(top.size(), std::size_t(3));
    GM_COMPARE_TEXT(top.front().user_id,
                    test::valueOf(conn, "SELECT user_id FROM transactions GROUP BY user_id ORDER "
                                        "BY sum(total_amount) DESC, user_id LIMIT 1"));
    QCOMPARE(top.front().lifetime_value,
             number(conn, "SELECT max(s) FROM (SELECT sum(total_amount) s FROM transactions "
                          "GROUP BY user_id) x"));
    QCOMPARE(top.front().orders, static_cast<std::int64_t>(number(
                                     conn, "SELECT count(*) FROM transactions WHERE user_id = '" +
                                               top.front().user_id + "'")));

    // Cohorts: customers active per month since their first order, from the raw orders.
    const auto expected_cohorts = test::rowsOf(
        conn,
        "WITH firsts AS (SELECT user_id, date_trunc('month', min(\"timestamp\")) AS m FROM "
        "transactions GROUP BY user_id), sizes AS (SELECT m, count(*) AS n FROM firsts "
        "GROUP BY m) SELECT to_char(f.m, 'YYYY-MM'), (12 * (extract(year FROM t.\"timestamp\") "
        "- extract(year FROM f.m)) + extract(month FROM t.\"timestamp\") - extract(month "
        "FROM f.m))::int AS k, s.n, count(DISTINCT t.user_id) FROM transactions t JOIN "
        "firsts f USING (user_id) JOIN sizes s ON s.m = f.m GROUP BY 1, 2, 3 ORDER BY 1, 2");
    std::vector<std::string> cohorts;
    for (const auto& cell : reader.cohorts("2027-03-10")) {
        if (cell.active_customers > 0) {
            cohorts.push_back(cell.cohort_month + "|" + std::to_string(cell.month_offset) + "|" +
                              std::to_string(cell.cohort_size) + "|" +
                              std::to_string(cell.active_customers));
        }
        QCOMPARE(cell.retention_pct,
                 std::round(10000.0 * static_cast<double>(cell.active_customers) /
                            static_cast<double>(cell.cohort_size)) /
                     100.0);
    }
    GM_COMPARE_ROWS(cohorts, expected_cohorts);
    // The January cohort (customers 1 and 2): both back in March, one in February.
    GM_COMPARE_ROWS(std::vector<std::string>(cohorts.begin(), cohorts.begin() + 3),
                    (std::vector<std::string>{"2027-01|0|2|2", "2027-01|1|2|1", "2027-01|2|2|2"}));

    // Products: revenue, orders, quantity and views from the raw rows; ranked by revenue.
    const auto products = reader.products("2027-03-10");
    QCOMPARE(products.size(), std::size_t(3));
    for (const auto& product : products) {
        const std::string where = " WHERE product_id = '" + product.product_id + "'";
        QCOMPARE(product.revenue, number(conn, "SELECT sum(amount) FROM " + kLines + where));
        QCOMPARE(static_cast<double>(product.orders),
                 number(conn, "SELECT count(DISTINCT transaction_id) FROM " + kLines + where));
        QCOMPARE(static_cast<double>(product.quantity),
                 number(conn, "SELECT sum(quantity) FROM " + kLines + where));
        QCOMPARE(static_cast<double>(product.views),
                 number(conn, "SELECT count(*) FROM product_view_events" + where));
    }
    QCOMPARE(products.front().name, std::string("Alpha Phone"));
    QCOMPARE(products.front().category, std::string("Smartphones"));
    QCOMPARE(products.front().overall_rank, 1);

    // Trends: monthly and daily revenue of all categories and of one, growth vs the month before.
    const auto trends = reader.trends("2027-03-10");
    const auto point = [&](const char* type, const char* value, const char* category) {
        for (const auto& p : trends) {
            if (p.period_type == type && p.period_value == value && p.category == category) {
                return p;
            }
        }
        return warehouse::TrendPoint{};
    };
    const auto monthRevenue = [&](const char* month, const char* category_filter) {
        return number(conn, "SELECT sum(amount) FROM " + kLines +
                                " LEFT JOIN (SELECT DISTINCT product_id, category FROM "
                                "product_view_events) c USING (product_id) WHERE to_char(ts, "
                                "'YYYY-MM') = '" +
                                month + "'" + category_filter);
    };
    const auto march = point("monthly", "2027-03", "");
    QCOMPARE(march.revenue, monthRevenue("2027-03", ""));
    QCOMPARE(march.revenue, 1130.0); // 510 + 60 + 30 + 500 + 30, by hand
    QCOMPARE(march.orders, std::int64_t(5));
    const double february = monthRevenue("2027-02", "");
    QCOMPARE(*march.growth_pct,
             std::round(10000.0 * (march.revenue - february) / february) / 100.0);
    QCOMPARE(point("monthly", "2027-03", "Smartphones").revenue,
             monthRevenue("2027-03", " AND category = 'Smartphones'"));
    QCOMPARE(point("daily", "2027-03-10", "").revenue, dayRevenue("2027-03-10"));
    QCOMPARE(point("quarterly", "2027-Q1", "").revenue,
             number(conn, "SELECT sum(amount) FROM " + kLines));
    QCOMPARE(point("weekly", "2027-W10", "").period_start, std::string("2027-03-08"));

    // Regions: each country's revenue over every day up to the date.
    const auto regions = reader.regions("2027-03-10");
    QCOMPARE(regions.size(), std::size_t(5));
    for (const auto& region : regions) {
        QCOMPARE(region.revenue,
                 number(conn, "SELECT sum(i.quantity * i.unit_price) FROM transactions t JOIN "
                              "transaction_items i USING (transaction_id) WHERE t.country = '" +
                                  region.country + "'"));
    }

    // The last load's quality checks and the batch_runs history of both runs.
    std::int64_t quality_run = 0;
    const auto quality = reader.lastQuality(&quality_run);
    QCOMPARE(quality_run, report.run_id);
    QVERIFY(!quality.empty());
    for (const auto& check : quality) {
        QVERIFY2(check.passed, (check.check + " " + check.table).c_str());
    }
    const auto runs = reader.batchRuns();
    warehouse::BatchOptions planned;
    QCOMPARE(runs.size(), 2 * warehouse::plannedSteps(planned).size());
    QCOMPARE(runs.front().run_id, report.run_id);
    QCOMPARE(runs.front().analysis_date, std::string("2027-03-10"));
    for (const auto& run : runs) {
        QCOMPARE(run.status, std::string("succeeded"));
        QVERIFY(run.error.empty());
    }

    // The page's snapshot: the newest date by default, the same figures.
    const warehouse::WarehouseView view = reader.view();
    QCOMPARE(view.analysis_date, std::string("2027-03-10"));
    QCOMPARE(view.kpis.revenue.current, kpis.revenue.current);
    QCOMPARE(view.products.size(), products.size());
    QCOMPARE(view.trends.size(), trends.size());
    QCOMPARE(view.quality_run_id, report.run_id);
    const warehouse::WarehouseView earlier_view = reader.view("2027-03-09");
    QCOMPARE(earlier_view.kpis.revenue.current, dayRevenue("2027-03-09"));
}

void TestWarehouseReader::cancelStopsBeforeTheNextStep() {
    test::ScratchDatabase db;
    test::migrateRealtime(db.conninfo());
    test::RawEvents raw(db.conninfo());
    test::insertKnownShop(raw);
    std::atomic<bool> cancel{false};
    warehouse::BatchOptions options;
    options.conninfo = db.conninfo();
    options.analysis_date = test::kKnownAnalysisDate;
    options.cancel = &cancel;
    int steps = 0;
    const auto report = warehouse::runBatch(options, [&](const warehouse::StepReport&) {
        if (++steps == 2) {
            cancel = true;
        }
    });
    QVERIFY(report.cancelled);
    QVERIFY(!report.ok());
    QCOMPARE(report.steps.size(), std::size_t(2));
    QVERIFY(report.failed_step.empty());
    warehouse::WarehouseReader reader(db.conninfo());
    QCOMPARE(reader.batchRuns().size(), std::size_t(2));
}

// A step stuck in one long statement (here: waiting for a lock another session holds) is
// cancelled on the server: the batch ends at once, the step is reported as cancelled rather than
// failed, and it leaves the warehouse as it was.
void TestWarehouseReader::cancelInterruptsARunningStatement() {
    test::ScratchDatabase db;
    test::migrateRealtime(db.conninfo());
    test::RawEvents raw(db.conninfo());
    test::insertKnownShop(raw);
    warehouse::migrateWarehouse(db.conninfo());
    pqxx::connection blocker(db.conninfo());
    pqxx::work hold(blocker);
    hold.exec("LOCK TABLE warehouse.dim_date IN ACCESS EXCLUSIVE MODE");

    std::atomic<bool> cancel{false};
    warehouse::BatchOptions options;
    options.conninfo = db.conninfo();
    options.analysis_date = test::kKnownAnalysisDate;
    options.cancel = &cancel;
    warehouse::BatchReport report;
    std::thread batch([&] { report = warehouse::runBatch(options); });
    pqxx::connection observer(db.conninfo());
    const bool waiting = test::waitUntil(
        [&] {
            pqxx::nontransaction look(observer);
            return look.exec1("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                              "current_database() AND wait_event_type = 'Lock'")[0]
                       .as<int>() > 0;
        },
        std::chrono::seconds(60));
    cancel = true;
    // The lock is held until after the join: without a cancel within the statement the batch
    // never ends (the test's timeout fails it).
    batch.join();
    hold.abort();
    QVERIFY(waiting);
    QVERIFY(report.cancelled);
    QVERIFY(report.failed_step.empty());
    QCOMPARE(report.steps.size(), std::size_t(1));
    QCOMPARE(report.steps[0].step, std::string("dim_date"));
    QVERIFY(!report.steps[0].ok);
    QVERIFY2(report.steps[0].error.starts_with("cancelled: "), report.steps[0].error.c_str());
    pqxx::nontransaction check(observer);
    QCOMPARE(check.exec1("SELECT count(*) FROM warehouse.dim_date")[0].as<int>(), 0);
    QCOMPARE(check.exec1("SELECT count(*) FROM warehouse.etl_state WHERE status = 'succeeded'")[0]
                 .as<int>(),
             0);
}

QTEST_GUILESS_MAIN(TestWarehouseReader)
#include "tst_warehouse_reader.moc"
