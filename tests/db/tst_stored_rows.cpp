// SPDX-License-Identifier: GPL-3.0-or-later
// The stored-row reader (pipeline/postgres/range_rows.cpp) against the migrated database: a row
// of every table it reads, written as the writer renders it (the descriptions' text, empty as
// NULL), reads back as the same row, field for field. The reader builds its SELECT list and its
// parse from the same descriptions, so a column added to a description is read back, or fails
// here. Rows whose names do not parse are counted unreadable, never shown.
#include "db_test_support.h"
#include "pipeline/postgres/migration_runner.h"
#include "pipeline/postgres/range_rows.h"
#include "pipeline/table_schema.h"

#include <QtTest>
#include <pqxx/pqxx>

using namespace gm;

namespace {

constexpr TimestampUs kT0 = 1'764'000'000LL * kMicrosPerSecond; // 2025-11-24T16:00:00Z
constexpr TimestampUs kMinute = 60 * kMicrosPerSecond;

// INSERT of one row as the writer renders it: every described column's text, "" as NULL.
template <typename Row> void insert(pqxx::connection& conn, const Row& row) {
    pqxx::work work(conn);
    std::string names;
    std::string values;
    const std::vector<std::string> fields = rowFields(row);
    for (std::size_t i = 0; i < fields.size(); ++i) {
        names += std::string(i == 0 ? "" : ", ") + "\"" +
                 std::string(TableColumns<Row>::kColumns[i].name) + "\"";
        values +=
            std::string(i == 0 ? "" : ", ") + (fields[i].empty() ? "NULL" : work.quote(fields[i]));
    }
    work.exec("INSERT INTO " + std::string(TableColumns<Row>::kName) + " (" + names + ") VALUES (" +
              values + ")");
    work.commit();
}

template <typename Row> void compareRead(const RowsInRange<Row>& read, const Row& written) {
    QCOMPARE(read.total, std::size_t{1});
    QCOMPARE(read.unreadable, std::size_t{0});
    QCOMPARE(read.rows.size(), std::size_t{1});
    const std::vector<std::string> expected = rowFields(written);
    const std::vector<std::string> actual = rowFields(read.rows.front());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        QVERIFY2(actual[i] == expected[i], (std::string(TableColumns<Row>::kName) + "." +
                                            std::string(TableColumns<Row>::kColumns[i].name) +
                                            ": read " + actual[i] + ", wrote " + expected[i])
                                               .c_str());
    }
}

HighValueAnomalyRow highValue() {
    HighValueAnomalyRow row;
    row.transaction_id = Uuid{0x0123456789abcdefULL, 0xfedcba9876543210ULL};
    row.user_id = 4711;
    row.timestamp = kT0 + 123'456;
    row.total_amount = 1'234'567;
    row.payment_method = PaymentMethod::GooglePay;
    row.country = Country::Japan;
    row.anomaly_reason = "Transaction total exceeds \"the\" threshold";
    row.severity = Severity::Critical;
    row.detected_at = kT0 + 200'001;
    row.created_at = kT0 + 200'002;
    return row;
}

HighQuantityAnomalyRow highQuantity() {
    HighQuantityAnomalyRow row;
    row.transaction_id = Uuid{7, 8};
    row.product_id = 42;
    row.user_id = 99;
    row.timestamp = kT0 + 1;
    row.total_amount = -5;
    row.payment_method = PaymentMethod::DebitCard;
    row.country = Country::Germany;
    row.quantity = 17;
    row.anomaly_reason = "";
    row.severity = Severity::Low;
    row.detected_at = kT0 + 2;
    row.created_at = kT0 + 3;
    return row;
}

SuspiciousPatternRow suspicious() {
    SuspiciousPatternRow row;
    row.window_start = kT0;
    row.window_end = kT0 + 5 * kMinute;
    row.user_id = 12;
    row.country = Country::France;
    row.transaction_count = 6;
    row.total_spent = 600'006;
    row.avg_transaction = 1000.01;
    row.max_transaction = 300'000;
    row.first_transaction = kT0 + 10;
    row.last_transaction = kT0 + 20;
    row.anomaly_reason = "six in five minutes";
    row.severity = Severity::Medium;
    row.detected_at = kT0 + 30;
    row.created_at = kT0 + 40;
    return row;
}

AbandonedCartRow abandonedCart() {
    AbandonedCartRow row;
    row.window_start = kT0 + 5;
    row.window_end = kT0 + 35 * kMinute;
    row.user_id = 3;
    row.session_id = Uuid{5, 6};
    row.country = Country::UK;
    row.items_added = 4;
    row.abandoned_cart_value = 12'050;
    row.last_activity = kT0 + 50;
    row.total_events = 9;
    row.abandonment_detected_at = kT0 + 60;
    row.created_at = kT0 + 70;
    return row;
}

AlertRow alert() {
    AlertRow row;
    row.alert_id = 12'345'678'901'234'567'890ULL;
    row.kind = AlertKind::Restock;
    row.severity = Severity::High;
    row.subject = "PROD_00002";
    row.title = "Restock soon";
    row.message = "sold 40 in 5 min";
    row.first_seen = kT0 + 1;
    row.last_seen = kT0 + 2;
    row.occurrences = 3;
    row.acknowledged = true;
    return row;
}

