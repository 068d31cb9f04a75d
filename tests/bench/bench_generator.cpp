// SPDX-License-Identifier: GPL-3.0-or-later
// Generator throughput (events as structs, one thread) and catalog build time at scale.
// Run: build/rel/tests/bench/bench_generator  (figures go to BENCHMARKS.md)
#include "generator/bounded_queue.h"
#include "generator/catalog.h"
#include "generator/generator_runner.h"
#include "generator/simulation_clock.h"
#include "generator/simulator.h"

#include <benchmark/benchmark.h>
#include <thread>

using namespace gm;

namespace {
constexpr TimestampUs kStart = 1'795'000'000'000'000;

void generateEvents(benchmark::State& state) {
    const auto users = static_cast<std::uint32_t>(state.range(0));
    const auto products = static_cast<std::uint32_t>(state.range(1));
    const Catalog catalog(
        CatalogConfig{.users = users, .products = products, .seed = 1, .reference_time = kStart});
    ShopSimulator simulator(catalog, SimulatorConfig{}, kStart);
    simulator.setShopRate(1'000'000);
    EventBatch batch;
    constexpr std::size_t kBatch = 4096;
    for (auto _ : state) {
        batch.clear();
        simulator.generate(kBatch, batch);
        benchmark::DoNotOptimize(batch.views.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBatch));
}
BENCHMARK(generateEvents)
    ->Args({10'000, 1'000})
    ->Args({1'000'000, 250'000})
    ->Args({10'000'000, 250'000})
    ->Unit(benchmark::kMillisecond);

// The generator thread as a run uses it at --max-speed: batches through the bounded queue to a
// consumer that only counts them (what the simulator alone costs is generateEvents above).
void runnerAtMaxSpeed(benchmark::State& state) {
    const Catalog catalog(
        CatalogConfig{.users = 10'000, .products = 1'000, .seed = 1, .reference_time = kStart});
    constexpr std::uint64_t kEvents = 2'000'000;
    for (auto _ : state) {
        SimulationClock clock(kStart, 60, false);
        BoundedQueue<EventBatch> queue(64);
        GeneratorSettings settings;
        settings.rate = 1'000'000;
        settings.acceleration = 60;
        settings.max_speed = true;
        settings.event_limit = kEvents;
        GeneratorRunner runner(catalog, SimulatorConfig{}, settings, clock, queue);
        std::uint64_t received = 0;
        std::thread consumer([&] {
            while (!queue.drained()) {
                if (auto batch = queue.popFor(std::chrono::milliseconds(20))) {
                    received += batch->size();
                }
            }
        });
        runner.start();
        consumer.join();
        runner.stop();
        benchmark::DoNotOptimize(received);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kEvents));
}
BENCHMARK(runnerAtMaxSpeed)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

void buildCatalog(benchmark::State& state) {
    for (auto _ : state) {
        const Catalog catalog(CatalogConfig{.users = static_cast<std::uint32_t>(state.range(0)),
                                            .products = static_cast<std::uint32_t>(state.range(1)),
                                            .seed = 1,
                                            .reference_time = kStart});
        benchmark::DoNotOptimize(catalog.userCount());
    }
}
BENCHMARK(buildCatalog)
    ->Args({10'000, 1'000})
    ->Args({10'000'000, 250'000})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

} // namespace

BENCHMARK_MAIN();
