// SPDX-License-Identifier: GPL-3.0-or-later
// The ETL and the product/sales jobs on a small hand-built shop, analysis date 2027-01-05:
//   products PROD_A "Alpha" (Smartphones, 100.00), PROD_B "Beta" (Fiction Books, 10.00),
//   PROD_C "Lamp" (Lighting, 50.00) viewed three times and never sold;
//   orders  1: 2025-12-30 USER_A (USA)   A x1 + B x2 = 120.00  ISO week 2026-W01
//           2: 2026-12-31 USER_A (USA)   A x1        = 100.00  2026-W53
//           3: 2027-01-01 USER_B (Japan) B x3        =  30.00  2026-W53 (ISO year 2026)
//           (no sales on 2027-01-02)
//           4: 2027-01-03 USER_B (Japan) B x1        =  10.00  2026-W53
//           5: 2027-01-04 USER_C (UK)    A x2        = 200.00  2027-W01
#include "warehouse_test_support.h"

#include <QtTest>

using namespace gm;

namespace {

void insertShop(test::RawEvents& raw) {
    raw.view(1, "USER_A", "2025-12-01T08:00:00Z", "PROD_A", "Alpha", "Smartphones", "100.00");
    raw.view(2, "USER_A", "2025-12-01T08:01:00Z", "PROD_A", "Alpha", "Smartphones", "100.00");
    raw.view(3, "USER_A", "2025-12-01T08:02:00Z", "PROD_B", "Beta", "Fiction Books", "10.00");
    for (int n = 4; n <= 6; ++n) {
        raw.view(n, "USER_B", "2025-12-02T08:0" + std::to_string(n) + ":00Z", "PROD_C", "Lamp",
                 "Lighting", "50.00", "Japan");
    }
    raw.cartAdd(1, "USER_A", "2025-12-30T09:00:00Z", "PROD_A", "Alpha", "Smartphones", "100.00");
    raw.order(1, "USER_A", "2025-12-30T10:00:00Z", "USA",
              {{"PROD_A", 1, "100.00"}, {"PROD_B", 2, "10.00"}});
    raw.order(2, "USER_A", "2026-12-31T12:00:00Z", "USA", {{"PROD_A", 1, "100.00"}});
    raw.order(3, "USER_B", "2027-01-01T09:00:00Z", "Japan", {{"PROD_B", 3, "10.00"}});
    raw.order(4, "USER_B", "2027-01-03T09:00:00Z", "Japan", {{"PROD_B", 1, "10.00"}});
    raw.order(5, "USER_C", "2027-01-04T09:00:00Z", "UK", {{"PROD_A", 2, "100.00"}});
}

// Row count and checksum of every warehouse table but the run logs (batch_runs, etl_state,
// etl_quality), without the columns stamped with the processing time.
std::vector<std::string> checksums(pqxx::connection& conn) {
    std::vector<std::string> sums;
    for (const auto& table : test::rowsOf(
             conn, "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                   "'warehouse' AND table_type = 'BASE TABLE' AND table_name NOT IN "
                   "('batch_runs', 'etl_state', 'etl_quality', 'schema_version') ORDER BY 1")) {
        sums.push_back(table + ": " +
                       test::valueOf(conn, "SELECT count(*), md5(coalesce(string_agg(x, '|' "
                                           "ORDER BY x), '')) FROM (SELECT (to_jsonb(t) - "
                                           "'created_at' - 'updated_at' - 'last_updated')::text "
                                           "AS x FROM " +
                                               table + " t) s"));
    }
    return sums;
}

// The loaded warehouse without surrogate keys (a full reload may number versions differently):
// facts name the versions they point at by natural key and start.
std::vector<std::string> naturalContent(pqxx::connection& conn) {
    std::vector<std::string> rows;
    for (const char* sql : {
             "SELECT product_id, product_name, category, base_price, effective_start_date, "
             "effective_end_date, is_current FROM dim_products ORDER BY 1, 5",
             "SELECT user_id, country, registration_date, first_transaction_date, "
             "last_transaction_date, total_transactions, total_spent, effective_start_date, "
             "effective_end_date, is_current FROM dim_customers ORDER BY 1, 8",
             "SELECT f.transaction_id, f.product_id, p.effective_start_date, c.country, "
             "f.date_id, f.geography_id, f.quantity, f.total_amount, f.order_total FROM "
             "fact_sales f JOIN dim_products p USING (product_id_pk) JOIN dim_customers c USING "
             "(customer_id) ORDER BY 1, 2",
             "SELECT f.event_id, p.effective_start_date, c.effective_start_date, f.date_id FROM "
             "fact_product_views f LEFT JOIN dim_products p USING (product_id_pk) JOIN "
             "dim_customers c USING (customer_id) ORDER BY 1",
             "SELECT f.event_id, p.effective_start_date, c.effective_start_date, f.date_id FROM "
             "fact_cart_events f LEFT JOIN dim_products p USING (product_id_pk) JOIN "
             "dim_customers c USING (customer_id) ORDER BY 1",
             "SELECT * FROM dim_date ORDER BY 1",
         }) {
        const auto part = test::rowsOf(conn, sql);
        rows.insert(rows.end(), part.begin(), part.end());
    }
    return rows;
}

} // namespace