HighDemandAlertRow highDemand() {
    HighDemandAlertRow row;
    row.window_start = kT0;
    row.window_end = kT0 + 5 * kMinute;
    row.product_id = 1;
    row.units_sold = 120;
    row.total_revenue = 120'001;
    row.demand_level = Severity::Critical;
    row.alert_generated_at = kT0 + 301;
    row.created_at = kT0 + 302;
    return row;
}

RestockAlertRow restock() {
    RestockAlertRow row;
    row.window_start = kT0 + 7;
    row.window_end = kT0 + 5 * kMinute;
    row.product_id = 2;
    row.country = Country::USA;
    row.units_sold = 30;
    row.sales_rate_per_min = 6.25;
    row.urgency = Severity::High;
    row.alert_generated_at = kT0 + 303;
    row.created_at = kT0 + 304;
    return row;
}

LowStockAlertRow lowStock() {
    LowStockAlertRow row;
    row.product_id = 3;
    row.detected_at = kT0 + 9;
    row.stock_on_hand = 3;
    row.threshold = 10;
    row.severity = Severity::Medium;
    return row;
}

} // namespace

class TestStoredRows : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        GM_REQUIRE_SERVER();
        db_ = std::make_unique<test::ScratchDatabase>();
        conn_ = std::make_unique<pqxx::connection>(db_->conninfo());
        MigrationRunner::embedded().migrate(*conn_);
    }

    void everyReadTableReadsBackWhatWasWritten() {
        insert(*conn_, highValue());
        insert(*conn_, highQuantity());
        insert(*conn_, suspicious());
        insert(*conn_, abandonedCart());
        insert(*conn_, alert());
        insert(*conn_, highDemand());
        insert(*conn_, restock());
        insert(*conn_, lowStock());
        const StoredRows read = readStoredRows(db_->conninfo(), kT0, kT0 + kMinute, kStoredRowsAll);
        QCOMPARE(read.error, std::string());
        compareRead(read.high_value, highValue());
        compareRead(read.high_quantity, highQuantity());
        compareRead(read.suspicious, suspicious());
        compareRead(read.abandoned_carts, abandonedCart());
        compareRead(read.alerts, alert());
        compareRead(read.high_demand, highDemand());
        compareRead(read.restock, restock());
        compareRead(read.low_stock, lowStock());
        QCOMPARE(read.loadedRows(), std::size_t{8});
        QVERIFY(!read.anyCut());
    }

    // A name the pipeline would not write makes the row unreadable (counted, not shown); a NULL
    // in a nullable name column reads as the row's default.
    void unparsableRowsAreCountedNullNamesReadAsDefaults() {
        const TimestampUs later = kT0 + 10 * kMinute;
        HighValueAnomalyRow unknown_country = highValue();
        unknown_country.transaction_id = Uuid{100, 1};
        unknown_country.timestamp = later + 1;
        insert(*conn_, unknown_country);
        HighValueAnomalyRow no_country = highValue();
        no_country.transaction_id = Uuid{100, 2};
        no_country.timestamp = later + 2;
        insert(*conn_, no_country);
        HighValueAnomalyRow bad_severity = highValue();
        bad_severity.transaction_id = Uuid{100, 3};
        bad_severity.timestamp = later + 3;
        insert(*conn_, bad_severity);
        {
            pqxx::work work(*conn_);
            work.exec("UPDATE high_value_anomalies SET country = 'Atlantis' WHERE transaction_id "
                      "= '" +
                      toString(unknown_country.transaction_id) + "'");
            work.exec("UPDATE high_value_anomalies SET country = NULL, payment_method = NULL, "
                      "anomaly_reason = NULL WHERE transaction_id = '" +
                      toString(no_country.transaction_id) + "'");
            work.exec("UPDATE high_value_anomalies SET severity = 'dire' WHERE transaction_id = '" +
                      toString(bad_severity.transaction_id) + "'");
            work.commit();
        }
        const StoredRows read =
            readStoredRows(db_->conninfo(), later, later + kMinute, kStoredAnomalyRows);
        QCOMPARE(read.error, std::string());
        QCOMPARE(read.high_value.total, std::size_t{3});
        QCOMPARE(read.high_value.unreadable, std::size_t{2});
        QCOMPARE(read.high_value.rows.size(), std::size_t{1});
        const HighValueAnomalyRow& row = read.high_value.rows.front();
        QCOMPARE(toString(row.transaction_id), toString(no_country.transaction_id));
        QCOMPARE(row.country, HighValueAnomalyRow{}.country);
        QCOMPARE(row.payment_method, HighValueAnomalyRow{}.payment_method);
        QCOMPARE(row.anomaly_reason, std::string());
        QVERIFY(!read.high_value.cut());
    }

private:
    std::unique_ptr<test::ScratchDatabase> db_;
    std::unique_ptr<pqxx::connection> conn_;
};

QTEST_GUILESS_MAIN(TestStoredRows)
#include "tst_stored_rows.moc"
