// SPDX-License-Identifier: GPL-3.0-or-later
// Pause freezes simulated time: while the generator is paused the simulation clock stands still
// and nothing is produced; resume continues from the same simulated instant, so consecutive
// event times never differ by more than the normal step (no hole in any chart).
#include "generator/generator_runner.h"
#include "generator/simulation_clock.h"

#include <QTest>
#include <algorithm>
#include <thread>

using namespace gm;

namespace {

constexpr TimestampUs kStart = 1'795'000'000'000'000;

const Catalog& smallCatalog() {
    static const Catalog catalog(
        CatalogConfig{.users = 500, .products = 100, .seed = 3, .reference_time = kStart});
    return catalog;
}

template <typename Predicate> bool waitFor(Predicate predicate, int milliseconds = 5000) {
    for (int waited = 0; waited < milliseconds; waited += 5) {
        if (predicate()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return predicate();
}

std::vector<TimestampUs> eventTimes(BoundedQueue<EventBatch>& queue) {
    std::vector<TimestampUs> times;
    while (auto batch = queue.popFor(std::chrono::milliseconds(0))) {
        for (const auto& e : batch->views) {
            times.push_back(e.timestamp);
        }
        for (const auto& e : batch->carts) {
            times.push_back(e.timestamp);
        }
        for (const auto& e : batch->transactions) {
            times.push_back(e.timestamp);
        }
    }
    std::sort(times.begin(), times.end());
    return times;
}

} // namespace

class PauseResumeTest : public QObject {
    Q_OBJECT

private slots:
    void clockStandsStillWhilePaused() {
        SimulationClock clock(kStart, 60, true);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        clock.pause();
        QVERIFY(clock.paused());
        const TimestampUs frozen = clock.now();
        QVERIFY(frozen > kStart); // it ran at x60 before
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        QCOMPARE(clock.now(), frozen);
        clock.setAcceleration(120); // a speed change while paused does not move it either
        QCOMPARE(clock.now(), frozen);
        clock.resume();
        QVERIFY(!clock.paused());
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        const TimestampUs after = clock.now();
        QVERIFY(after > frozen);
        // 50 ms at x120 is 6 s; the 200 ms pause (24 s at x120) must not count.
        QVERIFY2(after - frozen < 15 * kMicrosPerSecond,
                 qPrintable(QString::number((after - frozen) / 1e6) + " s after resume"));
    }

    void pauseAtX60LeavesNoGapInEventTimes() {
        const double rate = 400; // events per real second
        const double acceleration = 60;
        SimulationClock clock(kStart, acceleration, true);
        BoundedQueue<EventBatch> queue(100'000);
        GeneratorSettings settings;
        settings.rate = rate;
        settings.acceleration = acceleration;
        settings.max_batch = 64;
        SimulatorConfig config;
        config.seed = 11;
        GeneratorRunner runner(smallCatalog(), config, settings, clock, queue);
        clock.restart();
        runner.start();
        QVERIFY(waitFor([&] { return runner.status().stats.events > 200; }));

        runner.pause();
        QVERIFY(waitFor([&] { return runner.status().paused; }));
        QVERIFY(clock.paused());
        const GeneratorStatus at_pause = runner.status();
        const TimestampUs clock_at_pause = clock.now();
        // Two real seconds paused: two simulated minutes at x60 that must not appear anywhere.
        std::this_thread::sleep_for(std::chrono::seconds(2));
        const GeneratorStatus still = runner.status();
        QCOMPARE(still.stats.events, at_pause.stats.events);
        QCOMPARE(still.sim_time, at_pause.sim_time);
        QCOMPARE(clock.now(), clock_at_pause);

        runner.resume();
        QVERIFY(
            waitFor([&] { return runner.status().stats.events > at_pause.stats.events + 200; }));
        runner.stop();
        QVERIFY(!clock.paused());
    }

    void resumedStreamContinuesWithTheNormalStep() {
        const double rate = 400;
        const double acceleration = 60;
        SimulationClock clock(kStart, acceleration, true);
        BoundedQueue<EventBatch> queue(100'000);
        GeneratorSettings settings;
        settings.rate = rate;
        settings.acceleration = acceleration;
        settings.max_batch = 64;
        SimulatorConfig config;
        config.seed = 12;
        GeneratorRunner runner(smallCatalog(), config, settings, clock, queue);
        clock.restart();
        runner.start();
        QVERIFY(waitFor([&] { return runner.status().stats.events > 200; }));
        runner.pause();
        QVERIFY(waitFor([&] { return runner.status().paused; }));
        const std::uint64_t paused_at = runner.status().stats.events;
        std::this_thread::sleep_for(std::chrono::seconds(2));
        runner.resume();
        QVERIFY(waitFor([&] { return runner.status().stats.events > paused_at + 200; }));
        runner.stop();

        const std::vector<TimestampUs> times = eventTimes(queue);
        QVERIFY(times.size() > 400);
        // Event i is stamped start + i x step, step = acceleration / rate seconds.
        const auto step = static_cast<TimestampUs>(acceleration / rate * 1e6);
        TimestampUs largest = 0;
        for (std::size_t i = 1; i < times.size(); ++i) {
            largest = std::max(largest, times[i] - times[i - 1]);
        }
        QVERIFY2(
            largest <= step + 1,
            qPrintable(
                QStringLiteral("largest gap %1 s, step %2 s").arg(largest / 1e6).arg(step / 1e6)));
        QCOMPARE(times.front(), kStart);
    }
};

QTEST_GUILESS_MAIN(PauseResumeTest)
#include "tst_pause_resume.moc"
