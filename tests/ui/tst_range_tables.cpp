// SPDX-License-Identifier: GPL-3.0-or-later
// The drill-down tables follow the page's time range, against the real PostgreSQL that
// tests/run.sh starts: rows written by SQL for a past hour appear for "last 24 h" and for a
// custom range around them, not for another range, in the numbers SQL counts; rows the window
// holds in memory join them once each; a bounded load says how many it left out; without a
// database a range filters what memory holds. Stored windows a run's stop cut short come back
// partial and are never taken for a full minute.
#include "../db/db_test_support.h"
#include "generator/ids.h"
#include "models/headline_minutes.h"
#include "models/range_rows.h"
#include "pipeline/postgres/migration_runner.h"
#include "pipeline/postgres/minute_history.h"
#include "pipeline/postgres/range_rows.h"
#include "tests/ui/range_test_support.h"
#include "ui/anomalies_page.h"
#include "ui/carts_page.h"
#include "ui/table_panel.h"
#include "ui/time_chart.h"
#include "ui/time_range_bar.h"

#include <QApplication>
#include <QLabel>
#include <QLineSeries>
#include <QScatterSeries>
#include <QTabWidget>
#include <QtTest>
#include <map>
#include <set>

using namespace gm;

namespace {

// The stored history ends here.
const TimestampUs kEnd = *parseIsoTimestamp("2026-06-10T12:00:00Z");
constexpr TimestampUs kHour = 60 * kMicrosPerMinute;
// The past hour the anomalies of interest lie in, and an older one outside "last 24 h".
const TimestampUs kPastHour = kEnd - 3 * kHour;
const TimestampUs kOldHour = kEnd - 30 * kHour;
constexpr int kPastAnomalies = 12;
constexpr int kOldAnomalies = 5;
constexpr int kPastCarts = 7;

std::string iso(TimestampUs time) {
    return formatIsoTimestamp(time);
}

// Anomalies every 5 minutes from `from`; abandoned carts every 8 minutes in the past hour.
void seed(const std::string& conninfo) {
    pqxx::connection connection(conninfo);
    MigrationRunner::embedded().migrate(connection);
    pqxx::work work(connection);
    // Minutes up to kEnd, so "last 24 h" ends where the stored history does.
    test::seedSalesMinutes(work, kEnd - 2 * kHour, kEnd);
    const auto anomalies = [&](TimestampUs from, int count, int salt) {
        work.exec_params(
            "INSERT INTO high_value_anomalies (transaction_id, user_id, \"timestamp\","
            " total_amount, payment_method, country, anomaly_type, anomaly_reason, severity,"
            " detected_at) SELECT md5(($3 * 1000 + i)::text)::uuid,"
            " 'USER_' || lpad((100 + i)::text, 8, '0'), t, 12000.50 + i, 'Credit Card', 'UK',"
            " 'high_value', 'amount above threshold', 'critical', t + interval '1 second'"
            " FROM generate_series(0, $2 - 1) AS i,"
            " LATERAL (SELECT $1::timestamptz + i * interval '5 minutes') AS s(t)",
            iso(from), count, salt);
    };
    anomalies(kPastHour, kPastAnomalies, 1);
    anomalies(kOldHour, kOldAnomalies, 2);
    work.exec_params("INSERT INTO abandoned_carts (window_start, window_end, user_id, session_id,"
                     " country, items_added, abandoned_cart_value, last_activity, total_events,"
                     " abandonment_detected_at) SELECT t, t + interval '40 minutes',"
                     " 'USER_' || lpad((500 + i)::text, 8, '0'), md5(('cart' || i)::text)::uuid,"
                     " 'Germany', 3, 99.99, t + interval '10 minutes', 4, t + interval '40 minutes'"
                     " FROM generate_series(0, $2 - 1) AS i,"
                     " LATERAL (SELECT $1::timestamptz + i * interval '8 minutes') AS s(t)",
                     iso(kPastHour), kPastCarts);
    work.commit();
}

std::size_t sqlCount(const std::string& conninfo, const std::string& table,
                     const std::string& column, TimestampUs from, TimestampUs to) {
    pqxx::connection connection(conninfo);
    pqxx::read_transaction work(connection);
    return work
        .exec_params1("SELECT count(*) FROM " + table + " WHERE " + column +
                          " >= $1::timestamptz AND " + column + " < $2::timestamptz",
                      iso(from), iso(to))[0]
        .as<std::size_t>();
}

// The transaction ids a table panel shows.
std::set<QString> shownKeys(TablePanel* panel) {
    std::set<QString> keys;
    const TableData& table = panel->model()->table();
    const int key = table.columnFor(FilterRole::Key);
    for (const QVariantList& row : table.rows) {
        keys.insert(row[key].toString());
    }
    return keys;
}

HighValueAnomalyRow liveAnomaly(const std::string& uuid, TimestampUs time, Cents amount) {
    HighValueAnomalyRow row;
    row.transaction_id = *parseUuid(uuid);
    row.user_id = *parseUserId("USER_00000900");
    row.timestamp = time;
    row.total_amount = amount;
    row.severity = Severity::High;
    row.detected_at = time;
    return row;
}

PageContext contextFor(const SnapshotHistory& history, const HistoryView* range) {
    return test::pageContext(history, nullptr, RunState::Idle, range);
}

template <typename Series> const Series* findSeries(const TimeChart& chart, const QString& name) {
    for (QAbstractSeries* series : chart.chart()->series()) {
        if (series->name() == name) {
            return qobject_cast<const Series*>(series);
        }
    }
    return nullptr;
}

bool waitForLoad(TimeRangeBar& bar) {
    return QTest::qWaitFor([&] { return !bar.loading() && bar.view().storedRows() != nullptr; },
                           30000);
}

} // namespace