class TestWarehouseEtl : public QObject {
    Q_OBJECT

private slots:
    void init() { GM_REQUIRE_SERVER(); }
    void factsAndDimensions();
    void salesTrendsAcrossTheNewYear();
    void productPerformanceRegionsAndCohorts();
    void scd2VersionsAndLateObservations();
    void rerunIncrementalLateAndFullReload();
    void loadIntoEmptyFactsRebuildsTheirIndexes();
    void failingStepKeepsEarlierSteps();
    void stepThatLosesItsConnectionIsRecorded();
    void qualityChecksFindWhatALoadGotWrong();
    void rowsOfAnOpenTransactionComeWithTheNextLoad();
    void executiveDashboardQueriesRunUnqualified();
};

void TestWarehouseEtl::factsAndDimensions() {
    test::ScratchDatabase db;
    test::migrateRealtime(db.conninfo());
    test::RawEvents raw(db.conninfo());
    insertShop(raw);
    const auto report = test::runWarehouse(db.conninfo(), "2027-01-05");
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    QVERIFY(report.qualityPassed());
    auto& conn = raw.connection();
    // 6 lines of 5 orders; the two-line order keeps its order total on both lines.
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT count(*), count(DISTINCT transaction_id), "
                                        "sum(total_amount) FROM fact_sales"),
                    std::string("6|5|460.00"));
    GM_COMPARE_ROWS(test::rowsOf(conn, "SELECT product_id, total_amount, order_total, date_id "
                                       "FROM fact_sales WHERE transaction_timestamp < "
                                       "'2026-01-01' ORDER BY 1"),
                    (std::vector<std::string>{"PROD_A|100.00|120.00|20251230",
                                              "PROD_B|20.00|120.00|20251230"}));
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT count(*) FROM fact_product_views"),
                    std::string("6"));
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT count(*) FROM fact_cart_events"), std::string("1"));
    // The calendar covers every day from the first event (2025-12-01) to the last (2027-01-04).
    GM_COMPARE_TEXT(
        test::valueOf(conn, "SELECT count(*), min(date_id), max(date_id) FROM dim_date"),
        std::string("400|20251201|20270104"));
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT week, iso_year, day_of_week, day_name, is_weekend "
                                        "FROM dim_date WHERE date_id = 20270103"),
                    std::string("53|2026|7|Sunday|t"));
    // Customer totals count orders, not lines.
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT total_transactions, total_spent, avg_order_value, "
                                        "first_transaction_date, last_transaction_date, "
                                        "registration_date FROM dim_customers WHERE user_id = "
                                        "'USER_A'"),
                    std::string("2|220.00|110.00|2025-12-30|2026-12-31|2025-12-01"));
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT g.country, g.region, g.currency FROM fact_sales f "
                                        "JOIN dim_geography g USING (geography_id) WHERE "
                                        "f.user_id = 'USER_B' LIMIT 1"),
                    std::string("Japan|East Asia|JPY"));
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT category_group FROM dim_products WHERE "
                                        "product_id = 'PROD_B'"),
                    std::string("Books & Media"));
}

void TestWarehouseEtl::salesTrendsAcrossTheNewYear() {
    test::ScratchDatabase db;
    test::migrateRealtime(db.conninfo());
    test::RawEvents raw(db.conninfo());
    insertShop(raw);
    const auto report = test::runWarehouse(db.conninfo(), "2027-01-05");
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    auto& conn = raw.connection();
    const std::string columns = "SELECT period_value, period_start, total_sales, total_revenue, "
                                "total_quantity, unique_customers, avg_order_value, growth_rate "
                                "FROM sales_trends WHERE category IS NULL AND period_type = ";
    // Growth: 12-30 and 12-31 have no previous day with sales (missing / zero): NULL;
    // 01-01: (30 - 100) / 100 = -70%; 01-03 follows a day without sales: NULL;
    // 01-04: (200 - 10) / 10 = +1900%.
    GM_COMPARE_ROWS(test::rowsOf(conn, columns + "'daily' ORDER BY 2"),
                    (std::vector<std::string>{
                        "2025-12-30|2025-12-30|1|120.00|3|1|120.00|~",
                        "2026-12-31|2026-12-31|1|100.00|1|1|100.00|~",
                        "2027-01-01|2027-01-01|1|30.00|3|1|30.00|-70.00",
                        "2027-01-03|2027-01-03|1|10.00|1|1|10.00|~",
                        "2027-01-04|2027-01-04|1|200.00|2|1|200.00|1900.00",
                    }));
    // 2025-12-30 is in ISO week 1 of 2026; 2026-12-28..2027-01-03 is week 53 of 2026:
    // orders 2, 3, 4 = 140.00 from 2 customers, AOV 46.67; then week 1 of 2027:
    // (200 - 140) / 140 = +42.86%.
    GM_COMPARE_ROWS(test::rowsOf(conn, columns + "'weekly' ORDER BY 2"),
                    (std::vector<std::string>{
                        "2026-W01|2025-12-29|1|120.00|3|1|120.00|~",
                        "2026-W53|2026-12-28|3|140.00|5|2|46.67|~",
                        "2027-W01|2027-01-04|1|200.00|2|1|200.00|42.86",
                    }));
    GM_COMPARE_ROWS(test::rowsOf(conn, columns + "'monthly' ORDER BY 2"),
                    (std::vector<std::string>{
                        "2025-12|2025-12-01|1|120.00|3|1|120.00|~",
                        "2026-12|2026-12-01|1|100.00|1|1|100.00|~",
                        "2027-01|2027-01-01|3|240.00|6|2|80.00|140.00",
                    }));
    GM_COMPARE_ROWS(test::rowsOf(conn, columns + "'quarterly' ORDER BY 2"),
                    (std::vector<std::string>{
                        "2025-Q4|2025-10-01|1|120.00|3|1|120.00|~",
                        "2026-Q4|2026-10-01|1|100.00|1|1|100.00|~",
                        "2027-Q1|2027-01-01|3|240.00|6|2|80.00|140.00",
                    }));
    // Per category, the two-line order counts once in each category; categories add up.
    GM_COMPARE_ROWS(
        test::rowsOf(conn, "SELECT category, total_sales, total_revenue, "
                           "total_quantity FROM sales_trends WHERE period_type = "
                           "'daily' AND period_value = '2025-12-30' AND category IS "
                           "NOT NULL ORDER BY 1"),
        (std::vector<std::string>{"Fiction Books|1|20.00|2", "Smartphones|1|100.00|1"}));
}

