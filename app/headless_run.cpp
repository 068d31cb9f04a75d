// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/headless_run.h"

#include "generator/bounded_queue.h"
#include "generator/generator_runner.h"
#include "generator/number_text.h"
#include "pipeline/csv_sink.h"
#include "pipeline/pipeline.h"
#include "pipeline/runtime.h"

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

namespace gm {
namespace {

using Steady = std::chrono::steady_clock;

// 1234567 -> "1,234,567"
std::string grouped(std::uint64_t value) {
    return groupThousands(value);
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
                grouped(job.late) + " late" +
                (job.replayed == 0 ? "" : " " + grouped(job.replayed) + " replayed");
    }
    return text + " | alerts " + grouped(figures.alerts_raised);
}

// Events by stream: the generator's own counts, or for a Kafka source what the pipeline received.
struct StreamCounts {
    std::uint64_t views = 0;
    std::uint64_t carts = 0;
    std::uint64_t transactions = 0;
    std::uint64_t total() const { return views + carts + transactions; }
};

StreamCounts streamCounts(const GeneratorStatus* generator, const PipelineFigures& figures) {
    if (generator != nullptr) {
        const auto& by_kind = generator->stats.by_kind;
        return {by_kind[static_cast<int>(EventKind::ProductView)],
                by_kind[static_cast<int>(EventKind::Cart)],
                by_kind[static_cast<int>(EventKind::Transaction)]};
    }
    const auto received = [&](JobId job) {
        return figures.jobs[static_cast<std::size_t>(job)].received;
    };
    return {received(JobId::Views), received(JobId::Carts), received(JobId::Sales)};
}

std::string eventTime(TimestampUs time) {
    return time == kNoWatermark ? std::string("none yet")
                                : formatIsoTimestamp(time).substr(0, 19) + "Z";
}

// `generator` is null when events come from Kafka: then the counts and times are the pipeline's.
void printProgress(std::FILE* out, double elapsed, std::uint64_t events_per_second,
                   const GeneratorStatus* generator, std::uint64_t consumed,
                   const PipelineFigures& figures) {
    const StreamCounts counts = streamCounts(generator, figures);
    std::string line = "[" + std::to_string(static_cast<long>(elapsed + 0.5)) + "s] " +
                       grouped(events_per_second) + " events/s | total " + grouped(consumed) +
                       " | views " + grouped(counts.views) + " carts " + grouped(counts.carts) +
                       " transactions " + grouped(counts.transactions);
    if (generator != nullptr) {
        line += " | anomalies " + grouped(generator->stats.anomalies()) + " | sim " +
                eventTime(generator->sim_time);
        if (generator->behind_seconds >= 0.5) {
            char behind[64];
            std::snprintf(behind, sizeof behind, " | BEHIND by %.1f s (machine cannot keep up)",
                          generator->behind_seconds);
            line += behind;
        }
    } else {
        line += " | event time " + eventTime(figures.max_event_time);
    }
    std::fprintf(out, "%s\n", line.c_str());
    std::fprintf(out, "      %s\n", jobFigures(figures).c_str());
    std::fflush(out);
}

void printSummary(std::FILE* out, double elapsed, const GeneratorStatus* generator,
                  std::uint64_t consumed, TimestampUs start_time, const PipelineFigures& figures,
                  int workers) {
    const StreamCounts counts = streamCounts(generator, figures);
    std::fprintf(out, "\nSummary\n");
    std::fprintf(out, "  events          %s in %.1f s (%s events/s)\n", grouped(consumed).c_str(),
                 elapsed,
                 grouped(static_cast<std::uint64_t>(consumed / std::max(elapsed, 1e-9))).c_str());
    std::fprintf(out, "  product views   %s (%s)\n", grouped(counts.views).c_str(),
                 percent(counts.views, counts.total()).c_str());
    std::fprintf(out, "  cart events     %s (%s)\n", grouped(counts.carts).c_str(),
                 percent(counts.carts, counts.total()).c_str());
    std::fprintf(out, "  transactions    %s (%s)\n", grouped(counts.transactions).c_str(),
                 percent(counts.transactions, counts.total()).c_str());
    if (generator == nullptr) {
        std::fprintf(out, "  event time      up to %s\n",
                     eventTime(figures.max_event_time).c_str());
    } else {
        const auto& stats = generator->stats;
        const auto carts_ended = stats.carts_checked_out + stats.carts_abandoned;
        std::fprintf(out,
                     "  anomalies       %s (%s of transactions: %s high value, %s high quantity)\n",
                     grouped(stats.anomalies()).c_str(),
                     percent(stats.anomalies(), counts.transactions).c_str(),
                     grouped(stats.high_value_anomalies).c_str(),
                     grouped(stats.high_quantity_anomalies).c_str());
        std::fprintf(out, "  carts           %s checked out, %s abandoned (%s abandoned)\n",
                     grouped(stats.carts_checked_out).c_str(),
                     grouped(stats.carts_abandoned).c_str(),
                     percent(stats.carts_abandoned, carts_ended).c_str());
        std::fprintf(out, "  simulated time  %s to %s\n", formatIsoTimestamp(start_time).c_str(),
                     formatIsoTimestamp(generator->sim_time).c_str());
        if (generator->missed_events >= 1) {
            std::fprintf(
                out,
                "  shortfall       %s events asked for by the rate were not produced in time\n",
                grouped(static_cast<std::uint64_t>(generator->missed_events)).c_str());
        }
    }
    std::fprintf(out, "  pipeline        %d worker%s, %s rows, %s alerts (%s alert updates)\n",
                 workers, workers == 1 ? "" : "s", grouped(figures.rows).c_str(),
                 grouped(figures.alerts_raised).c_str(), grouped(figures.alert_updates).c_str());
    for (int i = 0; i < kJobCount; ++i) {
        const JobFigures& job = figures.jobs[static_cast<std::size_t>(i)];
        std::fprintf(
            out, "    %-10s    %s received, %s windows closed, %s rows, %s late, %s rejected%s\n",
            std::string(jobName(static_cast<JobId>(i))).c_str(), grouped(job.received).c_str(),
            grouped(job.windows_closed).c_str(), grouped(job.emitted_rows).c_str(),
            grouped(job.late).c_str(), grouped(job.rejected).c_str(),
            job.replayed == 0
                ? ""
                : (", " + grouped(job.replayed) + " replayed (already written before a restart)")
                      .c_str());
    }
    std::fflush(out);
}

std::uint64_t totalLag(const std::vector<PartitionLag>& partitions) {
    std::uint64_t total = 0;
    for (const PartitionLag& partition : partitions) {
        total += static_cast<std::uint64_t>(std::max<std::int64_t>(partition.lag, 0));
    }
    return total;
}

// Database and Kafka state, one line each, when they are in use.
void printServices(std::FILE* out, Runtime& runtime) {
    if (Persistence* persistence = runtime.persistence()) {
        std::fprintf(out, "      %s\n",
                     describeWriterStatus(persistence->writer().status()).c_str());
    }
    if (KafkaEventSource* source = runtime.kafkaSource()) {
        const KafkaSourceStatus status = source->status();
        std::fprintf(
            out,
            "      kafka in: %zu partitions%s, %s messages, %s accepted, %s duplicates, %s "
            "rejected, lag %s, %s offset commits%s%s\n",
            status.assigned_partitions, status.paused ? " (paused)" : "",
            grouped(status.messages).c_str(), grouped(status.accepted).c_str(),
            grouped(status.duplicates).c_str(), grouped(status.dead_letters).c_str(),
            grouped(totalLag(source->lag())).c_str(), grouped(status.commits).c_str(),
            status.last_error.empty() ? "" : " | ", status.last_error.c_str());
    }
    if (KafkaProducer* producer = runtime.kafkaProducer()) {
        const auto status = producer->status();
        const std::uint64_t alerts =
            runtime.criticalAlerts() ? runtime.criticalAlerts()->published() : 0;
        std::fprintf(out,
                     "      kafka out: %s delivered (%s critical alerts), %s failed, %s in "
                     "flight%s%s\n",
                     grouped(status.delivered).c_str(), grouped(alerts).c_str(),
                     grouped(status.failed).c_str(), grouped(status.in_flight).c_str(),
                     status.last_error.empty() ? "" : " | ", status.last_error.c_str());
    }
    std::fflush(out);
}

} // namespace

