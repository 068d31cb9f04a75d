// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/headless_run.h"

#include "generator/bounded_queue.h"
#include "generator/generator_runner.h"
#include "pipeline/csv_sink.h"
#include "pipeline/pipeline.h"

#include <chrono>
#include <memory>
#include <stdexcept>
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

// Rows are counted by the pipeline itself; this sink only stands in when no file output is asked
// for, so the pipeline always has somewhere to send them.
class DiscardSink : public RowSink {
public:
    void consume(const RowBatch&) override {}
};

// Per job: windows closed / rows emitted / late events, as one compact group.
std::string jobFigures(const PipelineFigures& figures) {
    std::string text;
    for (int i = 0; i < kJobCount; ++i) {
        const JobFigures& job = figures.jobs[static_cast<std::size_t>(i)];
        text += (i == 0 ? "" : " | ") + std::string(jobName(static_cast<JobId>(i))) + " " +
                grouped(job.windows_closed) + "w " + grouped(job.emitted_rows) + "r " +
                grouped(job.late) + " late";
    }
    return text + " | alerts " + grouped(figures.alerts_raised);
}

void printProgress(std::FILE* out, double elapsed, std::uint64_t events_per_second,
                   const GeneratorStatus& status, std::uint64_t consumed,
                   const PipelineFigures& figures) {
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
    std::fprintf(out, "      %s\n", jobFigures(figures).c_str());
    std::fflush(out);
}

void printSummary(std::FILE* out, double elapsed, const GeneratorStatus& status,
                  std::uint64_t consumed, TimestampUs start_time, const PipelineFigures& figures,
                  int workers) {
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
    std::fprintf(out, "  pipeline        %d worker%s, %s rows, %s alerts (%s alert updates)\n",
                 workers, workers == 1 ? "" : "s", grouped(figures.rows).c_str(),
                 grouped(figures.alerts_raised).c_str(), grouped(figures.alert_updates).c_str());
    for (int i = 0; i < kJobCount; ++i) {
        const JobFigures& job = figures.jobs[static_cast<std::size_t>(i)];
        std::fprintf(
            out, "    %-10s    %s received, %s windows closed, %s rows, %s late, %s rejected\n",
            std::string(jobName(static_cast<JobId>(i))).c_str(), grouped(job.received).c_str(),
            grouped(job.windows_closed).c_str(), grouped(job.emitted_rows).c_str(),
            grouped(job.late).c_str(), grouped(job.rejected).c_str());
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

    PipelineConfig pipeline_config;
    if (options.workers > 0) {
        pipeline_config.workers = options.workers;
    }
    DiscardSink discard;
    std::unique_ptr<CsvSink> csv;
    if (!options.out_dir.empty()) {
        try {
            csv = std::make_unique<CsvSink>(options.out_dir);
        } catch (const std::exception& error) {
            std::fprintf(stderr, "globalmart: --out-dir: %s\n", error.what());
            return 2;
        }
    }
    RowSink& sink = csv ? static_cast<RowSink&>(*csv) : discard;

    SimulationClock clock(options.start_time, options.generator.acceleration,
                          !options.generator.max_speed);
    BoundedQueue<EventBatch> queue(64);
    GeneratorRunner generator(catalog, options.simulator, options.generator, clock, queue);
    QueueSource source(queue);
    Pipeline pipeline(
        pipeline_config, std::make_shared<const ProductTable>(productTableFrom(catalog)),
        [&clock] { return clock.now(); }, source, sink);
    std::fprintf(out, "Pipeline: %d worker%s%s\n", pipeline.config().workers,
                 pipeline.config().workers == 1 ? "" : "s",
                 csv ? (", CSV tables in " + options.out_dir).c_str() : "");
    std::fflush(out);

    const auto started = Steady::now();
    pipeline.start();
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
            const PipelineFigures figures = pipeline.counters().figures();
            const std::uint64_t consumed = figures.events;
            const double span = std::chrono::duration<double>(now - last_time).count();
            printProgress(out, elapsed, static_cast<std::uint64_t>((consumed - last_events) / span),
                          status, consumed, figures);
            last_events = consumed;
            last_time = now;
            next_report += std::chrono::seconds(1);
        }
        if ((options.duration_seconds > 0 && elapsed >= options.duration_seconds) ||
            status.finished) {
            break;
        }
    }
    // Stopping the generator closes the queue: the pipeline drains it, then flushes every open
    // window, so the summary counts every event generated.
    generator.stop();
    pipeline.join();
    const double elapsed = std::chrono::duration<double>(Steady::now() - started).count();
    const PipelineFigures figures = pipeline.counters().figures();
    printSummary(out, elapsed, generator.status(), figures.events, options.start_time, figures,
                 pipeline.config().workers);
    return 0;
}

} // namespace gm