void TestWarehouseEtl::productPerformanceRegionsAndCohorts() {
    test::ScratchDatabase db;
    test::migrateRealtime(db.conninfo());
    test::RawEvents raw(db.conninfo());
    insertShop(raw);
    const auto report = test::runWarehouse(db.conninfo(), "2027-01-05");
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    auto& conn = raw.connection();
    // A: orders 1, 2, 5; quantity 4; revenue 400; 2 views -> conversion 150%; 1 cart add.
    // B: orders 1, 3, 4; quantity 6; revenue 60; 1 view -> 300%. C: 3 views, no sale -> 0%.
    // Score = 100 (0.6 pr(revenue) + 0.2 pr(orders) + 0.2 pr(conversion)), pr = percent_rank:
    // A 100 (0.6 + 0.1 + 0.1) = 80, B 100 (0.3 + 0.1 + 0.2) = 60, C 0.
    GM_COMPARE_ROWS(test::rowsOf(conn, "SELECT product_id, product_name, category, total_sales, "
                                       "total_quantity, total_revenue, avg_price, total_views, "
                                       "cart_adds, conversion_rate, cart_abandonment_rate, "
                                       "category_rank, overall_rank, performance_score, "
                                       "performance_tier FROM product_performance ORDER BY 1"),
                    (std::vector<std::string>{
                        "PROD_A|Alpha|Smartphones|3|4|400.00|100.00|2|1|150.00|0.00|1|1|80.00|"
                        "Top Seller",
                        "PROD_B|Beta|Fiction Books|3|6|60.00|10.00|1|0|300.00|~|1|2|60.00|"
                        "Top Seller",
                        "PROD_C|Lamp|Lighting|0|0|0.00|~|3|0|0.00|~|1|3|0.00|Top Seller",
                    }));
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT string_agg(product_id, ',' ORDER BY "
                                        "total_revenue DESC) FROM v_top_products_by_revenue"),
                    std::string("PROD_A,PROD_B,PROD_C"));
    GM_COMPARE_ROWS(test::rowsOf(conn, "SELECT sale_date, country, region, total_sales, "
                                       "total_revenue, unique_customers, avg_order_value FROM "
                                       "sales_by_region WHERE sale_date >= '2027-01-01' ORDER "
                                       "BY 1, 2"),
                    (std::vector<std::string>{
                        "2027-01-01|Japan|East Asia|1|30.00|1|30.00",
                        "2027-01-03|Japan|East Asia|1|10.00|1|10.00",
                        "2027-01-04|UK|Western Europe|1|200.00|1|200.00",
                    }));
    // Cohorts: USER_A first ordered in 2025-12 (offsets 0..13 to 2027-01), active again in
    // 2026-12 (offset 12); USER_B and USER_C first ordered in 2027-01.
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT count(*) FROM cohort_retention"),
                    std::string("15"));
    GM_COMPARE_ROWS(test::rowsOf(conn, "SELECT cohort_month, month_offset, cohort_size, "
                                       "active_customers, retention_pct, revenue FROM "
                                       "cohort_retention WHERE month_offset IN (0, 1, 12, 13) "
                                       "ORDER BY 1, 2"),
                    (std::vector<std::string>{
                        "2025-12-01|0|1|1|100.00|120.00",
                        "2025-12-01|1|1|0|0.00|0.00",
                        "2025-12-01|12|1|1|100.00|100.00",
                        "2025-12-01|13|1|0|0.00|0.00",
                        "2027-01-01|0|2|2|100.00|240.00",
                    }));
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT lifetime_value, total_orders, avg_order_value, "
                                        "lifetime_days FROM v_customer_lifetime_value WHERE "
                                        "user_id = 'USER_A'"),
                    std::string("220.00|2|110.00|366"));
}

