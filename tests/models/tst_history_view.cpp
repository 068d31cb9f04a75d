// SPDX-License-Identifier: GPL-3.0-or-later
// Stored and live windows joined into one line for a time range: no window twice, none missing
// at the seam, memory's value winning where both hold one; a comparison's previous period moved
// onto the current one; the ranges the control offers.
#include "models/history_view.h"

#include <QTest>

using namespace gm;

namespace {

const TimestampUs kStart = *parseIsoTimestamp("2026-05-01T12:00:00Z");

TimestampUs minute(int index) {
    return kStart + index * kMicrosPerMinute;
}

std::vector<StoredPoint> stored(int first, int last) {
    std::vector<StoredPoint> out;
    for (int i = first; i < last; ++i) {
        out.push_back({minute(i), 1000.0 + i});
    }
    return out;
}

} // namespace

class TestHistoryView : public QObject {
    Q_OBJECT
private slots:
    void seamHasNoDuplicateAndNoGap() {
        // The database holds minutes 0–99; memory holds 90–109 closed and 110 open.
        MinuteSeries live;
        for (int i = 90; i < 110; ++i) {
            live.setClosed(minute(i), 2000.0 + i);
        }
        live.setPartial(minute(110), 5.0);
        const auto merged =
            mergeStoredAndLive(stored(0, 100), live.points(), TimeSpan{minute(0), minute(111)});
        QCOMPARE(merged.size(), std::size_t{111});
        for (std::size_t i = 0; i < merged.size(); ++i) {
            QCOMPARE(merged[i].window_start, minute(static_cast<int>(i)));
            QCOMPARE(merged[i].partial, i == 110);
        }
        QCOMPARE(merged[89].value, 1089.0); // stored
        QCOMPARE(merged[90].value, 2090.0); // memory wins where both hold the window
        QCOMPARE(merged[109].value, 2109.0);
        QCOMPARE(merged[110].value, 5.0);
    }

    void spanCutsBothSources() {
        MinuteSeries live;
        for (int i = 50; i < 60; ++i) {
            live.setClosed(minute(i), 1.0);
        }
        const auto merged =
            mergeStoredAndLive(stored(0, 55), live.points(), TimeSpan{minute(10), minute(52)});
        QCOMPARE(merged.size(), std::size_t{42});
        QCOMPARE(merged.front().window_start, minute(10));
        QCOMPARE(merged.back().window_start, minute(51));
    }

    void liveShowsMemoryOnly() {
        HistoryView view;
        auto minutes = std::make_shared<StoredMinutes>();
        minutes->revenue = stored(0, 100);
        view.setStored(minutes);
        MinuteSeries live;
        live.setClosed(minute(95), 7.0);
        live.setClosed(minute(96), 8.0);
        const auto points = view.points(live, minutes->revenue);
        QCOMPARE(points.size(), std::size_t{2});
        QCOMPARE(points[0].value, 7.0);
    }

    void previousPeriodIsMovedOntoTheCurrentOne() {
        HistoryView view;
        view.setCompare(ComparePeriod::PreviousHour);
        view.setSpan(TimeSpan{minute(60), minute(120)});
        auto minutes = std::make_shared<StoredMinutes>();
        minutes->revenue = stored(0, 120);
        view.setStored(minutes);
        const MinuteSeries live;
        const auto previous = view.previous(live, minutes->revenue);
        QCOMPARE(previous.size(), std::size_t{60});
        for (std::size_t i = 0; i < previous.size(); ++i) {
            // Drawn under minute 60 + i, it holds minute i's value.
            QCOMPARE(previous[i].window_start, minute(60 + static_cast<int>(i)));
            QCOMPARE(previous[i].value, 1000.0 + static_cast<double>(i));
        }
        const auto current = view.points(live, minutes->revenue);
        QCOMPARE(current.size(), std::size_t{60});
        QCOMPARE(current.front().value, 1060.0);
        QCOMPARE(*view.previousSpan(*view.span()), (TimeSpan{minute(0), minute(60)}));
        view.setCompare(ComparePeriod::None);
        QVERIFY(view.previous(live, minutes->revenue).empty());
    }

    void liveComparisonFollowsMemory() {
        HistoryView view;
        view.setCompare(ComparePeriod::PreviousDay);
        auto minutes = std::make_shared<StoredMinutes>();
        const int day = 24 * 60;
        minutes->orders = stored(0, 10);
        view.setStored(minutes);
        MinuteSeries live;
        for (int i = day; i < day + 10; ++i) {
            live.setClosed(minute(i), 1.0);
        }
        live.setPartial(minute(day + 10), 1.0);
        const auto previous = view.previous(live, minutes->orders);
        QCOMPARE(previous.size(), std::size_t{10});
        QCOMPARE(previous.front().window_start, minute(day));
        QCOMPARE(previous.front().value, 1000.0);
    }

    void rangesResolveAgainstNow() {
        const TimestampUs now = minute(1000);
        QVERIFY(!TimeRange{}.resolve(now));
        const TimeRange hour{RangePreset::LastHour, {}};
        QCOMPARE(*hour.resolve(now), (TimeSpan{minute(940), now}));
        QCOMPARE((TimeRange{RangePreset::Last7Days, {}}.length()), 7 * 24 * 60 * kMicrosPerMinute);
        const TimeRange custom{RangePreset::Custom, {minute(1), minute(2)}};
        QCOMPARE(*custom.resolve(now), (TimeSpan{minute(1), minute(2)}));
        QCOMPARE(compareShift(ComparePeriod::PreviousWeek), 7 * 24 * 60 * kMicrosPerMinute);
    }
};

QTEST_GUILESS_MAIN(TestHistoryView)
#include "tst_history_view.moc"
