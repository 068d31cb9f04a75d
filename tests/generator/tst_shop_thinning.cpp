// SPDX-License-Identifier: GPL-3.0-or-later
// A generator asked for more than this machine delivers thins the simulated shop to what it
// delivers (event time then catches up with the clock instead of falling ever further behind,
// and the pipeline's open state stays bounded); it returns to the density asked when the demand
// falls or the machine delivers again. A generator that keeps pace is never thinned.
#include "generator/bounded_queue.h"
#include "generator/catalog.h"
#include "generator/generator_runner.h"
#include "generator/shop_thinning.h"
#include "generator/simulation_clock.h"

#include <QTest>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

using namespace gm;

namespace {

// A machine fed to ShopThinning in steps of simulated real time, as the runner does after each
// batch: `deliverable` events per second of work, the rate asked, and how far event time trails.
struct MachineModel {
    ShopThinning& thinning;
    double now = 0;
    double behind = 0; // real seconds; grows when the simulated rate exceeds what is delivered

    // One 10 ms step. Unthinned, the token bucket releases at most the rate asked and what the
    // machine misses of it is lost; thinned, the generator runs free until event time reaches
    // the clock and then holds it there.
    void step(double deliverable) {
        constexpr double kStep = 0.01;
        const double asked = thinning.requestedRate();
        const double simulated = thinning.simulatedRate();
        const double could = deliverable * kStep;
        double events = std::min(could, asked * kStep);
        if (thinning.thinned()) {
            events = behind > 0 ? could : std::min(could, simulated * kStep);
        }
        const double missed = std::max(0.0, asked * kStep - events);
        const double busy = could > 0 ? kStep * events / could : kStep;
        // Event time advances by events / simulated rate real seconds, the clock by kStep.
        behind += kStep - events / simulated;
        now += kStep;
        thinning.record(now, static_cast<std::size_t>(events), busy, missed, behind);
    }
    void run(double seconds, double deliverable) {
        const int steps = static_cast<int>(seconds / 0.01 + 0.5);
        for (int i = 0; i < steps; ++i) {
            step(deliverable);
        }
    }
};

constexpr TimestampUs kStart = 1'795'000'000'000'000;

template <typename Predicate> bool waitFor(Predicate predicate, int milliseconds = 60'000) {
    for (int waited = 0; waited < milliseconds; waited += 10) {
        if (predicate()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return predicate();
}

} // namespace

class TestShopThinning : public QObject {
    Q_OBJECT

private slots:
    void aShopThatKeepsPaceIsNeverThinned() {
        ShopThinning thinning(200'000);
        MachineModel machine{thinning};
        // Started late: event time trails the clock by two seconds from the start, but nothing
        // is missed (the machine could do five times the rate), so that is no reason to thin.
        machine.behind = 2.0;
        machine.run(30, 1'000'000);
        QVERIFY(!thinning.thinned());
        QCOMPARE(thinning.simulatedRate(), 200'000.0); // exactly: the same event times
        QCOMPARE(thinning.thinnedSeconds(), 0.0);
    }

    void aShortHiccupDoesNotThin() {
        ShopThinning thinning(200'000);
        MachineModel machine{thinning};
        machine.run(10, 1'000'000);
        machine.run(0.3, 0); // 0.3 s without a single event: 0.3 s behind, under the threshold
        machine.run(10, 1'000'000);
        QVERIFY(!thinning.thinned());
        QCOMPARE(thinning.simulatedRate(), 200'000.0);
    }

    void aShopAskedForFarMoreIsThinnedToWhatTheMachineDelivers() {
        ShopThinning thinning(10'000'000);
        MachineModel machine{thinning};
        machine.run(0.4, 500'000);
        QVERIFY(!thinning.thinned()); // 0.38 s behind so far
        machine.run(0.2, 500'000);
        QVERIFY(thinning.thinned());
        machine.run(30, 500'000);
        QVERIFY(thinning.thinned());
        const double simulated = thinning.simulatedRate();
        QVERIFY2(std::abs(simulated - 500'000 * ShopThinning::kHeadroom) < 1'000,
                 qPrintable(QString::number(simulated)));
        // With the headroom, event time has caught up with the clock instead of staying behind.
        QVERIFY2(machine.behind < ShopThinning::kCaughtUpSeconds,
                 qPrintable(QString::number(machine.behind)));
        QVERIFY(thinning.thinnedSeconds() > 29);
    }

    void theThinnedRateFollowsTheMachineAndNeverExceedsTheAsk() {
        ShopThinning thinning(1'000'000);
        MachineModel machine{thinning};
        machine.run(5, 200'000);
        QVERIFY(thinning.thinned());
        machine.run(20, 400'000); // the machine got faster (another process ended)
        QVERIFY2(std::abs(thinning.simulatedRate() - 400'000 * ShopThinning::kHeadroom) < 3'000,
                 qPrintable(QString::number(thinning.simulatedRate())));
        machine.run(20, 1'050'000); // delivers the ask, but not with the headroom
        QVERIFY(thinning.thinned());
        QVERIFY2(std::abs(thinning.simulatedRate() - 1'050'000 * ShopThinning::kHeadroom) < 3'000,
                 qPrintable(QString::number(thinning.simulatedRate())));
        QVERIFY(thinning.simulatedRate() <= 1'000'000.0);
    }

    void theShopReturnsToTheAskWhenTheMachineDeliversAgain() {
        ShopThinning thinning(1'000'000);
        MachineModel machine{thinning};
        machine.run(5, 300'000);
        QVERIFY(thinning.thinned());
        machine.run(30, 3'000'000);
        QVERIFY(!thinning.thinned());
        QCOMPARE(thinning.simulatedRate(), 1'000'000.0);
    }

    void theShopReturnsToTheAskWhenTheDemandFalls() {
        ShopThinning thinning(10'000'000);
        MachineModel machine{thinning};
        machine.run(10, 500'000);
        QVERIFY(thinning.thinned());
        thinning.setRequestedRate(100'000);
        machine.run(0.01, 500'000);
        QVERIFY(!thinning.thinned()); // delivers five times the new ask, and had caught up
        QCOMPARE(thinning.simulatedRate(), 100'000.0);
    }

    void stillBehindWhenTheDemandFallsCatchesUpFirst() {
        ShopThinning thinning(10'000'000);
        MachineModel machine{thinning};
        machine.run(0.6, 500'000); // thinned only just: over half a second behind
        QVERIFY(thinning.thinned());
        QVERIFY(machine.behind > ShopThinning::kCaughtUpSeconds);
        thinning.setRequestedRate(100'000);
        QCOMPARE(thinning.simulatedRate(), 100'000.0); // never above the ask
        machine.step(500'000);
        QVERIFY(thinning.thinned()); // still catching up: paced by the clock, not the bucket
        machine.run(1, 500'000);
        QVERIFY(!thinning.thinned());
        QCOMPARE(thinning.simulatedRate(), 100'000.0);
    }

    // The real generator thread, asked for far more than any machine delivers: its shop is
    // thinned, event time catches up with the clock, and lowering the rate ends the thinning.
    // Waits for conditions, times nothing.
    void aRealGeneratorThinsAndRecovers() {
        const Catalog catalog(
            CatalogConfig{.users = 10'000, .products = 1'000, .seed = 2, .reference_time = kStart});
        SimulationClock clock(kStart, 60, true);
        BoundedQueue<EventBatch> queue(16);
        GeneratorSettings settings;
        settings.rate = 1e9;
        settings.acceleration = 60;
        GeneratorRunner runner(catalog, SimulatorConfig{}, settings, clock, queue);
        std::atomic<std::uint64_t> delivered{0};
        std::thread consumer([&] {
            while (!queue.drained()) {
                if (auto batch = queue.popFor(std::chrono::milliseconds(20))) {
                    delivered += batch->size();
                }
            }
        });
        clock.restart();
        runner.start();
        QVERIFY(waitFor([&] { return runner.status().thinned; }));
        GeneratorStatus status = runner.status();
        QCOMPARE(status.rate, 1e9); // the ask stays what it was
        QVERIFY(status.simulated_rate < status.rate);
        QVERIFY(status.simulated_rate > 0);
        // With the headroom event time catches up: no longer half a second behind.
        QVERIFY(waitFor([&] {
            const GeneratorStatus now = runner.status();
            return now.behind_seconds < ShopThinning::kFallenBehindSeconds &&
                   now.stats.events > 100'000;
        }));
        QVERIFY(runner.status().thinned);

        runner.setRate(200);
        QVERIFY(waitFor([&] { return !runner.status().thinned; }));
        status = runner.status();
        QCOMPARE(status.rate, 200.0);
        QCOMPARE(status.simulated_rate, 200.0);
        QVERIFY(status.thinned_seconds > 0);
        runner.stop();
        consumer.join();
        QVERIFY(delivered.load() > 100'000);
    }

    // Kept pace: the status says the shop is simulated as asked.
    void aRealGeneratorThatKeepsPaceIsNotThinned() {
        const Catalog catalog(
            CatalogConfig{.users = 1'000, .products = 100, .seed = 3, .reference_time = kStart});
        SimulationClock clock(kStart, 60, true);
        BoundedQueue<EventBatch> queue(100'000);
        GeneratorSettings settings;
        settings.rate = 500;
        settings.acceleration = 60;
        settings.max_batch = 16;
        GeneratorRunner runner(catalog, SimulatorConfig{}, settings, clock, queue);
        clock.restart();
        runner.start();
        QVERIFY(waitFor([&] { return runner.status().stats.events >= 200; }));
        const GeneratorStatus status = runner.status();
        runner.stop();
        QVERIFY(!status.thinned);
        QCOMPARE(status.simulated_rate, 500.0);
        QCOMPARE(status.thinned_seconds, 0.0);
    }
};

QTEST_GUILESS_MAIN(TestShopThinning)
#include "tst_shop_thinning.moc"
