// SPDX-License-Identifier: GPL-3.0-or-later
// RFM and customer segments on 20 hand-built customers, analysis date 2027-01-05. Customer k
// (USER_000000kk) last ordered 200 - 10k days before it, so recency ranks are 1..20 in customer
// order and the recency score is 1 for customers 1-4, 2 for 5-8, ... 5 for 17-20 (with 20
// distinct values, score = least(5, 1 + floor(5 (rank-1)/19)) puts four customers on each).
// Frequencies 1..20 are spread so that the (R, F) pairs cover every cell of the segment grid.
// Monetary values are 100k, except that customer 5 has 450 like customer 4: the tie spans the
// boundary between scores 1 and 2 (ranks 4 and 5) and both get 1.
#include "warehouse_test_support.h"

#include <QtTest>

using namespace gm;

namespace {

struct Customer {
    int frequency;
    int monetary;
    int recency_score, frequency_score, monetary_score;
    const char* segment;
};

// Index k-1 describes customer k. Expected scores worked out by hand as described above.
const Customer kCustomers[20] = {
    {1, 100, 1, 1, 1, "Hibernating"},
    {9, 200, 1, 3, 1, "At Risk"},
    {13, 300, 1, 4, 1, "At Risk"},
    {17, 450, 1, 5, 1, "Can't Lose Them"},
    {2, 450, 2, 1, 1, "Hibernating"},
    {5, 600, 2, 2, 2, "Hibernating"},
    {14, 700, 2, 4, 2, "At Risk"},
    {18, 800, 2, 5, 2, "Can't Lose Them"},
    {6, 900, 3, 2, 3, "About to Sleep"},
    {10, 1000, 3, 3, 3, "Need Attention"},
    {15, 1100, 3, 4, 3, "Loyal Customers"},
    {19, 1200, 3, 5, 3, "Loyal Customers"},
    {3, 1300, 4, 1, 4, "Promising"},
    {7, 1400, 4, 2, 4, "Potential Loyalists"},
    {11, 1500, 4, 3, 4, "Potential Loyalists"},
    {20, 1600, 4, 5, 4, "Loyal Customers"},
    {4, 1700, 5, 1, 5, "New Customers"},
    {8, 1800, 5, 2, 5, "Potential Loyalists"},
    {12, 1900, 5, 3, 5, "Potential Loyalists"},
    {16, 2000, 5, 4, 5, "Champions"},
};

std::string userId(int k) {
    char text[16];
    std::snprintf(text, sizeof text, "USER_%08d", k);
    return text;
}

// Customer k's orders: the last one 200 - 10k days before 2027-01-05 (noon UTC), the others on
// the days before it at 1.00 each, the last one making up the monetary value.
void insertCustomers(test::RawEvents& raw) {
    int order = 0;
    for (int k = 1; k <= 20; ++k) {
        const Customer& c = kCustomers[k - 1];
        const int recency = 200 - 10 * k;
        for (int i = c.frequency - 1; i >= 0; --i) {
            pqxx::read_transaction txn(raw.connection());
            const auto day =
                txn.exec_params1("SELECT to_char(date '2027-01-05' - $1::integer, 'YYYY-MM-DD')",
                                 recency + i)[0]
                    .as<std::string>();
            txn.commit();
            const int total = i == 0 ? c.monetary - (c.frequency - 1) : 1;
            raw.simpleOrder(++order, userId(k), day + "T12:00:00Z", std::to_string(total));
        }
    }
}

} // namespace

class TestWarehouseRfm : public QObject {
    Q_OBJECT

private slots:
    void init() { GM_REQUIRE_SERVER(); }
    void scoresTiesAndGridCells();
};

