// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/headless_run.h"

#include "generator/bounded_queue.h"
#include "generator/generator_runner.h"

#include <chrono>
#include <string>
#include <thread>

namespace gm {
namespace {

using Steady = std::chrono::steady_clock;

// 1234567 -> "1,234,567"
std::string grouped(std::uint64_t value) {
    std::string digits = std::to_string(value);
    for (int pos = static_cast<int>(digits.size()) - 3; pos > 0; pos -= 3) {
        digits.insert(static_cast<std::size_t>(pos), ",");
    }
    return digits;
}

std::string percent(std::uint64_t part, std::uint64_t whole) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f%%", whole == 0 ? 0.0 : 100.0 * part / whole);
    return text;
}

struct ConsumedCounts {
    std::atomic<std::uint64_t> events{0};
    std::atomic<std::uint64_t> batches{0};
};

// Stands in for the stream pipeline's input stage: takes batches off the queue as fast as they
// come so that the generator's figures are measured end to end through a thread hand-off.
void consume(BoundedQueue<EventBatch>& queue, ConsumedCounts& counts) {
    while (!queue.drained()) {
        if (auto batch = queue.popFor(std::chrono::milliseconds(100))) {
            counts.events += batch->size();
            ++counts.batches;
        }
    }
}

void printProgress(std::FILE* out, double elapsed, std::uint64_t events_per_second,
                   const GeneratorStatus& status, std::uint64_t consumed) {
    const auto& stats = status.stats;
    std::string line =
        "[" + std::to_string(static_cast<long>(elapsed + 0.5)) + "s] " +
        grouped(events_per_second) + " events/s | total " + grouped(consumed) + " | views " +
        grouped(stats.by_kind[static_cast<int>(EventKind::ProductView)]) + " carts " +
        grouped(stats.by_kind[static_cast<int>(EventKind::Cart)]) + " transactions " +
        grouped(stats.by_kind[static_cast<int>(EventKind::Transaction)]) + " | anomalies " +
        grouped(stats.anomalies()) + " | sim " + formatIsoTimestamp(status.sim_time).substr(0, 19) +
        "Z";
    if (status.behind_seconds >= 0.5) {
        char behind[64];
        std::snprintf(behind, sizeof behind, " | BEHIND by %.1f s (machine cannot keep up)",
                      status.behind_seconds);
        line += behind;
    }
    std::fprintf(out, "%s\n", line.c_str());
    std::fflush(out);
}

void printSummary(std::FILE* out, double elapsed, const GeneratorStatus& status,
                  std::uint64_t consumed, TimestampUs start_time) {
    const auto& stats = status.stats;
    const auto views = stats.by_kind[static_cast<int>(EventKind::ProductView)];
    const auto carts = stats.by_kind[static_cast<int>(EventKind::Cart)];
    const auto transactions = stats.by_kind[static_cast<int>(EventKind::Transaction)];
    const auto carts_ended = stats.carts_checked_out + stats.carts_abandoned;
    std::fprintf(out, "\nSummary\n");
    std::fprintf(out, "  events          %s in %.1f s (%s events/s)\n", grouped(consumed).c_str(),
                 elapsed,
                 grouped(static_cast<std::uint64_t>(consumed / std::max(elapsed, 1e-9))).c_str());
    std::fprintf(out, "  product views   %s (%s)\n", grouped(views).c_str(),
                 percent(views, stats.events).c_str());
    std::fprintf(out, "  cart events     %s (%s)\n", grouped(carts).c_str(),
                 percent(carts, stats.events).c_str());
    std::fprintf(out, "  transactions    %s (%s)\n", grouped(transactions).c_str(),
                 percent(transactions, stats.events).c_str());
    std::fprintf(
        out, "  anomalies       %s (%s of transactions: %s high value, %s high quantity)\n",
        grouped(stats.anomalies()).c_str(), percent(stats.anomalies(), transactions).c_str(),
        grouped(stats.high_value_anomalies).c_str(),
        grouped(stats.high_quantity_anomalies).c_str());
    std::fprintf(out, "  carts           %s checked out, %s abandoned (%s abandoned)\n",
                 grouped(stats.carts_checked_out).c_str(), grouped(stats.carts_abandoned).c_str(),
                 percent(stats.carts_abandoned, carts_ended).c_str());
    std::fprintf(out, "  simulated time  %s to %s\n", formatIsoTimestamp(start_time).c_str(),
                 formatIsoTimestamp(status.sim_time).c_str());
    if (status.missed_events >= 1) {
        std::fprintf(
            out, "  shortfall       %s events asked for by the rate were not produced in time\n",
            grouped(static_cast<std::uint64_t>(status.missed_events)).c_str());
    }
    std::fflush(out);
}

} // namespace

int runHeadless(const RunOptions& options, std::FILE* out, const std::atomic<bool>& interrupted) {
    const auto build_start = Steady::now();
    const Catalog catalog(options.catalog);
    const double build_seconds = std::chrono::duration<double>(Steady::now() - build_start).count();
    std::fprintf(out,
                 "GlobalMart Monitor (headless): %s users, %s products (catalog built in %.2f s), "
                 "rate %s events/s, x%g%s, seed %llu\n",
                 grouped(catalog.userCount()).c_str(), grouped(catalog.productCount()).c_str(),
                 build_seconds, grouped(static_cast<std::uint64_t>(options.generator.rate)).c_str(),
                 options.generator.acceleration, options.generator.max_speed ? " (max speed)" : "",
                 static_cast<unsigned long long>(options.simulator.seed));
    std::fflush(out);

    SimulationClock clock(options.start_time, options.generator.acceleration,
                          !options.generator.max_speed);
    BoundedQueue<EventBatch> queue(64);
    GeneratorRunner generator(catalog, options.simulator, options.generator, clock, queue);
    ConsumedCounts counts;
    std::thread consumer([&] { consume(queue, counts); });

    const auto started = Steady::now();
    generator.start();
    auto next_report = started + std::chrono::seconds(1);
    std::uint64_t last_events = 0;
    auto last_time = started;
    while (!interrupted) {
        std::this_thread::sleep_until(
            std::min(next_report, Steady::now() + std::chrono::milliseconds(50)));
        const auto now = Steady::now();
        const double elapsed = std::chrono::duration<double>(now - started).count();
        const GeneratorStatus status = generator.status();
        if (now >= next_report) {
            const std::uint64_t consumed = counts.events;
            const double span = std::chrono::duration<double>(now - last_time).count();
            printProgress(out, elapsed, static_cast<std::uint64_t>((consumed - last_events) / span),
                          status, consumed);
            last_events = consumed;
            last_time = now;
            next_report += std::chrono::seconds(1);
        }
        if ((options.duration_seconds > 0 && elapsed >= options.duration_seconds) ||
            status.finished) {
            break;
        }
    }
    generator.stop();
    consumer.join();
    const double elapsed = std::chrono::duration<double>(Steady::now() - started).count();
    printSummary(out, elapsed, generator.status(), counts.events, options.start_time);
    return 0;
}

} // namespace gm
