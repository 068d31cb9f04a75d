// SPDX-License-Identifier: GPL-3.0-or-later
// The Alerts page and the Inventory page's tables follow the window's time range, against the
// real PostgreSQL that tests/run.sh starts: alerts (and high-demand, restock and low-stock rows)
// written by SQL hours before anything in memory appear when the range covers them, in the
// numbers SQL counts, and not for another range; rows in memory join them once each (memory's
// copy winning, a stored acknowledgement kept); rows in memory outside the range are hidden;
// without a database a range filters what memory holds. The window shows the range bar on
// both pages.
#include "../db/db_test_support.h"
#include "generator/ids.h"
#include "pipeline/postgres/migration_runner.h"
#include "pipeline/postgres/range_rows.h"
#include "tests/ui/range_test_support.h"
#include "ui/alerts_page.h"
#include "ui/desktop_session.h"
#include "ui/inventory_page.h"
#include "ui/main_window.h"
#include "ui/table_panel.h"
#include "ui/time_range_bar.h"

#include <QLabel>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QtTest>
#include <set>

using namespace gm;

namespace {

// The stored history ends here.
const TimestampUs kEnd = *parseIsoTimestamp("2026-06-10T12:00:00Z");
constexpr TimestampUs kHour = 60 * kMicrosPerMinute;
constexpr TimestampUs kMinute = kMicrosPerMinute;
// The past hour the stored rows of interest lie in, and an older one outside "last 24 h".
const TimestampUs kPastHour = kEnd - 3 * kHour;
const TimestampUs kOldHour = kEnd - 30 * kHour;
constexpr int kPastAlerts = 9;  // every 6 minutes from kPastHour, each over 2 minutes
constexpr int kOldAlerts = 4;   // every 6 minutes from kOldHour
constexpr int kPastDemand = 6;  // high-demand windows every 10 minutes in the past hour
constexpr int kPastRestock = 4; // restock windows every 15 minutes in the past hour
constexpr int kOldRestock = 2;
constexpr int kPastLowStock = 5; // every 12 minutes in the past hour

// Ids of the stored alerts: 1000 + i for the past hour, 2000 + i for the old one.
constexpr std::uint64_t kPastAlertId = 1000;
// Straddles the past hour's start: first seen 5 minutes before it, last seen 3 minutes in.
constexpr std::uint64_t kStraddlingAlertId = 3000;
// Acknowledged in PostgreSQL (by another window), also held in memory unacknowledged.
constexpr std::uint64_t kAcknowledgedAlertId = kPastAlertId + 2;

std::string iso(TimestampUs time) {
    return formatIsoTimestamp(time);
}

void seed(const std::string& conninfo) {
    pqxx::connection connection(conninfo);
    MigrationRunner::embedded().migrate(connection);
    pqxx::work work(connection);
    // Minutes up to kEnd, so "last 24 h" ends where the stored history does.
    test::seedSalesMinutes(work, kEnd - 2 * kHour, kEnd);
    const auto alerts = [&](TimestampUs from, int count, std::uint64_t first_id) {
        work.exec_params(
            "INSERT INTO alerts (alert_id, kind, severity, subject, title, message, first_seen,"
            " last_seen, occurrences) SELECT ($3 + i)::text, 'low_stock', 'critical',"
            " 'PROD_' || lpad((10 + i)::text, 8, '0'), 'Low stock: PROD_' || lpad((10 + i)::text,"
            " 8, '0'), 'stock 2 of threshold 10', t, t + interval '2 minutes', 3"
            " FROM generate_series(0, $2 - 1) AS i,"
            " LATERAL (SELECT $1::timestamptz + i * interval '6 minutes') AS s(t)",
            iso(from), count, static_cast<long long>(first_id));
    };
    alerts(kPastHour, kPastAlerts, kPastAlertId);
    alerts(kOldHour, kOldAlerts, 2000);
    work.exec_params("INSERT INTO alerts (alert_id, kind, severity, subject, title, first_seen,"
                     " last_seen, occurrences) VALUES ($1, 'high_demand', 'high', 'PROD_00000099',"
                     " 'High demand: PROD_00000099', $2::timestamptz, $3::timestamptz, 4)",
                     std::to_string(kStraddlingAlertId), iso(kPastHour - 5 * kMinute),
                     iso(kPastHour + 3 * kMinute));
    work.exec_params("UPDATE alerts SET acknowledged = true, acknowledged_at = now()"
                     " WHERE alert_id = $1",
                     std::to_string(kAcknowledgedAlertId));
    const auto demand = [&](TimestampUs from, int count) {
        work.exec_params("INSERT INTO high_demand_alerts (window_start, window_end, product_id,"
                         " units_sold, total_revenue, demand_level, alert_generated_at)"
                         " SELECT t, t + interval '10 minutes', 'PROD_' || lpad((20 + i)::text, 8,"
                         " '0'), 25 + i, 500.25, 'high', t + interval '10 minutes'"
                         " FROM generate_series(0, $2 - 1) AS i,"
                         " LATERAL (SELECT $1::timestamptz + i * interval '10 minutes') AS s(t)",
                         iso(from), count);
    };
    demand(kPastHour, kPastDemand);
    demand(kOldHour, 3);
    const auto restock = [&](TimestampUs from, int count) {
        work.exec_params("INSERT INTO restock_alerts (window_start, window_end, product_id,"
                         " country, units_sold, sales_rate_per_min, urgency, alert_generated_at)"
                         " SELECT t, t + interval '5 minutes', 'PROD_' || lpad((30 + i)::text, 8,"
                         " '0'), 'Japan', 7, 1.4, 'medium', t + interval '5 minutes'"
                         " FROM generate_series(0, $2 - 1) AS i,"
                         " LATERAL (SELECT $1::timestamptz + i * interval '15 minutes') AS s(t)",
                         iso(from), count);
    };
    restock(kPastHour, kPastRestock);
    restock(kOldHour, kOldRestock);
    work.exec_params("INSERT INTO low_stock_alerts (product_id, detected_at, stock_on_hand,"
                     " threshold, severity) SELECT 'PROD_' || lpad((40 + i)::text, 8, '0'), t, 3,"
                     " 10, 'high' FROM generate_series(0, $2 - 1) AS i,"
                     " LATERAL (SELECT $1::timestamptz + i * interval '12 minutes') AS s(t)",
                     iso(kPastHour), kPastLowStock);
    work.commit();
}

std::size_t sqlCount(const std::string& conninfo, const std::string& table,
                     const std::string& condition, TimestampUs from, TimestampUs to) {
    pqxx::connection connection(conninfo);
    pqxx::read_transaction work(connection);
    return work
        .exec_params1("SELECT count(*) FROM " + table + " WHERE " + condition, iso(from),
                      iso(to))[0]
        .as<std::size_t>();
}

// Alerts whose occurrences overlap [$1, $2), as the page defines it.
std::size_t sqlAlerts(const std::string& conninfo, TimestampUs from, TimestampUs to) {
    return sqlCount(conninfo, "alerts",
                    "last_seen >= $1::timestamptz AND first_seen < $2::timestamptz", from, to);
}

std::size_t sqlRows(const std::string& conninfo, const std::string& table,
                    const std::string& column, TimestampUs from, TimestampUs to) {
    return sqlCount(conninfo, table,
                    column + " >= $1::timestamptz AND " + column + " < $2::timestamptz", from, to);
}

// A column of the table a panel shows, as text, per row.
QStringList shownColumn(TablePanel* panel, const char* csv_name) {
    const TableData& table = panel->model()->table();
    int column = -1;
    for (int c = 0; c < table.columns.size(); ++c) {
        if (table.columns[c].csv_name == QLatin1String(csv_name)) {
            column = c;
        }
    }
    QStringList values;
    for (const QVariantList& row : table.rows) {
        values << (column >= 0 ? row[column].toString() : QString());
    }
    return values;
}

const QVariantList* shownRow(TablePanel* panel, std::uint64_t alert_id) {
    const TableData& table = panel->model()->table();
    const int key = table.columnFor(FilterRole::Key);
    for (const QVariantList& row : table.rows) {
        if (row[key].toString() == QString::number(alert_id)) {
            return &row;
        }
    }
    return nullptr;
}

QVariant cell(TablePanel* panel, const QVariantList& row, const char* csv_name) {
    const TableData& table = panel->model()->table();
    for (int c = 0; c < table.columns.size(); ++c) {
        if (table.columns[c].csv_name == QLatin1String(csv_name)) {
            return row[c];
        }
    }
    return {};
}

QString labelsOf(QWidget* widget) {
    QStringList labels;
    for (const QLabel* label : widget->findChildren<QLabel*>()) {
        labels << label->text();
    }
    return labels.join(QLatin1Char('|'));
}

AlertRow liveAlert(std::uint64_t id, TimestampUs first, TimestampUs last, std::uint64_t times) {
    AlertRow row;
    row.alert_id = id;
    row.kind = AlertKind::LowStock;
    row.severity = Severity::Critical;
    row.subject = "PROD_00000777";
    row.title = "Low stock: PROD_00000777";
    row.first_seen = first;
    row.last_seen = last;
    row.occurrences = times;
    return row;
}

HighDemandAlertRow liveDemand(ProductId product, TimestampUs start) {
    HighDemandAlertRow row;
    row.window_start = start;
    row.window_end = start + 10 * kMinute;
    row.product_id = product;
    row.units_sold = 30;
    row.total_revenue = 90'000;
    row.demand_level = Severity::High;
    row.alert_generated_at = row.window_end;
    return row;
}

LowStockAlertRow liveLowStock(ProductId product, TimestampUs at) {
    LowStockAlertRow row;
    row.product_id = product;
    row.detected_at = at;
    row.stock_on_hand = 4;
    row.threshold = 10;
    return row;
}

PageContext contextFor(const SnapshotHistory& history, const HistoryView* range) {
    return test::pageContext(history, nullptr, RunState::Idle, range);
}

// Until the rows of a range starting at `from` are loaded and handed to the view (the loader
// may have finished on its thread before the window took its result).
bool waitForRows(TimeRangeBar& bar, TimestampUs from) {
    return QTest::qWaitFor(
        [&] {
            const StoredRows* rows = bar.view().storedRows();
            return !bar.loading() && rows != nullptr && rows->from == from;
        },
        30000);
}

TablePanel* tab(InventoryPage& page, int index) {
    return static_cast<TablePanel*>(page.findChild<QTabWidget*>()->widget(index));
}

} // namespace

