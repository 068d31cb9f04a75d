// SPDX-License-Identifier: GPL-3.0-or-later
// The time-range control against the real PostgreSQL that tests/run.sh starts: a 24 h range
// loads exactly the stored minutes (compared with SQL) and joins the live ones without a
// duplicate or a gap at the seam; a chart zooms to a range and back (also while new data
// arrives); the comparison overlay holds the previous day's values and the tooltip the
// difference; without a database the range is what memory holds, and the control says so.
#include "../db/db_test_support.h"
#include "models/human_format.h"
#include "pipeline/postgres/migration_runner.h"
#include "ui/dashboard_page.h"
#include "ui/overview_page.h"
#include "ui/time_chart.h"
#include "ui/time_range_bar.h"

#include <QApplication>
#include <QSignalSpy>
#include <QToolButton>
#include <QWheelEvent>
#include <QtTest>
#include <map>

using namespace gm;

namespace {

// The stored history ends here: 26 hours of minutes before it.
const TimestampUs kEnd = *parseIsoTimestamp("2026-06-10T12:00:00Z");
constexpr int kStoredMinutes = 26 * 60;
constexpr TimestampUs kHour = 60 * kMicrosPerMinute;

TimestampUs minutesBeforeEnd(int minutes) {
    return kEnd - minutes * kMicrosPerMinute;
}

void seed(const std::string& conninfo) {
    pqxx::connection connection(conninfo);
    MigrationRunner::embedded().migrate(connection);
    pqxx::work work(connection);
    const std::string first = formatIsoTimestamp(minutesBeforeEnd(kStoredMinutes));
    // Revenue varies minute by minute (and one burst), so a shifted or missing minute shows.
    work.exec_params("INSERT INTO sales_per_minute (window_start, window_end, "
                     "total_transactions, total_revenue, avg_order_value) "
                     "SELECT t, t + interval '1 minute', i % 50 + 1, "
                     "round((100 + (i % 97) * 3.25 + CASE WHEN i = 700 THEN 1e6 ELSE 0 END)"
                     "::numeric, 2), round(((100 + (i % 97) * 3.25) / (i % 50 + 1))::numeric, 2) "
                     "FROM generate_series(0, $2 - 1) AS i, "
                     "LATERAL (SELECT $1::timestamptz + i * interval '1 minute') AS s(t)",
                     first, kStoredMinutes);
    // Two countries per minute in the last two hours: summed per window like the live series.
    for (const char* country : {"USA", "UK"}) {
        work.exec_params("INSERT INTO anomaly_stats (window_start, window_end, country, "
                         "total_anomalies, high_value_count, high_quantity_count, critical_count, "
                         "high_severity_count, medium_severity_count) "
                         "SELECT t, t + interval '1 minute', $2, 6, 3, 3, i % 3, 2, 4 "
                         "FROM generate_series(0, 119) AS i, "
                         "LATERAL (SELECT $1::timestamptz + i * interval '1 minute') AS s(t)",
                         formatIsoTimestamp(minutesBeforeEnd(120)), std::string(country));
    }
    work.commit();
}

// window start -> value, straight from SQL.
std::map<TimestampUs, double> sqlValues(const std::string& conninfo, const std::string& select,
                                        TimestampUs from, TimestampUs to) {
    pqxx::connection connection(conninfo);
    pqxx::read_transaction work(connection);
    std::map<TimestampUs, double> out;
    for (const auto& row : work.exec_params(
             "SELECT (extract(epoch FROM window_start) * 1000000)::bigint, " + select +
                 " WHERE window_start >= $1::timestamptz AND window_start < $2::timestamptz "
                 "GROUP BY window_start ORDER BY 1",
             formatIsoTimestamp(from), formatIsoTimestamp(to))) {
        out[row[0].as<TimestampUs>()] = row[1].as<double>();
    }
    return out;
}

std::map<TimestampUs, double> sqlRevenue(const std::string& conninfo, TimestampUs from,
                                         TimestampUs to) {
    return sqlValues(conninfo, "max(total_revenue)::float8 FROM sales_per_minute", from, to);
}

bool waitForHistory(TimeRangeBar& bar) {
    return QTest::qWaitFor([&] { return !bar.loading() && bar.view().hasStored(); }, 30000);
}

} // namespace

