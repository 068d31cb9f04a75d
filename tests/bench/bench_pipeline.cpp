// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end throughput of generator + stream pipeline (all five jobs, no persistence), and
// event-to-snapshot latency. A program, not a test: figures go to BENCHMARKS.md.
//
//   bench_pipeline [--users U] [--products P] [--events N] [--workers W] [--shop-rate R]
//
// The simulator runs on its own thread as fast as it can (like --max-speed) and pushes batches
// of 4096 events into a bounded queue; the pipeline consumes them on its own thread(s).
#include "generator/bounded_queue.h"
#include "generator/simulator.h"
#include "pipeline/pipeline.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace gm;
using Steady = std::chrono::steady_clock;

namespace {

class CountingSink : public RowSink {
public:
    void consume(const RowBatch& rows) override { rows_ += rows.rowCount(); }
    std::uint64_t rows() const { return rows_; }

private:
    std::uint64_t rows_ = 0;
};

struct Options {
    std::uint32_t users = 10'000;
    std::uint32_t products = 1'000;
    std::uint64_t events = 10'000'000;
    int workers = defaultWorkerCount();
    double shop_rate = 2'000; // events per simulated second
};

Options parse(int argc, char** argv) {
    Options options;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string name = argv[i];
        const char* value = argv[i + 1];
        if (name == "--users") {
            options.users = static_cast<std::uint32_t>(std::atol(value));
        } else if (name == "--products") {
            options.products = static_cast<std::uint32_t>(std::atol(value));
        } else if (name == "--events") {
            options.events = std::strtoull(value, nullptr, 10);
        } else if (name == "--workers") {
            options.workers = std::atoi(value);
        } else if (name == "--shop-rate") {
            options.shop_rate = std::atof(value);
        } else {
            std::fprintf(stderr, "bench_pipeline: unknown option %s\n", name.c_str());
            std::exit(2);
        }
    }
    return options;
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

} // namespace

int main(int argc, char** argv) {
    const Options options = parse(argc, argv);
    const TimestampUs start = *parseIsoTimestamp("2026-01-01T00:00:00Z");
    CatalogConfig catalog_config;
    catalog_config.users = options.users;
    catalog_config.products = options.products;
    catalog_config.reference_time = start;
    const Catalog catalog(catalog_config);
    auto products = std::make_shared<const ProductTable>(productTableFrom(catalog));

    BoundedQueue<EventBatch> queue(16);
    QueueSource source(queue);
    CountingSink sink;
    PipelineConfig config;
    config.workers = std::max(1, options.workers);
    std::atomic<TimestampUs> sim_now{start};
    Pipeline pipeline(
        config, products, [&] { return sim_now.load(); }, source, sink);

    // Event-to-snapshot latency: from the moment a batch is handed to the queue until the first
    // snapshot that includes it is published.
    std::mutex latency_mutex;
    std::vector<std::pair<std::uint64_t, Steady::time_point>> pushed; // end sequence, time
    std::size_t measured = 0;
    std::vector<double> latencies_ms;
    pipeline.onSnapshot([&](const SnapshotPtr& snapshot) {
        const auto now = Steady::now();
        std::lock_guard lock(latency_mutex);
        while (measured < pushed.size() && pushed[measured].first <= snapshot->through_sequence) {
            latencies_ms.push_back(
                std::chrono::duration<double, std::milli>(now - pushed[measured].second).count());
            ++measured;
        }
    });

    const auto started = Steady::now();
    pipeline.start();
    std::thread generator([&] {
        SimulatorConfig sim;
        ShopSimulator simulator(catalog, sim, start);
        simulator.setShopRate(options.shop_rate);
        std::uint64_t done = 0;
        while (done < options.events) {
            EventBatch batch;
            const std::size_t n =
                static_cast<std::size_t>(std::min<std::uint64_t>(4096, options.events - done));
            batch.first_sequence = done;
            simulator.generate(n, batch);
            done += n;
            sim_now = simulator.now();
            {
                std::lock_guard lock(latency_mutex);
                pushed.emplace_back(done, Steady::now());
            }
            queue.push(std::move(batch));
        }
        queue.close();
    });
    generator.join();
    pipeline.join();
    const double seconds = std::chrono::duration<double>(Steady::now() - started).count();
    const PipelineFigures figures = pipeline.counters().figures();
    std::printf("users %u, products %u, workers %d, events %llu, simulated %.1f h\n", options.users,
                options.products, config.workers, static_cast<unsigned long long>(figures.events),
                static_cast<double>(sim_now.load() - start) / 3.6e9);
    std::printf("throughput        %.0f events/s end to end (%.2f s)\n",
                static_cast<double>(figures.events) / seconds, seconds);
    std::printf("rows              %llu (%llu alerts)\n",
                static_cast<unsigned long long>(sink.rows()),
                static_cast<unsigned long long>(figures.alerts_raised));
    std::printf("batch latency     last %llu us, max %llu us\n",
                static_cast<unsigned long long>(figures.last_batch_latency_us),
                static_cast<unsigned long long>(figures.max_batch_latency_us));
    std::lock_guard lock(latency_mutex);
    std::printf("event->snapshot   p50 %.1f ms, p99 %.1f ms (%zu batches)\n",
                percentile(latencies_ms, 0.50), percentile(latencies_ms, 0.99),
                latencies_ms.size());
    return 0;
}