class TestRangeAlerts : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("GlobalMartTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_range_alerts"));
        QSettings().clear();
        GM_REQUIRE_SERVER();
        database_ = std::make_unique<test::ScratchDatabase>();
        seed(database_->conninfo());
    }

    void storedAlertsOlderThanMemoryAppearForTheirRange() {
        const std::string conninfo = database_->conninfo();
        TimeRangeBar bar;
        bar.setTables(kStoredAlertRows);
        bar.setDatabase([conninfo] { return conninfo; });
        bar.setRange({RangePreset::Last24Hours, {}});
        QVERIFY(waitForRows(bar, kEnd - 24 * kHour));
        QCOMPARE(*bar.view().span(), (TimeSpan{kEnd - 24 * kHour, kEnd}));
        QVERIFY2(bar.statusText().contains(QStringLiteral("table rows")),
                 qPrintable(bar.statusText()));
        QVERIFY2(!bar.statusText().contains(QStringLiteral("stored minutes")),
                 qPrintable(bar.statusText()));

        // Memory holds the last minutes only: one alert there, far newer than the stored ones.
        SnapshotHistory history;
        history.alerts.merge({liveAlert(7001, kEnd - 4 * kMinute, kEnd - 2 * kMinute, 1)});
        AlertsPage page(history);
        page.showData(contextFor(history, &bar.view()));
        const std::size_t in_day = sqlAlerts(conninfo, kEnd - 24 * kHour, kEnd);
        QCOMPARE(in_day, std::size_t{kPastAlerts + 1}); // the past hour's and the straddling one
        QCOMPARE(std::size_t(page.table()->model()->rowCount()), in_day + 1);
        QVERIFY(shownRow(page.table(), 7001) != nullptr);
        QVERIFY(shownRow(page.table(), kPastAlertId) != nullptr);
        QVERIFY(shownRow(page.table(), 2000) == nullptr); // 30 hours ago: not in the day
        QVERIFY2(labelsOf(page.table()).contains(QStringLiteral("in the time range")),
                 qPrintable(labelsOf(page.table())));
        // The stored values, as SQL wrote them.
        const QVariantList& stored = *shownRow(page.table(), kPastAlertId + 1);
        QCOMPARE(cell(page.table(), stored, "occurrences").toLongLong(), 3LL);
        QCOMPARE(cell(page.table(), stored, "last_seen").toLongLong(),
                 kPastHour + 6 * kMinute + 2 * kMinute);
        QCOMPARE(cell(page.table(), stored, "kind").toString(), QStringLiteral("low_stock"));
        QCOMPARE(cell(page.table(), stored, "severity").toString(), QStringLiteral("critical"));
        QVERIFY(cell(page.table(), *shownRow(page.table(), kAcknowledgedAlertId), "acknowledged")
                    .toBool());

        // The old hour only: its four alerts, none of the day's, nor memory's.
        bar.setRange({RangePreset::Custom, {kOldHour, kOldHour + kHour}});
        QVERIFY(waitForRows(bar, kOldHour));
        page.showData(contextFor(history, &bar.view()));
        QCOMPARE(std::size_t(page.table()->model()->rowCount()),
                 sqlAlerts(conninfo, kOldHour, kOldHour + kHour));
        QCOMPARE(page.table()->model()->rowCount(), kOldAlerts);
        QVERIFY(shownRow(page.table(), 7001) == nullptr);

        // A range that starts inside the straddling alert's occurrences still shows it.
        bar.setRange({RangePreset::Custom, {kPastHour, kPastHour + 10 * kMinute}});
        QVERIFY(QTest::qWaitFor(
            [&] {
                const StoredRows* rows = bar.view().storedRows();
                return !bar.loading() && rows != nullptr && rows->to == kPastHour + 10 * kMinute;
            },
            30000));
        page.showData(contextFor(history, &bar.view()));
        QCOMPARE(std::size_t(page.table()->model()->rowCount()),
                 sqlAlerts(conninfo, kPastHour, kPastHour + 10 * kMinute));
        QVERIFY(shownRow(page.table(), kStraddlingAlertId) != nullptr);
        QCOMPARE(page.table()->model()->rowCount(), 3); // at 0 and 6 minutes, and the straddling

        // Live: what memory holds, as before.
        bar.setRange({RangePreset::Live, {}});
        page.showData(contextFor(history, &bar.view()));
        QCOMPARE(page.table()->model()->rowCount(), 1);
        QVERIFY(shownRow(page.table(), 7001) != nullptr);
    }

    void alertsInMemoryJoinTheStoredOnesOnceAndOutsideOnesHide() {
        const std::string conninfo = database_->conninfo();
        TimeRangeBar bar;
        bar.setTables(kStoredAlertRows);
        bar.setDatabase([conninfo] { return conninfo; });
        bar.setRange({RangePreset::Custom, {kPastHour, kPastHour + kHour}});
        QVERIFY(waitForRows(bar, kPastHour));

        SnapshotHistory history;
        // Memory re-emitted a stored alert with more occurrences (not acknowledged there); one
        // new alert in the range; one after it and one before it, both to be hidden.
        const TimestampUs stored_first = kPastHour + 2 * 6 * kMinute;
        history.alerts.merge(
            {liveAlert(kAcknowledgedAlertId, stored_first, stored_first + 9 * kMinute, 11),
             liveAlert(7002, kPastHour + 50 * kMinute, kPastHour + 51 * kMinute, 1),
             liveAlert(7003, kPastHour + 2 * kHour, kPastHour + 2 * kHour + kMinute, 1),
             liveAlert(7004, kPastHour - 20 * kMinute, kPastHour - 10 * kMinute, 1)});
        AlertsPage page(history);
        page.showData(contextFor(history, &bar.view()));
        const std::size_t stored = sqlAlerts(conninfo, kPastHour, kPastHour + kHour);
        QCOMPARE(std::size_t(page.table()->model()->rowCount()), stored + 1);
        const QStringList ids = shownColumn(page.table(), "alert_id");
        QCOMPARE(std::size_t(QSet<QString>(ids.begin(), ids.end()).size()),
                 std::size_t(ids.size())); // none twice
        QVERIFY(shownRow(page.table(), 7002) != nullptr);
        QVERIFY(shownRow(page.table(), 7003) == nullptr);
        QVERIFY(shownRow(page.table(), 7004) == nullptr);
        // Memory's copy of the shared alert wins, its stored acknowledgement holds.
        const QVariantList& shared = *shownRow(page.table(), kAcknowledgedAlertId);
        QCOMPARE(cell(page.table(), shared, "occurrences").toLongLong(), 11LL);
        QVERIFY(cell(page.table(), shared, "acknowledged").toBool());
        // Oldest first by last seen: the new one last.
        QCOMPARE(ids.last(), QStringLiteral("7002"));
        // The tiles count what the range shows.
        const QString tiles = labelsOf(&page);
        QVERIFY2(tiles.contains(QStringLiteral("Alerts in the time range")), qPrintable(tiles));
        QVERIFY2(tiles.contains(QString::number(stored + 1)), qPrintable(tiles));
    }

    void aComparisonOnTheAlertsPageLoadsNothingAndSaysSo() {
        const std::string conninfo = database_->conninfo();
        TimeRangeBar bar;
        bar.setTables(kStoredAlertRows);
        bar.setDatabase([conninfo] { return conninfo; });
        bar.setCompare(ComparePeriod::PreviousHour);
        QVERIFY(QTest::qWaitFor(
            [&] {
                return !bar.loading() &&
                       bar.statusText().contains(QStringLiteral("Nothing stored to load"));
            },
            30000));
        QVERIFY(bar.view().storedRows() == nullptr); // Live: the alerts in memory only
    }

    void withoutADatabaseARangeFiltersTheAlertsInMemory() {
        TimeRangeBar bar;
        bar.setRange({RangePreset::Custom, {kPastHour, kPastHour + kHour}});
        QVERIFY(!bar.loading());
        SnapshotHistory history;
        history.alerts.merge({liveAlert(7005, kPastHour + kMinute, kPastHour + 2 * kMinute, 1),
                              liveAlert(7006, kPastHour - 3 * kMinute, kPastHour - kMinute, 1)});
        AlertsPage page(history);
        page.showData(contextFor(history, &bar.view()));
        QCOMPARE(shownColumn(page.table(), "alert_id"), QStringList{QStringLiteral("7005")});
        QVERIFY(bar.statusText().contains(QStringLiteral("only what is in memory")));
        QVERIFY2(labelsOf(page.table()).contains(QStringLiteral("from memory only")),
                 qPrintable(labelsOf(page.table())));
    }

    void inventoryTablesFollowTheRange() {
        const std::string conninfo = database_->conninfo();
        TimeRangeBar bar;
        bar.setTables(unsigned{kStoredInventory} | kStoredInventoryRows);
        bar.setDatabase([conninfo] { return conninfo; });
        bar.setRange({RangePreset::Custom, {kPastHour, kPastHour + kHour}});
        QVERIFY(waitForRows(bar, kPastHour));

        SnapshotHistory history;
        // Memory: a high-demand window in the range (new), one repeating a stored window, one
        // outside the range; a low-stock alert in the range and one outside it; a stock level.
        const ProductId stored_product = *parseProductId("PROD_00000020"); // stored at kPastHour
        history.high_demand.merge({liveDemand(stored_product, kPastHour),
                                   liveDemand(900, kPastHour + 55 * kMinute),
                                   liveDemand(901, kPastHour + 2 * kHour)});
        history.low_stock.merge(
            {liveLowStock(902, kPastHour + 7 * kMinute), liveLowStock(903, kPastHour - kMinute)});
        history.stock_levels.merge({StockLevelRow{904, 4, kEnd - kMinute}});
        InventoryPage page;
        page.showData(contextFor(history, &bar.view()));
        TablePanel* demand = tab(page, 0);
        TablePanel* restock = tab(page, 1);
        TablePanel* low_stock = tab(page, 2);
        TablePanel* levels = tab(page, 3);

        const std::size_t stored_demand =
            sqlRows(conninfo, "high_demand_alerts", "window_start", kPastHour, kPastHour + kHour);
        QCOMPARE(stored_demand, std::size_t{kPastDemand});
        QCOMPARE(std::size_t(demand->model()->rowCount()), stored_demand + 1);
        const QStringList products = shownColumn(demand, "product_id");
        QVERIFY(products.contains(QString::fromStdString(formatProductId(900))));
        QVERIFY(!products.contains(QString::fromStdString(formatProductId(901))));
        QCOMPARE(products.count(QStringLiteral("PROD_00000020")), 1); // memory's copy, once
        // Memory's copy of the shared window wins (its units).
        const TableData& demand_table = demand->model()->table();
        for (const QVariantList& row : demand_table.rows) {
            if (cell(demand, row, "product_id").toString() == QStringLiteral("PROD_00000020")) {
                QCOMPARE(cell(demand, row, "units_sold").toLongLong(), 30LL);
            }
        }

        QCOMPARE(std::size_t(restock->model()->rowCount()),
                 sqlRows(conninfo, "restock_alerts", "window_start", kPastHour, kPastHour + kHour));
        QCOMPARE(restock->model()->rowCount(), kPastRestock);
        for (const QString& country : shownColumn(restock, "country")) {
            QCOMPARE(country, QStringLiteral("Japan"));
        }

        QCOMPARE(
            std::size_t(low_stock->model()->rowCount()),
            sqlRows(conninfo, "low_stock_alerts", "detected_at", kPastHour, kPastHour + kHour) + 1);
        const QStringList low = shownColumn(low_stock, "product_id");
        QVERIFY(low.contains(QString::fromStdString(formatProductId(902))));
        QVERIFY(!low.contains(QString::fromStdString(formatProductId(903))));
        for (TablePanel* panel : {demand, restock, low_stock}) {
            QVERIFY2(labelsOf(panel).contains(QStringLiteral("in the time range")),
                     qPrintable(labelsOf(panel)));
        }
        // Stock levels are current whatever the range, and say so.
        QCOMPARE(levels->model()->rowCount(), 1);
        QVERIFY2(labelsOf(levels).contains(QStringLiteral("current levels")),
                 qPrintable(labelsOf(levels)));

        // The old hour: its stored restock windows only, nothing of memory's.
        bar.setRange({RangePreset::Custom, {kOldHour, kOldHour + kHour}});
        QVERIFY(waitForRows(bar, kOldHour));
        page.showData(contextFor(history, &bar.view()));
        QCOMPARE(restock->model()->rowCount(), kOldRestock);
        QCOMPARE(demand->model()->rowCount(), 3);
        QCOMPARE(low_stock->model()->rowCount(), 0);

        // Live: memory's rows, every one.
        bar.setRange({RangePreset::Live, {}});
        page.showData(contextFor(history, &bar.view()));
        QCOMPARE(demand->model()->rowCount(), 3);
        QCOMPARE(low_stock->model()->rowCount(), 2);
        QCOMPARE(restock->model()->rowCount(), 0);
        QVERIFY(!labelsOf(levels).contains(QStringLiteral("current levels")));
    }

    void theWindowShowsTheRangeOnAlertsAndInventory() {
        RunOptions options;
        options.persist = false;
        DesktopSession session(options);
        MainWindow window(session);
        window.resize(1024, 700);
        window.show();
        for (const int page :
             {int{MainWindow::Alerts}, int{MainWindow::Inventory}, int{MainWindow::Anomalies}}) {
            window.showPage(page);
            // The bar changes with the page, which is shown a turn after it is chosen.
            QTRY_VERIFY(window.timeRangeBar()->isVisible());
            QTRY_COMPARE(window.page(page)->isVisible(), true);
        }
        window.showPage(MainWindow::System);
        QTRY_VERIFY(!window.timeRangeBar()->isVisible());
        QTRY_COMPARE(window.page(MainWindow::System)->isVisible(), true);
    }

private:
    std::unique_ptr<test::ScratchDatabase> database_;
};

QTEST_MAIN(TestRangeAlerts)
#include "tst_range_alerts.moc"