class TestRangeTables : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        GM_REQUIRE_SERVER();
        database_ = std::make_unique<test::ScratchDatabase>();
        seed(database_->conninfo());
    }

    void tablesShowTheStoredRowsOfTheRangeAndNotOthers() {
        const std::string conninfo = database_->conninfo();
        TimeRangeBar bar;
        bar.setTables(unsigned{kStoredAnomalies} | kStoredAnomalyRows | kStoredAbandonedCarts);
        bar.setDatabase([conninfo] { return conninfo; });
        bar.setRange({RangePreset::Last24Hours, {}});
        QVERIFY(waitForLoad(bar));
        QCOMPARE(*bar.view().span(), (TimeSpan{kEnd - 24 * kHour, kEnd}));

        SnapshotHistory history;
        AnomaliesPage anomalies;
        CartsPage carts;
        const auto show = [&] {
            const PageContext context = contextFor(history, &bar.view());
            anomalies.showData(context);
            carts.showData(context);
        };
        show();
        const std::size_t in_day =
            sqlCount(conninfo, "high_value_anomalies", "\"timestamp\"", kEnd - 24 * kHour, kEnd);
        QCOMPARE(in_day, std::size_t{kPastAnomalies});
        QCOMPARE(std::size_t(anomalies.highValue()->model()->rowCount()), in_day);
        const std::size_t carts_in_day =
            sqlCount(conninfo, "abandoned_carts", "window_start", kEnd - 24 * kHour, kEnd);
        QCOMPARE(carts_in_day, std::size_t{kPastCarts});
        QCOMPARE(std::size_t(carts.findChild<TablePanel*>()->model()->rowCount()), carts_in_day);
        // The rows are the stored ones, values and all.
        const TableData& table = anomalies.highValue()->model()->table();
        const int time = table.columnFor(FilterRole::Time);
        for (const QVariantList& row : table.rows) {
            QVERIFY(row[time].toLongLong() >= kPastHour);
            QVERIFY(row[time].toLongLong() < kPastHour + kHour);
        }

        // Another range: the old hour only.
        bar.setRange({RangePreset::Custom, {kOldHour, kOldHour + kHour}});
        QVERIFY(QTest::qWaitFor([&] { return !bar.loading(); }, 30000));
        QCOMPARE(bar.view().storedRows()->from, kOldHour);
        show();
        QCOMPARE(std::size_t(anomalies.highValue()->model()->rowCount()),
                 sqlCount(conninfo, "high_value_anomalies", "\"timestamp\"", kOldHour,
                          kOldHour + kHour));
        QCOMPARE(anomalies.highValue()->model()->rowCount(), kOldAnomalies);
        QCOMPARE(carts.findChild<TablePanel*>()->model()->rowCount(), 0);

        // A custom range of the past hour's first half: 6 of the 12 (every 5 minutes).
        bar.setRange({RangePreset::Custom, {kPastHour, kPastHour + kHour / 2}});
        QVERIFY(QTest::qWaitFor([&] { return !bar.loading(); }, 30000));
        show();
        QCOMPARE(std::size_t(anomalies.highValue()->model()->rowCount()),
                 sqlCount(conninfo, "high_value_anomalies", "\"timestamp\"", kPastHour,
                          kPastHour + kHour / 2));
        QCOMPARE(anomalies.highValue()->model()->rowCount(), 6);
    }

    void rowsInMemoryJoinTheStoredOnesOnce() {
        const std::string conninfo = database_->conninfo();
        TimeRangeBar bar;
        bar.setTables(unsigned{kStoredAnomalies} | kStoredAnomalyRows);
        bar.setDatabase([conninfo] { return conninfo; });
        bar.setRange({RangePreset::Custom, {kPastHour, kPastHour + kHour}});
        QVERIFY(waitForLoad(bar));

        // Memory holds one of the stored anomalies again, one new in the range, one outside.
        std::string stored_id;
        {
            pqxx::connection connection(conninfo);
            pqxx::read_transaction work(connection);
            stored_id = work.exec1("SELECT transaction_id::text FROM high_value_anomalies"
                                   " ORDER BY \"timestamp\" DESC LIMIT 1")[0]
                            .as<std::string>();
        }
        SnapshotHistory history;
        history.high_value.merge(
            {liveAnomaly(stored_id, kPastHour + 55 * kMicrosPerMinute, 1'234'500),
             liveAnomaly("00000000-0000-4000-8000-000000000001", kPastHour + 2 * kMicrosPerMinute,
                         999'900),
             liveAnomaly("00000000-0000-4000-8000-000000000002", kPastHour + 2 * kHour, 999'900)});
        AnomaliesPage page;
        const PageContext context = contextFor(history, &bar.view());
        page.showData(context);
        const std::set<QString> keys = shownKeys(page.highValue());
        QCOMPARE(keys.size(), std::size_t{kPastAnomalies + 1});
        QCOMPARE(std::size_t(page.highValue()->model()->rowCount()), keys.size()); // no twice
        QVERIFY(keys.count(QStringLiteral("00000000-0000-4000-8000-000000000001")) == 1);
        QVERIFY(keys.count(QStringLiteral("00000000-0000-4000-8000-000000000002")) == 0);
        // Memory's copy of the shared row wins (its amount).
        const TableData& table = page.highValue()->model()->table();
        bool found = false;
        for (const QVariantList& row : table.rows) {
            if (row[0].toString() == QString::fromStdString(stored_id)) {
                QCOMPARE(row[3].toLongLong(), 1'234'500LL);
                found = true;
            }
        }
        QVERIFY(found);

        // Live: what memory holds, as before.
        bar.setRange({RangePreset::Live, {}});
        page.showData(context);
        QCOMPARE(page.highValue()->model()->rowCount(), 3);
    }

    void aBoundedLoadSaysHowManyItLeftOut() {
        const StoredRows rows =
            readStoredRows(database_->conninfo(), kEnd - 48 * kHour, kEnd, kStoredAnomalyRows, 4);
        QVERIFY2(rows.error.empty(), rows.error.c_str());
        QCOMPARE(rows.high_value.total, std::size_t{kPastAnomalies + kOldAnomalies});
        QCOMPARE(rows.high_value.rows.size(), std::size_t{4});
        QVERIFY(rows.high_value.cut());
        // The newest four, oldest first.
        QCOMPARE(rows.high_value.rows.back().timestamp,
                 kPastHour + (kPastAnomalies - 1) * 5 * kMicrosPerMinute);
        QCOMPARE(rows.high_value.rows.front().timestamp,
                 kPastHour + (kPastAnomalies - 4) * 5 * kMicrosPerMinute);
        QCOMPARE(rows.high_value.rows.front().total_amount, Cents{1'200'050 + 800});
        QCOMPARE(rows.high_value.rows.front().country, Country::UK);
        QCOMPARE(rows.high_value.rows.front().severity, Severity::Critical);
        QVERIFY(rows.abandoned_carts.rows.empty()); // not asked for

        HistoryView view;
        view.setSpan(TimeSpan{kEnd - 48 * kHour, kEnd});
        view.setStoredRows(std::make_shared<const StoredRows>(rows));
        const QString note = rangeRowsNote(&view, &view.storedRows()->high_value);
        QVERIFY2(note.contains(QStringLiteral("the newest 4 of 17 stored rows")), qPrintable(note));
    }

    void withoutADatabaseARangeFiltersWhatMemoryHolds() {
        TimeRangeBar bar;
        bar.setRange({RangePreset::Custom, {kPastHour, kPastHour + kHour}});
        QVERIFY(!bar.loading());
        SnapshotHistory history;
        history.high_value.merge(
            {liveAnomaly("00000000-0000-4000-8000-000000000003", kPastHour + kMicrosPerMinute, 1),
             liveAnomaly("00000000-0000-4000-8000-000000000004", kPastHour - kMicrosPerMinute, 1)});
        AnomaliesPage page;
        const PageContext context = contextFor(history, &bar.view());
        page.showData(context);
        QCOMPARE(shownKeys(page.highValue()),
                 (std::set<QString>{QStringLiteral("00000000-0000-4000-8000-000000000003")}));
        QVERIFY(bar.statusText().contains(QStringLiteral("only what is in memory")));
        QStringList labels;
        for (const QLabel* label : page.highValue()->findChildren<QLabel*>()) {
            labels << label->text();
        }
        const bool noted =
            labels.join(QLatin1Char('|')).contains(QStringLiteral("from memory only"));
        QVERIFY2(noted, qPrintable(labels.join(QLatin1Char('|'))));
    }

    void storedWindowsCutShortComeBackPartial() {
        const std::string conninfo = database_->conninfo();
        // A run that stopped 20 s into 11:58: that minute is cut short, 11:57 is whole.
        {
            pqxx::connection connection(conninfo);
            pqxx::work work(connection);
            work.exec_params("INSERT INTO generator_runs (events_from, events_until)"
                             " VALUES ($1::timestamptz, $2::timestamptz)",
                             iso(kEnd - 2 * kHour), iso(kEnd - 2 * kMicrosPerMinute + 20'000'000));
            work.commit();
        }
        const StoredMinutes stored =
            readStoredMinutes(conninfo, kEnd - 10 * kMicrosPerMinute, kEnd, kStoredSales);
        QVERIFY2(stored.error.empty(), stored.error.c_str());
        QCOMPARE(stored.revenue.size(), std::size_t{10});
        for (const StoredPoint& point : stored.revenue) {
            QCOMPARE(point.partial, point.window_start == kEnd - 2 * kMicrosPerMinute);
        }
        // The same answer as the SQL definition, also for a run that started inside a minute
        // and has not stopped (a crash): every minute of the last two hours.
        {
            pqxx::connection connection(conninfo);
            pqxx::work work(connection);
            work.exec_params("INSERT INTO generator_runs (events_from) VALUES ($1::timestamptz)",
                             iso(kEnd - 75 * kMicrosPerMinute + 30'000'000));
            work.commit();
        }
        std::map<TimestampUs, bool> sql_partial;
        {
            pqxx::connection connection(conninfo);
            pqxx::read_transaction work(connection);
            for (const auto& row :
                 work.exec("SELECT (extract(epoch FROM window_start) * 1000000)::bigint,"
                           " window_is_partial(window_start, window_end) FROM sales_per_minute")) {
                sql_partial[row[0].as<TimestampUs>()] = row[1].as<bool>();
            }
        }
        const StoredMinutes two_hours =
            readStoredMinutes(conninfo, kEnd - 2 * kHour, kEnd, kStoredSales);
        QCOMPARE(two_hours.revenue.size(), std::size_t{120});
        int partial_minutes = 0;
        for (const StoredPoint& point : two_hours.revenue) {
            QCOMPARE(point.partial, sql_partial.at(point.window_start));
            partial_minutes += point.partial ? 1 : 0;
        }
        QCOMPARE(partial_minutes, 2); // the stop's minute and the crashed run's first
        QVERIFY(stored.orders[8].partial && stored.avg_order[8].partial);
        // Joined with nothing live: the cut-off minute stays partial and is never the
        // "last full minute"; the minute before it is.
        const auto points = mergeStoredAndLive(stored.revenue, {}, std::nullopt);
        QCOMPARE(points.size(), std::size_t{10});
        QVERIFY(points[8].partial);
        QVERIFY(!points[9].partial);
        const HeadlineMinutes minutes = headlineMinutes(
            std::vector<SeriesPoint>(points.begin(), points.begin() + 9), kNoWatermark);
        QCOMPARE(minutes.full, std::ptrdiff_t{7});
        // Drawn: a hollow marker off the solid line, not a point of it; the tooltip says why.
        TimeChart chart(QStringLiteral("Revenue"), QStringLiteral("Revenue ($)"),
                        ValueFormat::Money, QString());
        chart.resize(800, 400);
        ChartLine line{QStringLiteral("Revenue"), Qt::blue, points, 2};
        chart.setLines({line});
        const auto* solid = findSeries<QLineSeries>(chart, QStringLiteral("Revenue"));
        const auto* hollow = findSeries<QScatterSeries>(chart, QStringLiteral("Revenue (partial)"));
        const auto* open = findSeries<QLineSeries>(chart, QStringLiteral("Revenue (open window)"));
        QVERIFY(solid && hollow && open);
        QCOMPARE(solid->count(), 9);
        QCOMPARE(hollow->count(), 1);
        QCOMPARE(open->count(), 0); // no open window: nothing dashed towards the cut-off minute
        QVERIFY(chart.describeNearest(kEnd - 2 * kMicrosPerMinute, points[8].value)
                    .contains(QStringLiteral("a run started or stopped in it")));
        // The run's first window (events_from on a minute boundary) is whole.
        const StoredMinutes first = readStoredMinutes(
            conninfo, kEnd - 2 * kHour, kEnd - 2 * kHour + kMicrosPerMinute, kStoredSales);
        QCOMPARE(first.revenue.size(), std::size_t{1});
        QVERIFY(!first.revenue[0].partial);
    }

private:
    std::unique_ptr<test::ScratchDatabase> database_;
};

QTEST_MAIN(TestRangeTables)
#include "tst_range_tables.moc"