void TestWarehouseEtl::scd2VersionsAndLateObservations() {
    test::ScratchDatabase db;
    test::migrateRealtime(db.conninfo());
    test::RawEvents raw(db.conninfo());
    auto& conn = raw.connection();
    raw.view(1, "USER_X", "2026-03-01T00:00:00Z", "PROD_X", "X", "Smartphones", "100.00");
    raw.view(2, "USER_X", "2026-04-01T00:00:00Z", "PROD_X", "X", "Smartphones", "100.00");
    raw.order(1, "USER_X", "2026-04-15T00:00:00Z", "USA", {{"PROD_X", 1, "100.00"}});
    raw.order(2, "USER_X", "2026-04-25T00:00:00Z", "USA", {{"PROD_X", 1, "100.00"}});
    raw.view(3, "USER_X", "2026-05-01T00:00:00Z", "PROD_X", "X", "Smartphones", "110.00");
    raw.order(3, "USER_X", "2026-05-02T00:00:00Z", "USA", {{"PROD_X", 1, "110.00"}});
    // The customer moves: a cart event from Germany, then an order from there.
    raw.cartAdd(1, "USER_X", "2026-06-01T00:00:00Z", "PROD_X", "X", "Smartphones", "110.00",
                "Germany");
    raw.order(4, "USER_X", "2026-06-02T00:00:00Z", "Germany", {{"PROD_X", 1, "110.00"}});
    auto report = test::runWarehouse(db.conninfo(), "2026-07-01");
    QVERIFY2(report.ok(), test::failureText(report).c_str());

    // Same attributes on 04-01 (and on the cart event): no version. The price change on 05-01:
    // a version from then on. The first version covers everything before.
    const std::string products = "SELECT base_price, effective_start_date, effective_end_date, "
                                 "is_current FROM dim_products WHERE product_id = 'PROD_X' "
                                 "ORDER BY 2";
    GM_COMPARE_ROWS(test::rowsOf(conn, products),
                    (std::vector<std::string>{
                        "100.00|1970-01-01 00:00:00+00|2026-05-01 00:00:00+00|f",
                        "110.00|2026-05-01 00:00:00+00|9999-12-31 00:00:00+00|t",
                    }));
    const std::string sales = "SELECT f.transaction_timestamp::date, p.base_price, c.country, "
                              "g.country FROM fact_sales f JOIN dim_products p USING "
                              "(product_id_pk) JOIN dim_customers c USING (customer_id) JOIN "
                              "dim_geography g USING (geography_id) ORDER BY 1";
    GM_COMPARE_ROWS(test::rowsOf(conn, sales), (std::vector<std::string>{
                                                   "2026-04-15|100.00|USA|USA",
                                                   "2026-04-25|100.00|USA|USA",
                                                   "2026-05-02|110.00|USA|USA",
                                                   "2026-06-02|110.00|Germany|Germany",
                                               }));
    GM_COMPARE_ROWS(test::rowsOf(conn, "SELECT country, effective_start_date, is_current, "
                                       "total_transactions FROM dim_customers ORDER BY 2"),
                    (std::vector<std::string>{
                        "USA|1970-01-01 00:00:00+00|f|4",
                        "Germany|2026-06-01 00:00:00+00|t|4",
                    }));

    // Nothing new: nothing changes. An observation equal to the version in effect: no version.
    raw.view(4, "USER_X", "2026-06-03T00:00:00Z", "PROD_X", "X", "Smartphones", "110.00",
             "Germany");
    report = test::runWarehouse(db.conninfo(), "2026-07-01");
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT count(*) FROM dim_products"), std::string("2"));

    // A late view (04-20, price 105) differs from the version in effect then: it starts a
    // version there, valid until the next known one (05-01), and the already loaded sale of
    // 04-25 now points at it.
    raw.view(5, "USER_X", "2026-04-20T00:00:00Z", "PROD_X", "X", "Smartphones", "105.00");
    report = test::runWarehouse(db.conninfo(), "2026-07-01");
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    QVERIFY(report.qualityPassed());
    GM_COMPARE_ROWS(test::rowsOf(conn, products),
                    (std::vector<std::string>{
                        "100.00|1970-01-01 00:00:00+00|2026-04-20 00:00:00+00|f",
                        "105.00|2026-04-20 00:00:00+00|2026-05-01 00:00:00+00|f",
                        "110.00|2026-05-01 00:00:00+00|9999-12-31 00:00:00+00|t",
                    }));
    GM_COMPARE_ROWS(test::rowsOf(conn, sales), (std::vector<std::string>{
                                                   "2026-04-15|100.00|USA|USA",
                                                   "2026-04-25|105.00|USA|USA",
                                                   "2026-05-02|110.00|USA|USA",
                                                   "2026-06-02|110.00|Germany|Germany",
                                               }));
}

