// SPDX-License-Identifier: GPL-3.0-or-later
// JSON encode and decode throughput over the simulator's event mix (about 60% product views, 30%
// cart events, 10% transactions), one thread. Target: at least a million events per second
// encoded. Also the same events as raw-event COPY rows (BM_RawEventRows). Run a Release build:
// build/rel/tests/bench/bench_json
#include "generator/catalog.h"
#include "generator/event_decoder.h"
#include "generator/event_encoder.h"
#include "generator/random.h"
#include "generator/simulator.h"
#include "pipeline/postgres/raw_event_tables.h"

#include <algorithm>
#include <benchmark/benchmark.h>
#include <string>
#include <vector>

using namespace gm;

namespace {

constexpr TimestampUs kStart = 1'795'000'000'000'000;
constexpr std::size_t kEvents = 100'000;

const Catalog& catalog() {
    static const Catalog instance(CatalogConfig{});
    return instance;
}

// Which vector and which index: the batch groups events by kind, the mix interleaves them.
struct EventRef {
    EventKind kind;
    std::uint32_t index;
};

struct Workload {
    EventBatch batch;
    std::vector<EventRef> order;
    std::vector<std::string> payloads; // encoded, in order
    std::size_t payload_bytes = 0;
};

const Workload& workload() {
    static const Workload instance = [] {
        Workload w;
        ShopSimulator simulator(catalog(), SimulatorConfig{}, kStart);
        simulator.setShopRate(1'000);
        simulator.generate(kEvents, w.batch);
        for (std::uint32_t i = 0; i < w.batch.views.size(); ++i) {
            w.order.push_back({EventKind::ProductView, i});
        }
        for (std::uint32_t i = 0; i < w.batch.carts.size(); ++i) {
            w.order.push_back({EventKind::Cart, i});
        }
        for (std::uint32_t i = 0; i < w.batch.transactions.size(); ++i) {
            w.order.push_back({EventKind::Transaction, i});
        }
        Rng rng(1);
        for (std::size_t i = w.order.size(); i > 1; --i) {
            std::swap(w.order[i - 1], w.order[rng.below(i)]);
        }
        const EventEncoder encoder(catalog());
        for (const EventRef& ref : w.order) {
            std::string json;
            switch (ref.kind) {
            case EventKind::ProductView:
                encoder.append(w.batch.views[ref.index], json);
                break;
            case EventKind::Cart:
                encoder.append(w.batch.carts[ref.index], json);
                break;
            case EventKind::Transaction:
                encoder.append(w.batch.transactions[ref.index], json);
                break;
            }
            w.payload_bytes += json.size();
            w.payloads.push_back(std::move(json));
        }
        return w;
    }();
    return instance;
}

// Arg: -1 for the mix, otherwise only events of that EventKind.
bool selected(const benchmark::State& state, EventKind kind) {
    return state.range(0) < 0 || state.range(0) == static_cast<int>(kind);
}

void BM_Encode(benchmark::State& state) {
    const Workload& w = workload();
    const EventEncoder encoder(catalog());
    std::string json;
    json.reserve(4096);
    std::size_t events = 0;
    std::size_t bytes = 0;
    for (auto _ : state) {
        for (const EventRef& ref : w.order) {
            if (!selected(state, ref.kind)) {
                continue;
            }
            json.clear();
            switch (ref.kind) {
            case EventKind::ProductView:
                encoder.append(w.batch.views[ref.index], json);
                break;
            case EventKind::Cart:
                encoder.append(w.batch.carts[ref.index], json);
                break;
            case EventKind::Transaction:
                encoder.append(w.batch.transactions[ref.index], json);
                break;
            }
            benchmark::DoNotOptimize(json.data());
            ++events;
            bytes += json.size();
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(events));
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void BM_Decode(benchmark::State& state) {
    const Workload& w = workload();
    EventDecoder decoder(catalog());
    ProductViewEvent view;
    CartEvent cart;
    Transaction transaction;
    std::size_t events = 0;
    std::size_t bytes = 0;
    std::size_t rejected = 0;
    for (auto _ : state) {
        for (std::size_t i = 0; i < w.order.size(); ++i) {
            const EventKind kind = w.order[i].kind;
            if (!selected(state, kind)) {
                continue;
            }
            const std::string& json = w.payloads[i];
            bool ok = false;
            switch (kind) {
            case EventKind::ProductView:
                ok = !decoder.decode(json, view);
                break;
            case EventKind::Cart:
                ok = !decoder.decode(json, cart);
                break;
            case EventKind::Transaction:
                ok = !decoder.decode(json, transaction);
                break;
            }
            rejected += ok ? 0 : 1;
            ++events;
            bytes += json.size();
        }
    }
    if (rejected > 0) {
        state.SkipWithError("the decoder rejected simulator output");
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(events));
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

// The variant-returning one-shot API, which allocates a fresh event each time.
void BM_DecodeResult(benchmark::State& state) {
    const Workload& w = workload();
    EventDecoder decoder(catalog());
    std::size_t events = 0;
    for (auto _ : state) {
        for (std::size_t i = 0; i < w.order.size(); ++i) {
            DecodeResult result = decoder.decode(w.order[i].kind, w.payloads[i]);
            benchmark::DoNotOptimize(result);
            ++events;
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(events));
}

void BM_Validate(benchmark::State& state) {
    const Workload& w = workload();
    std::size_t events = 0;
    for (auto _ : state) {
        for (const auto& e : w.batch.views) {
            benchmark::DoNotOptimize(validate(e));
        }
        for (const auto& e : w.batch.carts) {
            benchmark::DoNotOptimize(validate(e));
        }
        for (const auto& e : w.batch.transactions) {
            benchmark::DoNotOptimize(validate(e));
        }
        events += w.batch.size();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(events));
}

// The encoder caches every product name once; this is what it costs per catalog size.
void BM_EncoderConstruction(benchmark::State& state) {
    const Catalog big(CatalogConfig{.users = 1'000,
                                    .products = static_cast<std::uint32_t>(state.range(0)),
                                    .seed = 3,
                                    .reference_time = kStart});
    for (auto _ : state) {
        const EventEncoder encoder(big);
        benchmark::DoNotOptimize(&encoder);
    }
}

} // namespace

BENCHMARK(BM_Encode)->ArgName("kind")->Arg(-1)->Arg(0)->Arg(1)->Arg(2)->Unit(
    benchmark::kMillisecond);
BENCHMARK(BM_Decode)->ArgName("kind")->Arg(-1)->Arg(0)->Arg(1)->Arg(2)->Unit(
    benchmark::kMillisecond);
// The same events as COPY rows of the four raw-event tables (what the writer sends PostgreSQL),
// in batches of 5,000 as the pipeline hands them over.
void BM_RawEventRows(benchmark::State& state) {
    const Workload& w = workload();
    const RawEventEncoder encoder(catalog());
    constexpr std::size_t kBatch = 5'000;
    std::vector<EventBatch> batches;
    for (std::size_t first = 0; first < w.order.size(); first += kBatch) {
        EventBatch& batch = batches.emplace_back();
        for (std::size_t i = first; i < std::min(first + kBatch, w.order.size()); ++i) {
            const EventRef& ref = w.order[i];
            switch (ref.kind) {
            case EventKind::ProductView:
                batch.views.push_back(w.batch.views[ref.index]);
                break;
            case EventKind::Cart:
                batch.carts.push_back(w.batch.carts[ref.index]);
                break;
            case EventKind::Transaction:
                batch.transactions.push_back(w.batch.transactions[ref.index]);
                break;
            }
        }
    }
    std::size_t events = 0;
    std::size_t bytes = 0;
    for (auto _ : state) {
        for (const EventBatch& batch : batches) {
            RawEventBatches tables = encoder.encode(batch);
            benchmark::DoNotOptimize(tables.cart_events.copy_text.data());
            events += batch.size();
            bytes +=
                tables.transactions.copy_text.size() + tables.transaction_items.copy_text.size() +
                tables.cart_events.copy_text.size() + tables.product_view_events.copy_text.size();
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(events));
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

BENCHMARK(BM_DecodeResult)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RawEventRows)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Validate)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EncoderConstruction)->Arg(1'000)->Arg(250'000)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
