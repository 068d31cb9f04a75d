// SPDX-License-Identifier: GPL-3.0-or-later
// Snapshot rows -> tables, histories and chart series.
#include "models/row_table_model.h"
#include "models/snapshot_history.h"
#include "models/snapshot_tables.h"

#include <QtTest>

using namespace gm;

namespace {

constexpr TimestampUs kT0 = 1'764'000'000LL * kMicrosPerSecond; // 2025-11-24T16:00:00Z

HighValueAnomalyRow highValue(std::uint64_t id, Cents amount, Severity severity,
                              Country country = Country::USA) {
    HighValueAnomalyRow row;
    row.transaction_id = Uuid{id, id};
    row.user_id = static_cast<UserId>(id);
    row.timestamp = kT0 + static_cast<TimestampUs>(id) * kMicrosPerSecond;
    row.total_amount = amount;
    row.payment_method = PaymentMethod::PayPal;
    row.country = country;
    row.anomaly_reason = "Transaction total exceeds the threshold, \"really\"";
    row.severity = severity;
    row.detected_at = row.timestamp + 5;
    return row;
}

int column(const TableData& table, const char* csv_name) {
    for (int i = 0; i < table.columns.size(); ++i) {
        if (table.columns[i].csv_name == QLatin1String(csv_name)) {
            return i;
        }
    }
    return -1;
}

} // namespace