void TestWarehouseEtl::rerunIncrementalLateAndFullReload() {
    test::ScratchDatabase db;
    test::migrateRealtime(db.conninfo());
    test::RawEvents raw(db.conninfo());
    auto& conn = raw.connection();
    insertShop(raw);
    auto report = test::runWarehouse(db.conninfo(), "2027-01-05");
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    const auto before = checksums(conn);

    // The same date again with nothing new: every table has the same rows.
    report = test::runWarehouse(db.conninfo(), "2027-01-05");
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    GM_COMPARE_ROWS(checksums(conn), before);
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT count(*) FROM batch_runs WHERE run_id = " +
                                            std::to_string(report.run_id)),
                    std::string("14")); // 7 load steps, quality, 6 jobs

    // New events and a late one (an order dated 2026-12-31, arriving after the load).
    raw.order(6, "USER_C", "2027-01-05T09:00:00Z", "UK", {{"PROD_B", 1, "10.00"}});
    raw.order(7, "USER_B", "2026-12-31T18:00:00Z", "Japan", {{"PROD_A", 1, "100.00"}});
    raw.view(7, "USER_C", "2027-01-05T08:00:00Z", "PROD_C", "Lamp", "Lighting", "50.00", "UK");
    report = test::runWarehouse(db.conninfo(), "2027-01-05");
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    QVERIFY(report.qualityPassed());
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT count(*), sum(total_amount) FROM fact_sales"),
                    std::string("8|570.00"));
    // 2026-12-31 now has orders 2 and 7: 200.00, so 2027-01-01's growth is (30 - 200) / 200.
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT total_sales, total_revenue FROM sales_trends "
                                        "WHERE period_type = 'daily' AND period_value = "
                                        "'2026-12-31' AND category IS NULL"),
                    std::string("2|200.00"));
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT growth_rate FROM sales_trends WHERE period_type "
                                        "= 'daily' AND period_value = '2027-01-01' AND category "
                                        "IS NULL"),
                    std::string("-85.00"));
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT total_transactions, total_spent FROM "
                                        "dim_customers WHERE user_id = 'USER_B'"),
                    std::string("3|140.00"));

    // A full reload gives the same warehouse as the incremental loads.
    const auto incremental = naturalContent(conn);
    const auto analytics = checksums(conn);
    report = test::runWarehouse(db.conninfo(), "2027-01-05", true);
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    GM_COMPARE_ROWS(naturalContent(conn), incremental);
    // The analytics name natural keys only (customer_id aside): identical too.
    const auto reloaded = checksums(conn);
    for (std::size_t i = 0; i < analytics.size(); ++i) {
        if (analytics[i].rfind("rfm_analysis", 0) == 0 || analytics[i].rfind("dim_", 0) == 0 ||
            analytics[i].rfind("fact_", 0) == 0) {
            continue; // surrogate keys may be numbered differently
        }
        GM_COMPARE_TEXT(reloaded[i], analytics[i]);
    }
}

namespace {
// Indexes (with their constraints) of the fact tables as the catalog describes them.
std::vector<std::string> factIndexes(pqxx::connection& conn) {
    return test::rowsOf(
        conn, "SELECT i.indrelid::regclass, i.indexrelid::regclass, pg_get_indexdef(i.indexrelid), "
              "i.indisvalid, i.indisunique, i.indisprimary, coalesce(c.conname, '') FROM pg_index "
              "i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = "
              "i.indrelid WHERE i.indrelid IN ('warehouse.fact_sales'::regclass, "
              "'warehouse.fact_cart_events'::regclass, 'warehouse.fact_product_views'::regclass) "
              "ORDER BY i.indexrelid::regclass::text"); // a rebuilt index has a new oid
}
} // namespace

