// SPDX-License-Identifier: GPL-3.0-or-later
// Event times are a function of seed, rate, acceleration, start and sequence number: how the
// run is paced (real time or --max-speed, batch sizes, how long start-up took) decides only when
// a batch is released, never what it holds.
#include "generator/bounded_queue.h"
#include "generator/catalog.h"
#include "generator/event_encoder.h"
#include "generator/generator_runner.h"
#include "generator/simulation_clock.h"

#include <QTest>
#include <chrono>
#include <string>
#include <thread>

using namespace gm;

namespace {

constexpr TimestampUs kStart = 1'795'000'000'000'000; // 2026-11-18T...Z
constexpr std::uint64_t kSeed = 5;
constexpr double kRate = 200'000;
constexpr double kAcceleration = 30;
constexpr std::uint64_t kEvents = 60'000;

// The JSON of every event, one stream per kind (a batch splits its events by kind, so only the
// order within a kind is independent of where batches begin and end).
struct EncodedRun {
    std::string views;
    std::string carts;
    std::string transactions;
    std::uint64_t events = 0;
};

struct Pacing {
    bool max_speed = false;
    std::size_t max_batch = 4096;
    std::chrono::milliseconds preparing{0}; // between creating the clock and starting
};

EncodedRun run(const Pacing& pacing) {
    const Catalog catalog(
        CatalogConfig{.users = 20'000, .products = 2'000, .seed = kSeed, .reference_time = kStart});
    const EventEncoder encoder(catalog);
    SimulationClock clock(kStart, kAcceleration, !pacing.max_speed);
    BoundedQueue<EventBatch> queue(64);
    GeneratorSettings settings;
    settings.rate = kRate;
    settings.acceleration = kAcceleration;
    settings.max_speed = pacing.max_speed;
    settings.event_limit = kEvents;
    settings.max_batch = pacing.max_batch;
    SimulatorConfig config;
    config.seed = kSeed;
    // Preparing a run (connecting to databases, brokers) takes a while on the paced clock.
    std::this_thread::sleep_for(pacing.preparing);
    GeneratorRunner runner(catalog, config, settings, clock, queue);
    std::this_thread::sleep_for(pacing.preparing);
    EncodedRun encoded;
    runner.start();
    while (!queue.drained()) {
        if (auto batch = queue.popFor(std::chrono::milliseconds(20))) {
            encoded.events += batch->size();
            for (const auto& view : batch->views) {
                encoder.append(view, encoded.views);
                encoded.views.push_back('\n');
            }
            for (const auto& cart : batch->carts) {
                encoder.append(cart, encoded.carts);
                encoded.carts.push_back('\n');
            }
            for (const auto& transaction : batch->transactions) {
                encoder.append(transaction, encoded.transactions);
                encoded.transactions.push_back('\n');
            }
        }
    }
    runner.stop();
    return encoded;
}

// The first line that differs, for a readable failure.
QByteArray firstDifference(const std::string& a, const std::string& b) {
    std::size_t at = 0;
    while (at < a.size() && at < b.size() && a[at] == b[at]) {
        ++at;
    }
    const std::size_t line = a.rfind('\n', at) == std::string::npos ? 0 : a.rfind('\n', at) + 1;
    return QByteArray::fromStdString(a.substr(line, 200) + "\n  vs\n" + b.substr(line, 200));
}

void compareRuns(const EncodedRun& a, const EncodedRun& b) {
    QCOMPARE(a.events, kEvents);
    QCOMPARE(b.events, kEvents);
    QVERIFY2(a.views == b.views, firstDifference(a.views, b.views).constData());
    QVERIFY2(a.carts == b.carts, firstDifference(a.carts, b.carts).constData());
    QVERIFY2(a.transactions == b.transactions,
             firstDifference(a.transactions, b.transactions).constData());
}

} // namespace

class TestPacedReproducibility : public QObject {
    Q_OBJECT

private slots:
    // 60,000 events at 200,000/s take 0.3 s of real time when paced.
    void pacedRealTimeMatchesMaxSpeed() {
        const EncodedRun paced = run(
            {.max_speed = false, .max_batch = 4096, .preparing = std::chrono::milliseconds(150)});
        const EncodedRun fast = run({.max_speed = true, .max_batch = 4096});
        compareRuns(paced, fast);
    }

    void batchSizeAndStartUpTimeDoNotMatter() {
        const EncodedRun small = run({.max_speed = true, .max_batch = 37});
        const EncodedRun slow_start = run(
            {.max_speed = false, .max_batch = 1000, .preparing = std::chrono::milliseconds(300)});
        compareRuns(small, slow_start);
    }

    void theFirstEventIsStampedAtTheStart() {
        const Catalog catalog(
            CatalogConfig{.users = 1'000, .products = 100, .seed = 1, .reference_time = kStart});
        SimulationClock clock(kStart, 1000, true);
        std::this_thread::sleep_for(std::chrono::milliseconds(50)); // 50 simulated seconds
        BoundedQueue<EventBatch> queue(4);
        GeneratorRunner runner(catalog, SimulatorConfig{}, GeneratorSettings{}, clock, queue);
        QCOMPARE(runner.status().sim_time, kStart);
        QVERIFY(clock.now() >= kStart + 50'000'000);
        clock.restart();
        QVERIFY(clock.now() < kStart + 50'000'000);
        QVERIFY(clock.now() >= kStart);
    }
};

QTEST_GUILESS_MAIN(TestPacedReproducibility)
#include "tst_paced_reproducibility.moc"
