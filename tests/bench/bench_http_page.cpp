// SPDX-License-Identifier: GPL-3.0-or-later
// What one GET of a 1,000-row table page costs the HTTP thread, by part: rendering the
// snapshot's rows as text, filtering/ordering/paging them, and the whole request (JSON
// included). Over a finished run's snapshot (one snapshot: every answer after the first can
// come from the handler's per-snapshot caches, see wholeRequestEachDifferent for the rest).
#include "app/http/api_handler.h"
#include "pipeline/runtime/runtime.h"
#include "pipeline/table_schema.h"

#include <benchmark/benchmark.h>
#include <chrono>
#include <thread>

using namespace gm;

namespace {

struct FinishedRun {
    FinishedRun() {
        RuntimeOptions options;
        options.persist = false;
        options.catalog.users = 20'000;
        options.catalog.products = 1'000;
        options.generator.rate = 200'000;
        options.generator.acceleration = 60;
        options.generator.max_speed = true;
        options.generator.event_limit = 600'000;
        options.start_time = 1'795'591'230'000'000;
        options.catalog.reference_time = options.start_time;
        options.pipeline.workers = 1;
        options.pipeline.recent_rows_per_table = 1'000;
        runtime = std::make_shared<Runtime>(options);
        if (runtime->prepare()) {
            std::abort();
        }
        runtime->start();
        while (!runtime->finished()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        slot.set(runtime);
    }
    std::shared_ptr<Runtime> runtime;
    RunSlot slot;
};

FinishedRun& run() {
    static FinishedRun finished;
    return finished;
}

constexpr TableId kTable = TableId::ProductSalesVelocity;

HttpRequestView pageRequest() {
    HttpRequestView request;
    request.method = "GET";
    request.path = "/api/v1/tables/product_sales_velocity";
    request.query = {{"limit", "1000"}};
    return request;
}

void renderText(benchmark::State& state) {
    const SnapshotPtr snapshot = run().runtime->pipeline().snapshot();
    for (auto _ : state) {
        benchmark::DoNotOptimize(tableText(snapshot->recent, kTable));
    }
    state.counters["rows"] = static_cast<double>(tableText(snapshot->recent, kTable).size());
}
BENCHMARK(renderText)->Unit(benchmark::kMicrosecond);

void filterAndPage(benchmark::State& state) {
    const SnapshotPtr snapshot = run().runtime->pipeline().snapshot();
    const std::vector<TextRow> rows = tableText(snapshot->recent, kTable);
    const TableInfo& info = tableInfo(kTable);
    const TableQuery query = std::get<TableQuery>(
        parseTableQuery(info, {{"limit", "1000"}, {"order", "units_sold.desc"}}));
    for (auto _ : state) {
        benchmark::DoNotOptimize(runTableQuery(info, query, rows));
    }
}
BENCHMARK(filterAndPage)->Unit(benchmark::kMicrosecond);

void wholeRequest(benchmark::State& state) {
    ApiHandler handler(run().slot, ApiAccess{});
    const HttpRequestView request = pageRequest();
    std::size_t bytes = 0;
    for (auto _ : state) {
        const HttpReply reply = handler.handle(request);
        bytes = reply.body.size();
        benchmark::DoNotOptimize(reply);
    }
    state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(wholeRequest)->Unit(benchmark::kMicrosecond);

// Every request different (an offset of its own): no answer is reused, only the snapshot's
// rows as text are (once the answers are cached per snapshot).
void wholeRequestEachDifferent(benchmark::State& state) {
    ApiHandler handler(run().slot, ApiAccess{});
    HttpRequestView request = pageRequest();
    std::size_t offset = 0;
    for (auto _ : state) {
        request.query = {{"limit", "1000"}, {"offset", std::to_string(offset++ % 64)}};
        benchmark::DoNotOptimize(handler.handle(request));
    }
}
BENCHMARK(wholeRequestEachDifferent)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