class SnapshotModelsTest : public QObject {
    Q_OBJECT
private slots:
    void highValueRowsMapToColumns() {
        const TableData table = highValueTable({highValue(7, 1'234'567, Severity::Critical)});
        QCOMPARE(table.rows.size(), std::size_t{1});
        RowTableModel model;
        model.setTable(table);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.columnCount(), table.columns.size());
        const int amount = column(table, "total_amount");
        const int time = column(table, "timestamp");
        const int user = column(table, "user_id");
        const int severity = column(table, "severity");
        const int country = column(table, "country");
        const int payment = column(table, "payment_method");
        QVERIFY(amount >= 0 && time >= 0 && user >= 0 && severity >= 0);
        QCOMPARE(model.index(0, amount).data().toString(), QStringLiteral("$12,345.67"));
        QCOMPARE(model.index(0, amount).data(RowTableModel::ExportRole).toString(),
                 QStringLiteral("12345.67"));
        QCOMPARE(model.index(0, amount).data(RowTableModel::SortRole).toLongLong(), 1'234'567);
        QCOMPARE(model.index(0, time).data(RowTableModel::ExportRole).toString(),
                 QStringLiteral("2025-11-24T16:00:07.000000Z"));
        QCOMPARE(model.index(0, time).data().toString(), QStringLiteral("2025-11-24 16:00:07 UTC"));
        QCOMPARE(model.index(0, user).data().toString(), QStringLiteral("USER_00000008"));
        QCOMPARE(model.index(0, severity).data().toString(), QStringLiteral("critical"));
        QCOMPARE(model.index(0, country).data().toString(), QStringLiteral("USA"));
        QCOMPARE(model.index(0, payment).data().toString(), QStringLiteral("PayPal"));
        QCOMPARE(model.headerData(amount, Qt::Horizontal, RowTableModel::ExportRole).toString(),
                 QStringLiteral("total_amount"));
        QCOMPARE(model.index(0, 0).data().toString(), QString::fromStdString(toString(Uuid{7, 7})));
    }

    void unchangedTableKeepsModel() {
        RowTableModel model;
        model.setTable(highValueTable({highValue(1, 600'000, Severity::Medium)}));
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        model.setTable(highValueTable({highValue(1, 600'000, Severity::Medium)}));
        QCOMPARE(resets.count(), 0);
        model.setTable(highValueTable({highValue(2, 600'000, Severity::Medium)}));
        QCOMPARE(resets.count(), 1);
    }

    void historyMergesByKeyAndIsBounded() {
        RowHistory<HighValueAnomalyRow, HighValueKey> history(3);
        history.merge(
            {highValue(1, 600'000, Severity::Medium), highValue(2, 800'000, Severity::High)});
        history.merge(
            {highValue(1, 600'000, Severity::Medium), highValue(2, 800'000, Severity::High)});
        QCOMPARE(history.size(), std::size_t{2});
        history.merge({highValue(3, 1, Severity::Medium), highValue(4, 2, Severity::Medium)});
        QCOMPARE(history.size(), std::size_t{3});
        const auto rows = history.rows();
        QVERIFY(rows.front().transaction_id == (Uuid{2, 2})); // 1 was evicted first
        QVERIFY(rows.back().transaction_id == (Uuid{4, 4}));
    }

    void alertsAreDeduplicatedByIdWithNewestValues() {
        SnapshotHistory history;
        AlertRow alert;
        alert.alert_id = 9;
        alert.kind = AlertKind::LowStock;
        alert.subject = "PROD_00000003";
        alert.occurrences = 1;
        auto first = std::make_shared<PipelineSnapshot>();
        first->number = 1;
        first->recent.alerts = {alert};
        history.absorb(first);
        alert.occurrences = 4;
        auto second = std::make_shared<PipelineSnapshot>();
        second->number = 2;
        second->recent.alerts = {alert};
        history.absorb(second);
        const auto rows = history.alerts.rows();
        QCOMPARE(rows.size(), std::size_t{1});
        QCOMPARE(rows[0].occurrences, std::uint64_t{4});
        history.acknowledge(9);
        const TableData table = alertsTable(rows, history.acknowledged());
        QCOMPARE(table.rows[0][column(table, "acknowledged")].toBool(), true);
    }

    void seriesKeepClosedAndMarkPartial() {
        SnapshotHistory history;
        auto snapshot = std::make_shared<PipelineSnapshot>();
        snapshot->number = 1;
        for (int minute = 0; minute < 3; ++minute) {
            SalesPerMinuteRow row;
            row.window_start = kT0 + minute * kMicrosPerMinute;
            row.window_end = row.window_start + kMicrosPerMinute;
            row.total_transactions = 10 + static_cast<std::uint64_t>(minute);
            row.total_revenue = 100'000 * (minute + 1);
            row.avg_order_value = 55.5;
            snapshot->recent.sales_per_minute.push_back(row);
        }
        SalesPerMinuteRow open;
        open.window_start = kT0 + 3 * kMicrosPerMinute;
        open.total_transactions = 4;
        open.total_revenue = 12'345;
        snapshot->partial.sales_per_minute.push_back(open);
        history.absorb(snapshot);
        const auto revenue = history.revenue.points();
        QCOMPARE(revenue.size(), std::size_t{4});
        QCOMPARE(revenue[0].value, 1000.0);
        QCOMPARE(revenue[2].value, 3000.0);
        QVERIFY(!revenue[2].partial);
        QVERIFY(revenue[3].partial);
        QCOMPARE(revenue[3].value, 123.45);
        QCOMPARE(history.orders.points()[1].value, 11.0);

        // The open window closes in the next snapshot; the old closed rows may have scrolled out.
        auto next = std::make_shared<PipelineSnapshot>();
        next->number = 2;
        SalesPerMinuteRow closed = open;
        closed.total_revenue = 50'000;
        next->recent.sales_per_minute = {closed};
        history.absorb(next);
        const auto after = history.revenue.points();
        QCOMPARE(after.size(), std::size_t{4});
        QVERIFY(!after[3].partial);
        QCOMPARE(after[3].value, 500.0);
    }

    void anomalyStatsSumOverCountriesAndSkipTrimmedWindow() {
        SnapshotHistory history;
        history.setRecentRowsPerTable(3);
        auto snapshot = std::make_shared<PipelineSnapshot>();
        snapshot->number = 1;
        auto stats = [](TimestampUs start, Country country, std::uint64_t critical) {
            AnomalyStatsRow row;
            row.window_start = start;
            row.country = country;
            row.critical_count = critical;
            row.high_severity_count = 1;
            return row;
        };
        // Full list (3 rows = cap): the oldest window may be missing countries, so it is skipped.
        snapshot->recent.anomaly_stats = {stats(kT0, Country::UK, 1),
                                          stats(kT0 + kMicrosPerMinute, Country::USA, 2),
                                          stats(kT0 + kMicrosPerMinute, Country::Japan, 3)};
        history.absorb(snapshot);
        const auto critical = history.anomalies[0].points();
        QCOMPARE(critical.size(), std::size_t{1});
        QCOMPARE(critical[0].window_start, kT0 + kMicrosPerMinute);
        QCOMPARE(critical[0].value, 5.0);
        QCOMPARE(history.anomalies[1].points()[0].value, 2.0);
    }

    void trendingShowsNewestWindowOnly() {
        std::vector<TrendingProductRow> rows(3);
        rows[0].window_start = kT0;
        rows[0].product_name = "Old";
        rows[1].window_start = kT0 + kMicrosPerMinute;
        rows[1].product_name = "New A";
        rows[1].view_count = 12;
        rows[2].window_start = kT0 + kMicrosPerMinute;
        rows[2].product_name = "New B";
        const TableData table = trendingTable(rows);
        QCOMPARE(table.rows.size(), std::size_t{2});
        QCOMPARE(table.rows[0][column(table, "product_name")].toString(), QStringLiteral("New A"));
        QCOMPARE(table.rows[0][column(table, "view_count")].toLongLong(), 12);
    }
};

QTEST_MAIN(SnapshotModelsTest)
#include "tst_snapshot_models.moc"