class TestHistoryRange : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        GM_REQUIRE_SERVER();
        database_ = std::make_unique<test::ScratchDatabase>();
        seed(database_->conninfo());
    }

    void last24HoursLoadsTheStoredMinutesAndJoinsLiveOnesAtTheSeam() {
        const std::string conninfo = database_->conninfo();
        TimeRangeBar bar;
        bar.setDatabase([conninfo] { return conninfo; });
        bar.setRange({RangePreset::Last24Hours, {}});
        QVERIFY(bar.loading()); // on the worker: setRange returned before the rows came
        QVERIFY(waitForHistory(bar));
        // Nothing live yet: the range ends where the stored history does.
        QCOMPARE(*bar.view().span(), (TimeSpan{kEnd - 24 * kHour, kEnd}));
        const auto expected = sqlRevenue(conninfo, kEnd - 24 * kHour, kEnd);
        QCOMPARE(expected.size(), std::size_t{24 * 60});
        const auto& loaded = bar.view().stored().revenue;
        QCOMPARE(loaded.size(), expected.size());
        for (const StoredPoint& point : loaded) {
            QVERIFY(expected.count(point.window_start) == 1);
            QCOMPARE(point.value, expected.at(point.window_start));
        }
        QVERIFY2(bar.statusText().contains(QStringLiteral("1,440 stored minutes")),
                 qPrintable(bar.statusText()));

        // The run goes on in memory: the last 30 stored minutes again (re-closed by a late
        // event: memory's value differs) and five newer ones, then the open minute.
        MinuteSeries live;
        for (int minute = -30; minute < 5; ++minute) {
            live.setClosed(kEnd + minute * kMicrosPerMinute, 1.0 + minute);
        }
        live.setPartial(kEnd + 5 * kMicrosPerMinute, 0.5);
        bar.follow(kEnd + 5 * kMicrosPerMinute + 30'000'000);
        const TimeSpan span = *bar.view().span();
        QCOMPARE(span.to, kEnd + 6 * kMicrosPerMinute); // the end of the newest event's minute
        const auto points = bar.view().points(live, bar.view().stored().revenue);
        QCOMPARE(points.front().window_start, kEnd - 24 * kHour + 6 * kMicrosPerMinute);
        QCOMPARE(points.back().window_start, kEnd + 5 * kMicrosPerMinute);
        QVERIFY(points.back().partial);
        QCOMPARE(points.size(), std::size_t{24 * 60});
        for (std::size_t i = 1; i < points.size(); ++i) {
            QCOMPARE(points[i].window_start - points[i - 1].window_start, kMicrosPerMinute);
        }
        for (const SeriesPoint& point : points) {
            const auto minute = (point.window_start - kEnd) / kMicrosPerMinute;
            if (minute < -30) {
                QCOMPARE(point.value, expected.at(point.window_start));
            } else if (!point.partial) {
                QCOMPARE(point.value, 1.0 + static_cast<double>(minute));
            }
        }

        // The Overview draws that range: the axis spans it and a day of minutes is bucketed.
        SnapshotHistory history;
        OverviewPage page;
        page.resize(1000, 640);
        page.show();
        PageContext context{history,
                            nullptr,
                            std::nullopt,
                            nullptr,
                            RunState::Idle,
                            {},
                            {},
                            {0, 0},
                            0,
                            0,
                            0,
                            true,
                            {},
                            GeneratorPace::Verdict::OnTime,
                            &bar.view()};
        page.showData(context);
        QApplication::processEvents();
        page.showData(context); // after layout: buckets follow the plot's width
        auto* revenue = qobject_cast<TimeChart*>(page.charts().first());
        QVERIFY(revenue != nullptr);
        QCOMPARE(revenue->visibleSpan(), span);
        QVERIFY(revenue->drawnPointCount() > 100);
        QVERIFY2(revenue->drawnPointCount() < 24 * 60,
                 qPrintable(QString::number(revenue->drawnPointCount())));
        // Bucketing kept the burst (stored minute 700 of the seed).
        const TimestampUs burst = minutesBeforeEnd(kStoredMinutes - 700);
        QVERIFY(revenue->describeNearest(burst, 1e6).contains(dollars(expected.at(burst))));
    }

    void zoomToARangeAndBack() {
        const std::string conninfo = database_->conninfo();
        TimeRangeBar bar;
        bar.setDatabase([conninfo] { return conninfo; });
        bar.setRange({RangePreset::Last6Hours, {}});
        QVERIFY(waitForHistory(bar));
        const TimeSpan range = *bar.view().span();
        const MinuteSeries live;
        TimeChart chart(QStringLiteral("Revenue"), QStringLiteral("Revenue ($)"),
                        ValueFormat::Money, QString());
        chart.resize(900, 400);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        const auto line = [&] {
            return rangedLine(&bar.view(), QStringLiteral("Revenue"), Qt::blue, live,
                              bar.view().stored().revenue);
        };
        chart.showRange(&bar.view());
        chart.setLines({line()});
        QCOMPARE(chart.visibleSpan(), range);
        QVERIFY(!chart.zoom());

        // Zoom to one hour: every minute of it is drawn, the tooltip gives exact values.
        const TimeSpan hour{range.from + kHour, range.from + 2 * kHour};
        chart.zoomTo(hour);
        QCOMPARE(chart.visibleSpan(), hour);
        QCOMPARE(chart.drawnPointCount(), std::size_t{62}); // 60 and one neighbour each side
        const auto expected = sqlRevenue(conninfo, hour.from, hour.to);
        const TimestampUs probe = hour.from + 17 * kMicrosPerMinute;
        const QString tip = chart.describeNearest(probe + 10'000'000, expected.at(probe));
        QVERIFY2(tip.contains(dollars(expected.at(probe))) && tip.contains(utcDateTime(probe)),
                 qPrintable(tip));

        // The wheel zooms in around the cursor; dragging zooms to the dragged stretch.
        QWidget* viewport = chart.chartView()->viewport();
        const QPoint middle = viewport->rect().center();
        QWheelEvent wheel(middle, viewport->mapToGlobal(middle), QPoint(), QPoint(0, 120),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(viewport, &wheel);
        const TimeSpan wheeled = chart.visibleSpan();
        QVERIFY(wheeled.to - wheeled.from < hour.to - hour.from);
        QVERIFY(wheeled.from > hour.from && wheeled.to < hour.to);
        chart.zoomTo(hour);
        QTest::mousePress(viewport, Qt::LeftButton, {}, middle - QPoint(100, 0));
        QTest::mouseMove(viewport, middle + QPoint(100, 0));
        QTest::mouseRelease(viewport, Qt::LeftButton, {}, middle + QPoint(100, 0));
        const TimeSpan dragged = chart.visibleSpan();
        QVERIFY(dragged.to - dragged.from < (hour.to - hour.from) / 2);
        QVERIFY(dragged.from > hour.from && dragged.to < hour.to);

        // Data keeps arriving while zoomed: the line changes, the zoomed span stays.
        ChartLine more = line();
        more.points.push_back({range.to, 123.0, true});
        chart.setLines({more});
        QCOMPARE(chart.visibleSpan(), dragged);
        QVERIFY(chart.describeNearest(range.to, 123.0).contains(dollars(123.0)));

        // "Use as range" hands the zoomed span to the page and returns the chart to its range.
        QSignalSpy chosen(&chart, &TimeChart::rangeChosen);
        QToolButton* use = nullptr;
        for (QToolButton* button : chart.findChildren<QToolButton*>()) {
            if (button->text() == QStringLiteral("Use")) {
                use = button;
            }
        }
        QVERIFY(use != nullptr && use->isEnabled());
        use->click();
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.first().first().value<TimeSpan>(), dragged);
        QVERIFY(!chart.zoom());
        QCOMPARE(chart.visibleSpan(), range);

        // Reset after a zoom returns to the range too; the log scale keeps the same points.
        chart.zoomTo(hour);
        chart.resetZoom();
        QCOMPARE(chart.visibleSpan(), range);
        const std::size_t linear_points = chart.drawnPointCount();
        chart.setLogScale(true);
        QVERIFY(chart.logScale());
        QCOMPARE(chart.drawnPointCount(), linear_points);
        chart.setLogScale(false);
    }

    void compareOverlayShowsThePreviousDay() {
        const std::string conninfo = database_->conninfo();
        TimeRangeBar bar;
        bar.setDatabase([conninfo] { return conninfo; });
        bar.setRange({RangePreset::LastHour, {}});
        bar.setCompare(ComparePeriod::PreviousDay);
        // The range ends where the stored history does; the previous day comes in the next trip.
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto& revenue = bar.view().stored().revenue;
                return !bar.loading() && !revenue.empty() &&
                       revenue.front().window_start <= kEnd - 25 * kHour;
            },
            30000));
        const MinuteSeries live;
        const ChartLine line = rangedLine(&bar.view(), QStringLiteral("Revenue"), Qt::blue, live,
                                          bar.view().stored().revenue);
        QCOMPARE(line.points.size(), std::size_t{60});
        QCOMPARE(line.previous.size(), std::size_t{60});
        const auto day_before = sqlRevenue(conninfo, kEnd - 25 * kHour, kEnd - 24 * kHour);
        for (std::size_t i = 0; i < line.previous.size(); ++i) {
            QCOMPARE(line.previous[i].window_start, line.points[i].window_start);
            QCOMPARE(line.previous[i].value,
                     day_before.at(line.previous[i].window_start - 24 * kHour));
        }
        QCOMPARE(line.previous_name, QStringLiteral("previous day"));

        TimeChart chart(QStringLiteral("Revenue"), QStringLiteral("Revenue ($)"),
                        ValueFormat::Money, QString());
        chart.resize(900, 400);
        chart.show();
        chart.showRange(&bar.view());
        chart.setLines({line});
        QCOMPARE(chart.drawnPointCount(), std::size_t{120}); // the hour and the dashed overlay
        const SeriesPoint& now = line.points[10];
        const SeriesPoint& before = line.previous[10];
        const QString tip = chart.describeNearest(now.window_start, now.value);
        const double difference = now.value - before.value;
        QVERIFY2(tip.contains(QStringLiteral("previous day: ") + dollars(before.value)),
                 qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("difference: ") +
                              (difference >= 0 ? QStringLiteral("+") : QStringLiteral("−")) +
                              dollars(std::abs(difference))),
                 qPrintable(tip));

        // Summed per window over countries, as the live anomaly series are.
        const auto critical = sqlValues(conninfo, "sum(critical_count)::float8 FROM anomaly_stats",
                                        kEnd - kHour, kEnd);
        const auto& stored_critical = bar.view().stored().anomalies[0];
        std::size_t compared = 0;
        for (const StoredPoint& point : stored_critical) {
            if (critical.count(point.window_start) == 1) {
                QCOMPARE(point.value, critical.at(point.window_start));
                ++compared;
            }
        }
        QCOMPARE(compared, std::size_t{60});
    }

    void withoutADatabaseTheRangeIsWhatMemoryHolds() {
        TimeRangeBar bar;
        bar.setDatabase({});
        bar.setRange({RangePreset::Last24Hours, {}});
        QVERIFY(!bar.loading());
        QVERIFY(!bar.view().hasStored());
        QVERIFY2(bar.statusText().contains(QStringLiteral("No database")),
                 qPrintable(bar.statusText()));
        MinuteSeries live;
        live.setClosed(kEnd, 1.0);
        live.setClosed(kEnd + kMicrosPerMinute, 2.0);
        bar.follow(kEnd + kMicrosPerMinute + 1);
        QCOMPARE(bar.view().points(live, bar.view().stored().revenue).size(), std::size_t{2});
    }

    void aFailingDatabaseIsReportedNotHidden() {
        TimeRangeBar bar;
        bar.setDatabase([]() -> std::string { return "dbname=gm_no_such_database_here"; });
        bar.setRange({RangePreset::LastHour, {}});
        QVERIFY(QTest::qWaitFor([&] { return !bar.loading(); }, 30000));
        QVERIFY2(bar.statusText().contains(QStringLiteral("History not loaded")),
                 qPrintable(bar.statusText()));
        QVERIFY(!bar.view().hasStored());
    }

private:
    std::unique_ptr<test::ScratchDatabase> database_;
};

QTEST_MAIN(TestHistoryRange)
#include "tst_history_range.moc"
