// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end throughput of generator + stream pipeline (all five jobs, no persistence), and
// event-to-snapshot latency. A program, not a test: figures go to BENCHMARKS.md.
//
//   bench_pipeline [--users U] [--products P] [--events N] [--workers W] [--shop-rate R]
//   bench_pipeline --burst-sessions S [--burst-batch B] [--users U] [--workers W]
//   (either mode) [--work-per-call N]: PipelineConfig::work_per_call
//   (either mode) [--exact 1]: exact mode (--exact-group), the events as one partition per topic
//   [--input-rate R]: feed R events per wall-clock second instead of as fast as possible
//   (either mode) [--snapshot-ms M]: PipelineConfig::snapshot_interval_wall, how often
//   snapshots are published
//
// The simulator runs on its own thread as fast as it can (like --max-speed) and pushes batches
// of 4096 events into a bounded queue; the pipeline consumes them on its own thread(s). Run so,
// the pipeline is saturated and the event -> snapshot latency is mostly the time a batch waits
// in the full queue (16 batches). With --input-rate the batches come at a steady pace, about
// 5 ms of events each as the app's generator makes them (RateController::batchSize): the
// latency of a live run at that rate.
//
// Burst mode (issue 19): S cart sessions open within 10 s of event time (an add_to_cart and a
// view each, spread over U users) arrive in batches of B events, as a source does in a burst;
// then one event an hour later expires every session and window at once, and a trickle of
// events follows. It prints the longest engine call, the distribution of call durations and the
// longest time the pipeline went without publishing a snapshot. Before the jump it also reports
// what the open state costs: the heap in use (glibc's mallinfo2) with S sessions open, against
// before the burst.
#include "generator/bounded_queue.h"
#include "generator/simulator.h"
#include "pipeline/pipeline.h"
#include "pipeline/process_memory.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <malloc.h>
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
    std::uint64_t burst_sessions = 0;
    std::size_t burst_batch = 1'000'000;
    std::size_t work_per_call = PipelineConfig{}.work_per_call;
    bool exact = false;
    double input_rate = 0; // events per wall-clock second; 0 = as fast as possible
    TimestampUs snapshot_interval_us = PipelineConfig{}.snapshot_interval_wall;
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
        } else if (name == "--burst-sessions") {
            options.burst_sessions = std::strtoull(value, nullptr, 10);
        } else if (name == "--work-per-call") {
            options.work_per_call = static_cast<std::size_t>(std::strtoull(value, nullptr, 10));
        } else if (name == "--exact") {
            options.exact = std::atoi(value) != 0;
        } else if (name == "--snapshot-ms") {
            options.snapshot_interval_us = std::atoll(value) * 1000;
        } else if (name == "--input-rate") {
            options.input_rate = std::atof(value);
        } else if (name == "--burst-batch") {
            options.burst_batch = static_cast<std::size_t>(std::strtoull(value, nullptr, 10));
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

void printCallHistogram(const LatencyHistogramFigures& calls) {
    std::printf("engine calls      %llu, by duration:",
                static_cast<unsigned long long>(calls.count));
    double lower_ms = 0;
    for (std::size_t i = 0; i < calls.buckets.size(); ++i) {
        if (i < kSnapshotLatencyBounds.size()) {
            const double upper_ms = kSnapshotLatencyBounds[i] * 1000;
            std::printf(" %g-%g ms: %llu;", lower_ms, upper_ms,
                        static_cast<unsigned long long>(calls.buckets[i]));
            lower_ms = upper_ms;
        } else {
            std::printf(" > %g ms: %llu\n", lower_ms,
                        static_cast<unsigned long long>(calls.buckets[i]));
        }
    }
}

// Events of one burst session: an add_to_cart (the cart then holds an item: abandoned when it
// expires) and a product view, at `time`.
void addBurstSession(std::uint64_t index, TimestampUs time, std::uint32_t users,
                     std::uint32_t products, EventBatch& batch) {
    const Uuid session = makeUuidV4(index + 1, 0x5E55'1000'0000'0000ULL + index);
    const auto user = static_cast<UserId>(index % users);
    CartEvent& cart = batch.carts.emplace_back();
    cart.event_id = makeUuidV4(index + 1, 0xCA27'0000'0000'0000ULL + index);
    cart.session_id = session;
    cart.timestamp = time;
    cart.user = user;
    cart.country = Country::USA;
    cart.product = static_cast<ProductId>(index % products);
    cart.price = 1999;
    cart.quantity = 1;
    cart.cart_size = 1;
    cart.cart_value = 1999;
    ProductViewEvent& view = batch.views.emplace_back();
    view.event_id = makeUuidV4(index + 1, 0x71E3'0000'0000'0000ULL + index);
    view.session_id = session;
    view.timestamp = time;
    view.user = user;
    view.country = Country::USA;
    view.product = static_cast<ProductId>(index % products);
    view.price = 1999;
    view.view_duration = 10;
}

// Bytes the allocator has handed out and not been given back (small chunks and mmapped ones),
// in the one arena runBurst() allows.
std::size_t heapInUse() {
    const struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
}

int runBurst(const Options& options) {
    // One arena for every thread, so that mallinfo2() (which reports the main arena) sees the
    // pipeline thread's allocations too.
    mallopt(M_ARENA_MAX, 1);
    const TimestampUs start = *parseIsoTimestamp("2026-01-01T00:00:00Z");
    CatalogConfig catalog_config;
    catalog_config.users = options.users;
    catalog_config.products = options.products;
    catalog_config.reference_time = start;
    const Catalog catalog(catalog_config);
    auto products = std::make_shared<const ProductTable>(productTableFrom(catalog));

    BoundedQueue<EventBatch> queue(4);
    QueueSource source(queue);
    CountingSink sink;
    PipelineConfig config;
    config.workers = std::max(1, options.workers);
    config.exact_partitions = options.exact;
    config.work_per_call = options.work_per_call;
    config.snapshot_interval_wall = options.snapshot_interval_us;
    std::atomic<TimestampUs> sim_now{start};
    Pipeline pipeline(
        config, products, [&] { return sim_now.load(); }, source, sink);
    std::mutex gap_mutex;
    Steady::time_point last_snapshot = Steady::now();
    double longest_gap_ms = 0;
    std::atomic<std::uint64_t> through{0};
    pipeline.onSnapshot([&](const SnapshotPtr& snapshot) {
        const auto now = Steady::now();
        std::lock_guard lock(gap_mutex);
        longest_gap_ms = std::max(
            longest_gap_ms, std::chrono::duration<double, std::milli>(now - last_snapshot).count());
        last_snapshot = now;
        through = snapshot->through_sequence;
    });

    const auto started = Steady::now();
    pipeline.start();
    const std::size_t heap_before = heapInUse();
    std::uint64_t sequence = 0;
    // The burst: every session's events within 10 s of event time, in stream order.
    const TimestampUs burst_span = 10 * kMicrosPerSecond;
    const std::uint64_t sessions = options.burst_sessions;
    for (std::uint64_t i = 0; i < sessions;) {
        EventBatch batch;
        batch.first_sequence = sequence;
        for (; i < sessions && batch.size() + 2 <= std::max<std::size_t>(2, options.burst_batch);
             ++i) {
            const auto offset = static_cast<TimestampUs>(
                static_cast<double>(i) / static_cast<double>(sessions) * burst_span);
            addBurstSession(i, start + offset, options.users, options.products, batch);
        }
        sequence += batch.size();
        sim_now = start + burst_span;
        queue.push(std::move(batch));
    }
    // The open state before the jump: every burst session open, the batches processed.
    while (through.load() < sequence) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const std::size_t heap_open = heapInUse();
    const std::uint64_t open_sessions = pipeline.counters().figures().open_sessions;
    // The jump: one event an hour later closes every window and expires every session.
    const TimestampUs later = start + 3600 * kMicrosPerSecond;
    {
        EventBatch batch;
        batch.first_sequence = sequence;
        addBurstSession(sessions, later, options.users, options.products, batch);
        sequence += batch.size();
        sim_now = later;
        queue.push(std::move(batch));
    }
    // A trickle: 1,000 events per simulated second at x60 (a batch every 100 ms of wall time).
    for (int tick = 0; tick < 20; ++tick) {
        EventBatch batch;
        batch.first_sequence = sequence;
        for (int k = 0; k < 3000; k += 2) {
            addBurstSession(sessions + 1 + static_cast<std::uint64_t>(tick * 3000 + k),
                            later + tick * 6 * kMicrosPerSecond, options.users, options.products,
                            batch);
        }
        sequence += batch.size();
        sim_now = later + tick * 6 * kMicrosPerSecond;
        queue.push(std::move(batch));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    // Let the pipeline show all of it before the end-of-run flush (which is not the burst).
    while (through.load() < sequence) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const double processed_s = std::chrono::duration<double>(Steady::now() - started).count();
    const PipelineFigures before_flush = pipeline.counters().figures();
    double longest_gap_before_flush_ms = 0;
    {
        std::lock_guard lock(gap_mutex);
        longest_gap_before_flush_ms = longest_gap_ms;
    }
    queue.close();
    pipeline.join();
    std::printf("burst: %llu sessions (%llu events in batches of %zu), users %u, workers %d, "
                "work per call %zu\n",
                static_cast<unsigned long long>(sessions),
                static_cast<unsigned long long>(sessions * 2), options.burst_batch, options.users,
                config.workers, config.work_per_call);
    std::printf("processed         %llu events in %.2f s (until the last snapshot showed them)\n",
                static_cast<unsigned long long>(before_flush.events), processed_s);
    std::printf("rows              %llu before the final flush, %llu in all\n",
                static_cast<unsigned long long>(before_flush.rows),
                static_cast<unsigned long long>(sink.rows()));
    std::printf("longest call      %.1f ms before the final flush\n",
                static_cast<double>(before_flush.max_batch_latency_us) / 1000.0);
    printCallHistogram(before_flush.call_latency);
    std::printf("longest time without a snapshot %.1f ms\n", longest_gap_before_flush_ms);
    const double grown = static_cast<double>(heap_open) - static_cast<double>(heap_before);
    std::printf("open state        %llu cart sessions open before the jump; heap in use %.1f MiB "
                "-> %.1f MiB (+%.1f MiB, %.0f bytes per open session with its browsing session, "
                "abandonment entry and the burst's window cells)\n",
                static_cast<unsigned long long>(open_sessions),
                static_cast<double>(heap_before) / 1048576.0,
                static_cast<double>(heap_open) / 1048576.0, grown / 1048576.0,
                open_sessions > 0 ? grown / static_cast<double>(open_sessions) : 0.0);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    // As the app does: the resident set measured is the one a user's process would have.
    returnLargeBlocksToTheSystem();
    const Options options = parse(argc, argv);
    if (options.burst_sessions > 0) {
        return runBurst(options);
    }
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
    config.exact_partitions = options.exact;
    config.work_per_call = options.work_per_call;
    config.snapshot_interval_wall = options.snapshot_interval_us;
    std::atomic<TimestampUs> sim_now{start};
    Pipeline pipeline(
        config, products, [&] { return sim_now.load(); }, source, sink);

    // Event-to-snapshot latency: from the moment a batch is handed to the queue until the first
    // snapshot that includes it is published.
    std::mutex latency_mutex;
    std::vector<std::pair<std::uint64_t, Steady::time_point>> pushed; // end sequence, time
    std::size_t measured = 0;
    std::vector<double> latencies_ms;
    std::atomic<std::uint64_t> through{0};
    PipelineFigures before_flush;
    pipeline.onSnapshot([&](const SnapshotPtr& snapshot) {
        const auto now = Steady::now();
        through = snapshot->through_sequence;
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
        const std::uint64_t batch_events =
            options.input_rate > 0
                ? std::clamp<std::uint64_t>(static_cast<std::uint64_t>(options.input_rate / 200), 1,
                                            4096)
                : 4096;
        const auto paced_from = Steady::now();
        while (done < options.events) {
            if (options.input_rate > 0) {
                // The batch is due when its first event is: behind the schedule, no wait.
                std::this_thread::sleep_until(
                    paced_from +
                    std::chrono::duration_cast<Steady::duration>(std::chrono::duration<double>(
                        static_cast<double>(done) / options.input_rate)));
            }
            EventBatch batch;
            const std::size_t n = static_cast<std::size_t>(
                std::min<std::uint64_t>(batch_events, options.events - done));
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
        // The end-of-run flush closes every window at once; it is not a call of a live run.
        while (through.load() < done) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        before_flush = pipeline.counters().figures();
        queue.close();
    });
    generator.join();
    pipeline.join();
    const double seconds = std::chrono::duration<double>(Steady::now() - started).count();
    const PipelineFigures figures = pipeline.counters().figures();
    std::printf("users %u, products %u, workers %d, events %llu, simulated %.1f h\n", options.users,
                options.products, config.workers, static_cast<unsigned long long>(figures.events),
                static_cast<double>(sim_now.load() - start) / 3.6e9);
    std::printf("throughput        %.0f events/s end to end (%.2f s)%s\n",
                static_cast<double>(figures.events) / seconds, seconds,
                options.input_rate > 0
                    ? (" at an input rate of " +
                       std::to_string(static_cast<long long>(options.input_rate)) + " events/s")
                          .c_str()
                    : ", as fast as it goes");
    std::printf("rows              %llu (%llu alerts)\n",
                static_cast<unsigned long long>(sink.rows()),
                static_cast<unsigned long long>(figures.alerts_raised));
    std::printf("batch latency     last %llu us, max %llu us\n",
                static_cast<unsigned long long>(figures.last_batch_latency_us),
                static_cast<unsigned long long>(figures.max_batch_latency_us));
    std::printf("longest call      %.1f ms before the final flush\n",
                static_cast<double>(before_flush.max_batch_latency_us) / 1000.0);
    printCallHistogram(before_flush.call_latency);
    std::lock_guard lock(latency_mutex);
    std::printf("event->snapshot   p50 %.1f ms, p99 %.1f ms (%zu batches)\n",
                percentile(latencies_ms, 0.50), percentile(latencies_ms, 0.99),
                latencies_ms.size());
    return 0;
}