void TestWarehouseRfm::scoresTiesAndGridCells() {
    test::ScratchDatabase db;
    test::migrateRealtime(db.conninfo());
    test::RawEvents raw(db.conninfo());
    insertCustomers(raw);

    const auto report = test::runWarehouse(db.conninfo(), "2027-01-05");
    QVERIFY2(report.ok(), test::failureText(report).c_str());

    auto& conn = raw.connection();
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT count(*) FROM rfm_analysis"), std::string("20"));
    for (int k = 1; k <= 20; ++k) {
        const Customer& c = kCustomers[k - 1];
        const std::string expected =
            std::to_string(200 - 10 * k) + "|" + std::to_string(c.frequency) + "|" +
            std::to_string(c.monetary) + ".00|" + std::to_string(c.recency_score) + "|" +
            std::to_string(c.frequency_score) + "|" + std::to_string(c.monetary_score) + "|" +
            std::to_string(c.recency_score * 100 + c.frequency_score * 10 + c.monetary_score) +
            "|" + c.segment;
        const auto actual = test::valueOf(
            conn, "SELECT recency_days, frequency_count, monetary_value, recency_score, "
                  "frequency_score, monetary_score, rfm_score, rfm_segment FROM rfm_analysis "
                  "WHERE user_id = '" +
                      userId(k) + "' AND analysis_date = '2027-01-05'");
        QVERIFY2(actual == expected, (userId(k) + ": " + actual + " != " + expected).c_str());
    }

    // Hibernating = customers 1, 5, 6: 3 of 20; revenue 100 + 450 + 600 = 1150 of
    // 21000 (= 210 * 100, customer 4 +50, customer 5 -50) = 5.48%; orders 1 + 2 + 5 = 8; AOV 1150 /
    // 8 = 143.75; scores 111..222.
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT min_rfm_score, max_rfm_score, customer_count, "
                                        "customer_share_pct, total_revenue, revenue_share_pct, "
                                        "total_orders, avg_order_value, analysis_date FROM "
                                        "customer_segments WHERE segment_name = 'Hibernating'"),
                    std::string("111|222|3|15.00|1150.00|5.48|8|143.75|2027-01-05"));
    // At Risk = customers 2, 3, 7: revenue 1200, orders 9 + 13 + 14 = 36, AOV 33.33.
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT min_rfm_score, max_rfm_score, customer_count, "
                                        "total_revenue, total_orders, avg_order_value FROM "
                                        "customer_segments WHERE segment_name = 'At Risk'"),
                    std::string("131|242|3|1200.00|36|33.33"));
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT count(*) FROM customer_segments"),
                    std::string("10"));
    // The dimension carries the latest segment and score (type 1).
    GM_COMPARE_TEXT(test::valueOf(conn,
                                  "SELECT customer_segment, rfm_score, total_transactions, "
                                  "total_spent, avg_order_value FROM dim_customers WHERE user_id "
                                  "= 'USER_00000020' AND is_current"),
                    std::string("Champions|545|16|2000.00|125.00"));

    // Another date adds its own rows and leaves 2027-01-05's alone; customer_segments stays on
    // the latest date, the history has both.
    const auto earlier = test::runWarehouse(db.conninfo(), "2027-01-04");
    QVERIFY2(earlier.ok(), test::failureText(earlier).c_str());
    GM_COMPARE_ROWS(test::rowsOf(conn,
                                 "SELECT analysis_date, count(*) FROM rfm_analysis GROUP BY 1 "
                                 "ORDER BY 1"),
                    (std::vector<std::string>{"2027-01-04|20", "2027-01-05|20"}));
    // Facts after the analysis day do not count: customer 20's last order (2027-01-05) is out.
    GM_COMPARE_TEXT(test::valueOf(conn,
                                  "SELECT recency_days, frequency_count FROM rfm_analysis WHERE "
                                  "user_id = 'USER_00000020' AND analysis_date = '2027-01-04'"),
                    std::string("0|15"));
    GM_COMPARE_TEXT(test::valueOf(conn, "SELECT DISTINCT analysis_date FROM customer_segments"),
                    std::string("2027-01-05"));
    GM_COMPARE_ROWS(test::rowsOf(conn,
                                 "SELECT DISTINCT analysis_date FROM customer_segments_history "
                                 "ORDER BY 1"),
                    (std::vector<std::string>{"2027-01-04", "2027-01-05"}));
}

QTEST_GUILESS_MAIN(TestWarehouseRfm)
#include "tst_warehouse_rfm.moc"