// A fact step that finds its table empty (first load, --full-reload) loads it without indexes
// and builds them again in the same transaction: the same indexes and constraints afterwards,
// the same rows as incremental loads, and a failure while rebuilding (two rows with one key)
// rolls the step back with its indexes in place.
void TestWarehouseEtl::loadIntoEmptyFactsRebuildsTheirIndexes() {
    test::ScratchDatabase db;
    test::migrateRealtime(db.conninfo());
    gm::warehouse::migrateWarehouse(db.conninfo());
    test::RawEvents raw(db.conninfo());
    auto& conn = raw.connection();
    const auto migrated = factIndexes(conn);
    QVERIFY(migrated.size() >= 4); // three primary keys, fact_sales_timestamp

    // A first load into empty facts, then an increment into non-empty ones.
    insertShop(raw);
    auto report = test::runWarehouse(db.conninfo(), "2027-01-05");
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    GM_COMPARE_ROWS(factIndexes(conn), migrated);
    raw.order(6, "USER_C", "2027-01-05T09:00:00Z", "UK", {{"PROD_B", 1, "10.00"}});
    raw.view(7, "USER_C", "2027-01-05T08:00:00Z", "PROD_C", "Lamp", "Lighting", "50.00", "UK");
    raw.cartAdd(2, "USER_C", "2027-01-05T08:30:00Z", "PROD_B", "Beta", "Fiction Books", "10.00",
                "UK");
    report = test::runWarehouse(db.conninfo(), "2027-01-05");
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    const auto incremental = naturalContent(conn);
    const auto sales = test::valueOf(conn, "SELECT count(*) FROM fact_sales");
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT count(*) FROM fact_cart_events"), std::string("2"));

    report = test::runWarehouse(db.conninfo(), "2027-01-05", true);
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    QVERIFY(report.qualityPassed());
    GM_COMPARE_ROWS(factIndexes(conn), migrated);
    GM_COMPARE_ROWS(naturalContent(conn), incremental);
    // The rebuilt primary key is enforced.
    {
        pqxx::work txn(conn);
        QVERIFY_EXCEPTION_THROWN(txn.exec("INSERT INTO warehouse.fact_product_views SELECT * "
                                          "FROM warehouse.fact_product_views LIMIT 1"),
                                 pqxx::unique_violation);
    }

    // Every cart event doubled on its way in: a full reload cannot build the primary key.
    {
        pqxx::work txn(conn);
        txn.exec(R"SQL(
            CREATE FUNCTION warehouse.twice() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF pg_trigger_depth() = 1 THEN
                    INSERT INTO warehouse.fact_cart_events SELECT NEW.*;
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER twice BEFORE INSERT ON warehouse.fact_cart_events
                FOR EACH ROW EXECUTE FUNCTION warehouse.twice();
        )SQL");
        txn.commit();
    }
    report = test::runWarehouse(db.conninfo(), "2027-01-05", true);
    QCOMPARE(QString::fromStdString(report.failed_step), QString("fact_cart_events"));
    // The reload emptied the facts; the failed step left its table as it found it (empty), with
    // its primary key; the step before it had loaded fact_sales.
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT count(*) FROM fact_cart_events"), std::string("0"));
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT count(*) FROM fact_sales"), sales);
    GM_COMPARE_ROWS(factIndexes(conn), migrated);
    {
        pqxx::work txn(conn);
        txn.exec("DROP TRIGGER twice ON warehouse.fact_cart_events");
        txn.commit();
    }
    report = test::runWarehouse(db.conninfo(), "2027-01-05");
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    GM_COMPARE_ROWS(naturalContent(conn), incremental);
    GM_COMPARE_ROWS(factIndexes(conn), migrated);
}

// The server ends the step's connection mid-statement (as a restart or a network cut would):
// the step fails saying so, and its failure is recorded in the warehouse's own tables over the
// connection libpqxx re-opens (with the warehouse's search path restored).
void TestWarehouseEtl::stepThatLosesItsConnectionIsRecorded() {
    test::ScratchDatabase db;
    test::migrateRealtime(db.conninfo());
    test::RawEvents raw(db.conninfo());
    auto& conn = raw.connection();
    insertShop(raw);
    auto report = test::runWarehouse(db.conninfo(), "2027-01-05");
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    {
        pqxx::work txn(conn);
        txn.exec("CREATE FUNCTION warehouse.end_my_connection() RETURNS trigger LANGUAGE plpgsql "
                 "AS $$ BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); "
                 "PERFORM pg_sleep(5); RETURN NEW; END $$");
        txn.exec("CREATE TRIGGER end_my_connection BEFORE INSERT ON warehouse.fact_cart_events "
                 "FOR EACH ROW EXECUTE FUNCTION warehouse.end_my_connection()");
        txn.commit();
    }
    raw.cartAdd(2, "USER_C", "2027-01-05T08:00:00Z", "PROD_B", "Beta", "Fiction Books", "10.00",
                "UK");
    report = test::runWarehouse(db.conninfo(), "2027-01-05");
    QCOMPARE(QString::fromStdString(report.failed_step), QString("fact_cart_events"));
    const gm::warehouse::StepReport& failed = report.steps.back();
    QCOMPARE(QString::fromStdString(failed.step), QString("fact_cart_events"));
    QVERIFY2(failed.error.rfind("lost the connection to PostgreSQL: ", 0) == 0,
             failed.error.c_str());
    QVERIFY2(failed.error.find("recording the failure failed") == std::string::npos,
             failed.error.c_str());
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT status FROM warehouse.batch_runs WHERE run_id = " +
                                            std::to_string(report.run_id) +
                                            " AND step = 'fact_cart_events'"),
                    std::string("failed"));
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT status, error LIKE 'lost the connection%' FROM "
                                        "warehouse.etl_state WHERE job = 'fact_cart_events'"),
                    std::string("failed|t"));

    {
        pqxx::work txn(conn);
        txn.exec("DROP TRIGGER end_my_connection ON warehouse.fact_cart_events");
        txn.commit();
    }
    report = test::runWarehouse(db.conninfo(), "2027-01-05");
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT count(*) FROM warehouse.fact_cart_events"),
                    std::string("2"));
}