int runHeadless(const RunOptions& options, std::FILE* out, const std::atomic<bool>& interrupted) {
    const auto build_start = Steady::now();
    Runtime runtime(runtimeOptions(options));
    if (auto problem = runtime.prepare()) {
        std::fprintf(stderr, "globalmart: %s\n", problem->c_str());
        return 2;
    }
    const double build_seconds = std::chrono::duration<double>(Steady::now() - build_start).count();
    const Catalog& catalog = runtime.catalog();
    const int workers = runtime.pipeline().config().workers;
    if (runtime.kafkaSource() != nullptr) {
        // The rate, speed and seed are the generator's; a consumer reads what the topics hold.
        const KafkaSettings& kafka = runtime.options().kafka;
        std::fprintf(out,
                     "GlobalMart Monitor (headless): consuming %s, %s, %s from %s as group '%s'; "
                     "catalog of %s users, %s products (seed %llu), ready in %.2f s, %d pipeline "
                     "worker%s\n",
                     kafka.topics.transactions.c_str(), kafka.topics.cart_events.c_str(),
                     kafka.topics.product_views.c_str(), kafka.brokers.c_str(), kafka.group.c_str(),
                     grouped(catalog.userCount()).c_str(), grouped(catalog.productCount()).c_str(),
                     static_cast<unsigned long long>(options.simulator.seed), build_seconds,
                     workers, workers == 1 ? "" : "s");
    } else {
        std::fprintf(
            out,
            "GlobalMart Monitor (headless): %s users, %s products, ready in %.2f s, "
            "rate %s events/s, x%g%s, seed %llu, %d pipeline worker%s\n",
            grouped(catalog.userCount()).c_str(), grouped(catalog.productCount()).c_str(),
            build_seconds, grouped(static_cast<std::uint64_t>(options.generator.rate)).c_str(),
            options.generator.acceleration, options.generator.max_speed ? " (max speed)" : "",
            static_cast<unsigned long long>(options.simulator.seed), workers,
            workers == 1 ? "" : "s");
    }
    for (const std::string& note : runtime.notes()) {
        std::fprintf(out, "  %s\n", note.c_str());
    }
    if (!options.out_dir.empty()) {
        std::fprintf(out, "  CSV tables in %s\n", options.out_dir.c_str());
    }
    std::fflush(out);

    const auto started = Steady::now();
    runtime.start();
    auto next_report = started + std::chrono::seconds(1);
    std::uint64_t last_events = 0;
    auto last_time = started;
    while (!interrupted) {
        std::this_thread::sleep_until(
            std::min(next_report, Steady::now() + std::chrono::milliseconds(50)));
        const auto now = Steady::now();
        const double elapsed = std::chrono::duration<double>(now - started).count();
        const std::optional<GeneratorStatus> status =
            runtime.generator() ? std::optional(runtime.generator()->status()) : std::nullopt;
        if (now >= next_report) {
            const PipelineFigures figures = runtime.pipeline().counters().figures();
            const std::uint64_t consumed = figures.events;
            const double span = std::chrono::duration<double>(now - last_time).count();
            printProgress(out, elapsed, static_cast<std::uint64_t>((consumed - last_events) / span),
                          status ? &*status : nullptr, consumed, figures);
            printServices(out, runtime);
            if (options.stop_at_sim_time != 0 && status) {
                std::fprintf(out, "  backfill: simulated %s of %s\n",
                             formatIsoTimestamp(status->sim_time).c_str(),
                             formatIsoTimestamp(options.stop_at_sim_time).c_str());
            }
            last_events = consumed;
            last_time = now;
            next_report += std::chrono::seconds(1);
        }
        if ((options.duration_seconds > 0 && elapsed >= options.duration_seconds) ||
            (status && status->finished) || runtime.finished() ||
            (options.stop_at_sim_time != 0 && status &&
             status->sim_time >= options.stop_at_sim_time)) {
            break;
        }
    }
    // Stopping ends the source: the pipeline drains what is queued, flushes every open window,
    // and the writer commits everything before the summary.
    std::fprintf(out, "Stopping: flushing open windows%s...\n",
                 runtime.persistence() ? " and writing buffered rows to PostgreSQL" : "");
    std::fflush(out);
    // The rate is over the run itself; draining, flushing and writing come after, timed apart.
    const auto stopping = Steady::now();
    runtime.stop();
    const double elapsed = std::chrono::duration<double>(stopping - started).count();
    const double stop_seconds = std::chrono::duration<double>(Steady::now() - stopping).count();
    std::fprintf(out, "Stopped in %.1f s\n", stop_seconds);
    const PipelineFigures figures = runtime.pipeline().counters().figures();
    const std::optional<GeneratorStatus> generated =
        runtime.generator() ? std::optional(runtime.generator()->status()) : std::nullopt;
    printSummary(out, elapsed, generated ? &*generated : nullptr, figures.events,
                 options.start_time, figures, runtime.pipeline().config().workers);
    printServices(out, runtime);
    return 0;
}

} // namespace gm
