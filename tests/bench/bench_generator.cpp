// SPDX-License-Identifier: GPL-3.0-or-later
// Generator throughput (events as structs, one thread) and catalog build time at scale.
// Run: build/rel/tests/bench/bench_generator  (figures go to BENCHMARKS.md)
#include "generator/catalog.h"
#include "generator/simulator.h"

#include <benchmark/benchmark.h>

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