void TestWarehouseEtl::failingStepKeepsEarlierSteps() {
    test::ScratchDatabase db;
    test::migrateRealtime(db.conninfo());
    test::RawEvents raw(db.conninfo());
    auto& conn = raw.connection();
    insertShop(raw);
    auto report = test::runWarehouse(db.conninfo(), "2027-01-05");
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    const auto mark = test::valueOf(conn, "SELECT high_water_mark FROM etl_state WHERE job = "
                                          "'fact_cart_events'");

    // A broken target: fact_cart_events refuses add_to_cart rows from now on.
    {
        pqxx::work txn(conn);
        txn.exec("ALTER TABLE warehouse.fact_cart_events ADD CONSTRAINT broken CHECK "
                 "(event_type <> 'add_to_cart') NOT VALID");
        txn.commit();
    }
    raw.order(6, "USER_C", "2027-01-05T09:00:00Z", "UK", {{"PROD_B", 1, "10.00"}});
    raw.cartAdd(2, "USER_C", "2027-01-05T08:00:00Z", "PROD_B", "Beta", "Fiction Books", "10.00",
                "UK");
    report = test::runWarehouse(db.conninfo(), "2027-01-05");
    QCOMPARE(QString::fromStdString(report.failed_step), QString("fact_cart_events"));
    // Earlier steps of the run are committed: the new order is in fact_sales.
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT count(*) FROM fact_sales"), std::string("7"));
    // The failed step left its table and mark as they were, and said why.
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT count(*) FROM fact_cart_events"), std::string("1"));
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT high_water_mark, status, error LIKE '%broken%' "
                                        "FROM etl_state WHERE job = 'fact_cart_events'"),
                    mark + "|failed|t");
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT status FROM batch_runs WHERE run_id = " +
                                            std::to_string(report.run_id) +
                                            " AND step = 'fact_cart_events'"),
                    std::string("failed"));
    // Nothing after it ran.
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT count(*) FROM batch_runs WHERE run_id = " +
                                            std::to_string(report.run_id)),
                    std::string("6"));

    // Repaired, the next run takes the rows the failed one could not.
    {
        pqxx::work txn(conn);
        txn.exec("ALTER TABLE warehouse.fact_cart_events DROP CONSTRAINT broken");
        txn.commit();
    }
    report = test::runWarehouse(db.conninfo(), "2027-01-05");
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT count(*) FROM fact_cart_events"), std::string("2"));
}

// Triggers on the facts make the next load go wrong in known ways; the quality step must name
// each fault with its exact count, pass the rest, and fail the run. The checks cover the rows of
// that load only: the next load, done right, passes.
void TestWarehouseEtl::qualityChecksFindWhatALoadGotWrong() {
    test::ScratchDatabase db;
    test::migrateRealtime(db.conninfo());
    test::RawEvents raw(db.conninfo());
    auto& conn = raw.connection();
    insertShop(raw);
    auto report = test::runWarehouse(db.conninfo(), "2027-01-05");
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    QVERIFY(report.qualityPassed());
    {
        pqxx::work txn(conn);
        // Views of PROD_C vanish; cart events point at a customer version that does not exist;
        // order lines lose their region.
        txn.exec(R"SQL(
            CREATE FUNCTION warehouse.lose_lamp_views() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN IF NEW.product_id = 'PROD_C' THEN RETURN NULL; END IF; RETURN NEW; END $$;
            CREATE TRIGGER lose BEFORE INSERT ON warehouse.fact_product_views
                FOR EACH ROW EXECUTE FUNCTION warehouse.lose_lamp_views();
            CREATE FUNCTION warehouse.orphan_carts() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN NEW.customer_id := -1; RETURN NEW; END $$;
            CREATE TRIGGER orphan BEFORE INSERT ON warehouse.fact_cart_events
                FOR EACH ROW EXECUTE FUNCTION warehouse.orphan_carts();
            CREATE FUNCTION warehouse.no_region() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN NEW.geography_id := NULL; RETURN NEW; END $$;
            CREATE TRIGGER no_region BEFORE INSERT ON warehouse.fact_sales
                FOR EACH ROW EXECUTE FUNCTION warehouse.no_region();
        )SQL");
        txn.commit();
    }
    raw.view(7, "USER_B", "2027-01-05T08:00:00Z", "PROD_C", "Lamp", "Lighting", "50.00", "Japan");
    raw.view(8, "USER_B", "2027-01-05T08:01:00Z", "PROD_C", "Lamp", "Lighting", "50.00", "Japan");
    raw.view(9, "USER_B", "2027-01-05T08:02:00Z", "PROD_A", "Alpha", "Smartphones", "100.00",
             "Japan");
    raw.cartAdd(2, "USER_C", "2027-01-05T08:00:00Z", "PROD_B", "Beta", "Fiction Books", "10.00",
                "UK");
    raw.cartAdd(3, "USER_C", "2027-01-05T08:01:00Z", "PROD_A", "Alpha", "Smartphones", "100.00",
                "UK");
    raw.order(6, "USER_C", "2027-01-05T09:00:00Z", "UK",
              {{"PROD_B", 1, "10.00"}, {"PROD_A", 1, "100.00"}});
    report = test::runWarehouse(db.conninfo(), "2027-01-05");
    QCOMPARE(QString::fromStdString(report.failed_step), QString("etl_quality"));
    std::vector<std::string> failed;
    int passed = 0;
    for (const auto& check : report.quality) {
        if (check.passed) {
            ++passed;
        } else {
            failed.push_back(check.check + " " + check.table + " " + check.expected + " " +
                             check.actual);
        }
    }
    GM_COMPARE_ROWS(failed, (std::vector<std::string>{"row_count fact_product_views 3 1",
                                                      "null_keys fact_sales 0 2",
                                                      "orphan_keys fact_cart_events 0 2"}));
    QCOMPARE(passed, 14);
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT count(*) FILTER (WHERE NOT passed) FROM "
                                        "etl_quality WHERE run_id = " +
                                            std::to_string(report.run_id)),
                    std::string("3"));
    // The jobs still ran on what was loaded.
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT status FROM batch_runs WHERE run_id = " +
                                            std::to_string(report.run_id) +
                                            " AND step = 'rfm_analysis'"),
                    std::string("succeeded"));

    {
        pqxx::work txn(conn);
        txn.exec("DROP TRIGGER lose ON warehouse.fact_product_views; DROP TRIGGER orphan ON "
                 "warehouse.fact_cart_events; DROP TRIGGER no_region ON warehouse.fact_sales");
        txn.commit();
    }
    raw.view(10, "USER_B", "2027-01-05T10:00:00Z", "PROD_C", "Lamp", "Lighting", "50.00", "Japan");
    report = test::runWarehouse(db.conninfo(), "2027-01-05");
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    QVERIFY(report.qualityPassed());
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT expected, actual FROM etl_quality WHERE run_id = " +
                                            std::to_string(report.run_id) +
                                            " AND check_name = 'row_count' AND table_name = "
                                            "'fact_product_views'"),
                    std::string("1|1"));

    // A full reload takes every raw row again, so its checks cover the whole warehouse.
    report = test::runWarehouse(db.conninfo(), "2027-01-05", /*full_reload=*/true);
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT expected, actual FROM etl_quality WHERE run_id = " +
                                            std::to_string(report.run_id) +
                                            " AND check_name = 'row_count' AND table_name = "
                                            "'fact_product_views'"),
                    std::string("10|10"));
}

