// SPDX-License-Identifier: GPL-3.0-or-later
// Figures the window derives from snapshots: whether the generator keeps up (judged over a few
// seconds, so a gap left by a past stall clears), cart abandonment over all countries with the
// cart_metrics definition, and the run's first (partial) sales minute.
#include "models/generator_pace.h"
#include "models/snapshot_history.h"

#include <QtTest>

using namespace gm;

namespace {

constexpr TimestampUs kT0 = 1'764'000'000LL * kMicrosPerSecond; // 2025-11-24T16:00:00Z

CartMetricsRow carts(TimestampUs start, Country country, std::uint64_t adds,
                     std::uint64_t checkouts) {
    CartMetricsRow row;
    row.window_start = start;
    row.window_end = start + kMicrosPerMinute;
    row.country = country;
    row.adds = adds;
    row.checkouts = checkouts;
    return row;
}

SalesPerMinuteRow sales(TimestampUs start) {
    SalesPerMinuteRow row;
    row.window_start = start;
    row.window_end = start + kMicrosPerMinute;
    row.total_transactions = 3;
    return row;
}

} // namespace

class WindowFiguresTest : public QObject {
    Q_OBJECT
private slots:
    void paceClearsOnceTheGapStopsGrowing() {
        GeneratorPace pace;
        QCOMPARE(pace.verdict(), GeneratorPace::Verdict::OnTime);
        pace.add(0, 0.1, 0);
        pace.add(1, 0.1, 0);
        QCOMPARE(pace.verdict(), GeneratorPace::Verdict::OnTime);
        // A burst: events short of the rate and a growing gap.
        pace.add(2, 1.5, 40'000);
        QCOMPARE(pace.verdict(), GeneratorPace::Verdict::FallingBehind);
        pace.add(3, 2.5, 90'000);
        QCOMPARE(pace.verdict(), GeneratorPace::Verdict::FallingBehind);
        // Caught up with the rate: the gap stays, nothing more is missed.
        pace.add(4, 2.5, 90'000);
        QCOMPARE(pace.verdict(), GeneratorPace::Verdict::FallingBehind); // within the span
        pace.add(5, 2.5, 90'000);
        pace.add(6, 2.4, 90'000);
        pace.add(7, 2.4, 90'000);
        QCOMPARE(pace.verdict(), GeneratorPace::Verdict::Steady);
        QCOMPARE(pace.behindSeconds(), 2.4);
        pace.clear();
        pace.add(8, 0.2, 0);
        QCOMPARE(pace.verdict(), GeneratorPace::Verdict::OnTime);
        pace.clear();
        pace.add(9, 3.0, 0); // one reading far behind: say so until a trend shows otherwise
        QCOMPARE(pace.verdict(), GeneratorPace::Verdict::FallingBehind);
    }

    void abandonmentOverAllCountriesUsesCartMetricsDefinition() {
        QCOMPARE(abandonmentPercent(0, 0), 0.0);
        QCOMPARE(abandonmentPercent(10, 4), 60.0);
        QCOMPARE(abandonmentPercent(10, 14), 0.0); // clamped like cart_metrics
        SnapshotHistory history;
        auto snapshot = std::make_shared<PipelineSnapshot>();
        snapshot->number = 1;
        snapshot->recent.cart_metrics = {carts(kT0, Country::USA, 30, 10),
                                         carts(kT0, Country::UK, 10, 6)};
        snapshot->partial.cart_metrics = {carts(kT0 + kMicrosPerMinute, Country::USA, 4, 0)};
        history.absorb(snapshot);
        const auto total = history.abandonment_total.points();
        QCOMPARE(total.size(), std::size_t{2});
        QCOMPARE(total[0].value, 60.0); // (40 − 16) / 40, not the mean of 66.7% and 40%
        QVERIFY(!total[0].partial);
        QCOMPARE(total[1].value, 100.0);
        QVERIFY(total[1].partial);
        QCOMPARE(history.cart_adds.points()[0].value, 40.0);
        QCOMPARE(history.cart_checkouts.points()[0].value, 16.0);
    }

    void firstSalesMinuteIsTheRunsEarliest() {
        SnapshotHistory history;
        QCOMPARE(history.firstSalesMinute(), TimestampUs{0});
        auto first = std::make_shared<PipelineSnapshot>();
        first->number = 1;
        first->partial.sales_per_minute = {sales(kT0)};
        history.absorb(first);
        QCOMPARE(history.firstSalesMinute(), kT0);
        auto later = std::make_shared<PipelineSnapshot>();
        later->number = 2;
        later->recent.sales_per_minute = {sales(kT0), sales(kT0 + kMicrosPerMinute)};
        history.absorb(later);
        QCOMPARE(history.firstSalesMinute(), kT0);
        history.clear(); // a new run
        QCOMPARE(history.firstSalesMinute(), TimestampUs{0});
    }
};

QTEST_GUILESS_MAIN(WindowFiguresTest)
#include "tst_window_figures.moc"