void TestWarehouseEtl::rowsOfAnOpenTransactionComeWithTheNextLoad() {
    test::ScratchDatabase db;
    test::migrateRealtime(db.conninfo());
    test::RawEvents raw(db.conninfo());
    auto& conn = raw.connection();
    insertShop(raw);
    auto report = test::runWarehouse(db.conninfo(), "2027-01-05");
    QVERIFY2(report.ok(), test::failureText(report).c_str());

    // A writer's transaction inserts an order and stays open; a later one commits another.
    pqxx::connection writer(db.conninfo());
    pqxx::work open(writer);
    open.exec_params("INSERT INTO transactions (transaction_id, user_id, \"timestamp\", "
                     "total_amount, payment_method, country) VALUES ($1, 'USER_C', "
                     "'2027-01-05T10:00:00Z', 10.00, 'PayPal', 'UK')",
                     test::uuidFor("t", 8));
    open.exec_params("INSERT INTO transaction_items (transaction_id, product_id, quantity, "
                     "unit_price) VALUES ($1, 'PROD_B', 1, 10.00)",
                     test::uuidFor("t", 8));
    raw.order(9, "USER_C", "2027-01-05T11:00:00Z", "UK", {{"PROD_B", 2, "10.00"}});
    report = test::runWarehouse(db.conninfo(), "2027-01-05");
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT count(*), sum(total_amount) FROM fact_sales"),
                    std::string("7|480.00")); // 460 + order 9 (20.00)

    // Committed after the load's snapshot, with an id below the committed order's: the next
    // load still takes it, exactly once.
    open.commit();
    report = test::runWarehouse(db.conninfo(), "2027-01-05");
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    QVERIFY(report.qualityPassed());
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT count(*), sum(total_amount) FROM fact_sales"),
                    std::string("8|490.00"));
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT total_transactions, total_spent FROM "
                                        "dim_customers WHERE user_id = 'USER_C'"),
                    std::string("3|230.00"));
}

void TestWarehouseEtl::executiveDashboardQueriesRunUnqualified() {
    test::ScratchDatabase db;
    test::migrateRealtime(db.conninfo());
    test::RawEvents raw(db.conninfo());
    insertShop(raw);
    const auto report = test::runWarehouse(db.conninfo(), "2027-01-05");
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    // Queries in the style of the original executive dashboard: unqualified names, search path
    // on the warehouse.
    auto& conn = raw.connection();
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT sum(total_amount), count(DISTINCT "
                                        "transaction_id) FROM fact_sales fs JOIN dim_date dd ON "
                                        "fs.date_id = dd.date_id WHERE dd.year = 2027"),
                    std::string("240.00|3"));
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT segment_name, customer_count FROM "
                                        "customer_segments ORDER BY total_revenue DESC LIMIT 1"),
                    // USER_A: last order 5 days before (worst of 3: R 1), 2 orders (tied
                    // with USER_B: F 3), the most revenue (220.00).
                    std::string("At Risk|1"));
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT count(*) FROM v_top_products_by_revenue"),
                    std::string("3"));
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT sum(total_revenue) FROM sales_trends WHERE "
                                        "period_type = 'monthly' AND category IS NULL AND "
                                        "analysis_date = (SELECT max(analysis_date) FROM "
                                        "sales_trends)"),
                    std::string("460.00"));
}

QTEST_GUILESS_MAIN(TestWarehouseEtl)
#include "tst_warehouse_etl.moc"
