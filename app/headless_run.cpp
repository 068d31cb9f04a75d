// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/headless_run.h"

#include "app/http/http_launch.h"
#include "app/run_outcome.h"
#include "generator/bounded_queue.h"
#include "generator/generator_runner.h"
#include "generator/number_text.h"
#include "pipeline/pipeline.h"
#include "pipeline/runtime/csv_sink.h"
#include "pipeline/runtime/runtime.h"

#include <chrono>
#include <csignal>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <variant>

namespace gm {
namespace {

using Steady = std::chrono::steady_clock;

// Ctrl+Z: the run pauses (simulated time stands still, Kafka partitions are held) before the
// process stops, and resumes when the shell continues it, so the stream has no gap.
std::atomic<bool> g_suspend_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void onSuspendSignal(int) {
    g_suspend_requested = true;
}

void suspendPaused(std::FILE* out, Runtime& runtime) {
    const bool was_paused = runtime.paused();
    runtime.pause();
    std::fputs("Paused (Ctrl+Z): simulated time stands still; 'fg' resumes\n", out);
    std::fflush(out);
    std::raise(SIGSTOP);
    // Continued (SIGCONT).
    if (!was_paused) {
        runtime.resume();
    }
    std::fputs("Resumed\n", out);
    std::fflush(out);
}

std::string percent(std::uint64_t part, std::uint64_t whole) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f%%", whole == 0 ? 0.0 : 100.0 * part / whole);
    return text;
}

// Per job: windows closed / rows emitted / late events, as one compact group.
std::string jobFigures(const PipelineFigures& figures) {
    std::string text;
    for (int i = 0; i < kJobCount; ++i) {
        const JobFigures& job = figures.jobs[static_cast<std::size_t>(i)];
        text += (i == 0 ? "" : " | ") + std::string(jobName(static_cast<JobId>(i))) + " " +
                groupThousands(job.windows_closed) + "w " + groupThousands(job.emitted_rows) +
                "r " + groupThousands(job.late) + " late" +
                (job.replayed == 0 ? "" : " " + groupThousands(job.replayed) + " replayed");
    }
    return text + " | alerts " + groupThousands(figures.alerts_raised);
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
                   const PipelineFigures& figures, bool paused) {
    const StreamCounts counts = streamCounts(generator, figures);
    std::string line = "[" + std::to_string(static_cast<long>(elapsed + 0.5)) + "s] " +
                       (paused ? "PAUSED | " : "") + groupThousands(events_per_second) +
                       " events/s | total " + groupThousands(consumed) + " | views " +
                       groupThousands(counts.views) + " carts " + groupThousands(counts.carts) +
                       " transactions " + groupThousands(counts.transactions);
    if (generator != nullptr) {
        line += " | anomalies " + groupThousands(generator->stats.anomalies()) + " | sim " +
                eventTime(generator->sim_time);
        // Thinned at the rate asked: only catching up, not limited.
        if (generator->thinned && generator->simulated_rate < generator->rate) {
            line += " | simulating " +
                    groupThousands(static_cast<std::uint64_t>(generator->simulated_rate)) +
                    " events/s of the " +
                    groupThousands(static_cast<std::uint64_t>(generator->rate)) +
                    " asked (this machine's limit)";
        }
        if (generator->behind_seconds >= 0.5) {
            char behind[64];
            std::snprintf(behind, sizeof behind, " | BEHIND by %.1f s (%s)",
                          generator->behind_seconds,
                          generator->thinned ? "catching up" : "machine cannot keep up");
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
    std::fprintf(
        out, "  events          %s in %.1f s (%s events/s)\n", groupThousands(consumed).c_str(),
        elapsed,
        groupThousands(static_cast<std::uint64_t>(consumed / std::max(elapsed, 1e-9))).c_str());
    std::fprintf(out, "  product views   %s (%s)\n", groupThousands(counts.views).c_str(),
                 percent(counts.views, counts.total()).c_str());
    std::fprintf(out, "  cart events     %s (%s)\n", groupThousands(counts.carts).c_str(),
                 percent(counts.carts, counts.total()).c_str());
    std::fprintf(out, "  transactions    %s (%s)\n", groupThousands(counts.transactions).c_str(),
                 percent(counts.transactions, counts.total()).c_str());
    if (generator == nullptr) {
        std::fprintf(out, "  event time      up to %s\n",
                     eventTime(figures.max_event_time).c_str());
    } else {
        const auto& stats = generator->stats;
        const auto carts_ended = stats.carts_checked_out + stats.carts_abandoned;
        std::fprintf(out,
                     "  anomalies       %s (%s of transactions: %s high value, %s high quantity)\n",
                     groupThousands(stats.anomalies()).c_str(),
                     percent(stats.anomalies(), counts.transactions).c_str(),
                     groupThousands(stats.high_value_anomalies).c_str(),
                     groupThousands(stats.high_quantity_anomalies).c_str());
        std::fprintf(out, "  carts           %s checked out, %s abandoned (%s abandoned)\n",
                     groupThousands(stats.carts_checked_out).c_str(),
                     groupThousands(stats.carts_abandoned).c_str(),
                     percent(stats.carts_abandoned, carts_ended).c_str());
        std::fprintf(out, "  simulated time  %s to %s\n", formatIsoTimestamp(start_time).c_str(),
                     formatIsoTimestamp(generator->sim_time).c_str());
        if (generator->reached_latest_time) {
            std::fprintf(out, "  end of time     the generator stopped at the end of year 9999, "
                              "the last time an event can carry\n");
        }
        if (generator->thinned_seconds > 0) {
            std::fprintf(
                out,
                "  thinned shop    thinned to what this machine delivers for %.0f s of "
                "the run; at the end simulating %s events/s of the %s asked%s\n",
                generator->thinned_seconds,
                groupThousands(static_cast<std::uint64_t>(generator->simulated_rate)).c_str(),
                groupThousands(static_cast<std::uint64_t>(generator->rate)).c_str(),
                generator->thinned && generator->simulated_rate < generator->rate
                    ? " (this machine's limit)"
                    : "");
        }
        if (generator->missed_events >= 1) {
            std::fprintf(
                out,
                "  shortfall       %s events asked for by the rate were not produced in time\n",
                groupThousands(static_cast<std::uint64_t>(generator->missed_events)).c_str());
        }
    }
    std::fprintf(out, "  pipeline        %d worker%s, %s rows, %s alerts (%s alert updates)\n",
                 workers, workers == 1 ? "" : "s", groupThousands(figures.rows).c_str(),
                 groupThousands(figures.alerts_raised).c_str(),
                 groupThousands(figures.alert_updates).c_str());
    for (int i = 0; i < kJobCount; ++i) {
        const JobFigures& job = figures.jobs[static_cast<std::size_t>(i)];
        std::fprintf(
            out, "    %-10s    %s received, %s windows closed, %s rows, %s late, %s rejected%s\n",
            std::string(jobName(static_cast<JobId>(i))).c_str(),
            groupThousands(job.received).c_str(), groupThousands(job.windows_closed).c_str(),
            groupThousands(job.emitted_rows).c_str(), groupThousands(job.late).c_str(),
            groupThousands(job.rejected).c_str(),
            job.replayed == 0 ? ""
                              : (", " + groupThousands(job.replayed) +
                                 " replayed (already written before a restart)")
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
void printServices(std::FILE* out, const Runtime& runtime) {
    const RuntimeServices services = runtime.services();
    if (services.database) {
        std::fprintf(out, "      %s\n", describeWriterStatus(services.database->writer).c_str());
    }
    if (services.kafka_in) {
        const KafkaSourceStatus& status = *services.kafka_in;
        std::fprintf(
            out,
            "      kafka in: %zu partitions%s, %s messages, %s accepted, %s duplicates, %s "
            "rejected, lag %s, %s offset commits%s%s\n",
            status.assigned_partitions,
            status.held ? " (held: paused)" : (status.paused ? " (paused: pipeline busy)" : ""),
            groupThousands(status.messages).c_str(), groupThousands(status.accepted).c_str(),
            groupThousands(status.duplicates).c_str(), groupThousands(status.dead_letters).c_str(),
            groupThousands(totalLag(services.kafka_lag)).c_str(),
            groupThousands(status.commits).c_str(), status.last_error.empty() ? "" : " | ",
            status.last_error.c_str());
    }
    if (services.group_member) {
        // This process writes no windowed rows itself: the counts above are its own, the
        // tables are the group's.
        const GroupMemberStatus& member = *services.group_member;
        std::fprintf(
            out,
            "      group member: %s partition commits, %s claims (%s resumed), %s "
            "fenced, %s retries, %s finalizer runs wrote %s rows%s%s%s\n",
            groupThousands(member.commits).c_str(), groupThousands(member.claims).c_str(),
            groupThousands(member.resumed).c_str(), groupThousands(member.fenced).c_str(),
            groupThousands(member.commit_retries).c_str(),
            groupThousands(member.finalizations).c_str(),
            groupThousands(member.finalized_rows).c_str(),
            member.stalled_partitions > 0 ? ", partitions stalled: " : "",
            member.stalled_partitions > 0 ? groupThousands(member.stalled_partitions).c_str() : "",
            member.last_error.empty() ? "" : (" | " + member.last_error).c_str());
    }
    if (services.kafka_out) {
        const DeliveryStatus& status = *services.kafka_out;
        std::fprintf(out,
                     "      kafka out: %s delivered (%s critical alerts), %s failed, %s in "
                     "flight%s%s\n",
                     groupThousands(status.delivered).c_str(),
                     groupThousands(services.critical_alerts_published).c_str(),
                     groupThousands(status.failed).c_str(),
                     groupThousands(status.in_flight).c_str(),
                     status.last_error.empty() ? "" : " | ", status.last_error.c_str());
    }
    std::fflush(out);
}

// While stop() writes what is buffered: how many rows remain, once a second, and how to leave.
class StopProgress {
public:
    StopProgress(std::FILE* out, const std::atomic<bool>& interrupted,
                 const std::atomic<bool>* interrupted_again)
        : out_(out), started_(Steady::now()),
          // A run that Ctrl+C ended gives up at the second one; a run that ended by itself at
          // the first.
          give_up_signal_(interrupted ? interrupted_again : &interrupted) {}

    void operator()(const WriterStatus& status) {
        if (give_up_signal_ != nullptr && *give_up_signal_ && !give_up_) {
            give_up_ = true;
            std::fprintf(out_, "  interrupted: leaving %s unwritten rows in the spill file\n",
                         groupThousands(status.buffered_rows).c_str());
            std::fflush(out_);
            return;
        }
        const auto now = Steady::now();
        if (!announced_) {
            announced_ = true;
            std::fprintf(out_,
                         "  %s rows still to write to PostgreSQL; Ctrl+C to stop writing and "
                         "leave them in %s (written at the next start)\n",
                         groupThousands(status.buffered_rows).c_str(),
                         status.spill_path.empty() ? "memory, where they are LOST"
                                                   : status.spill_path.c_str());
            next_line_ = now + std::chrono::seconds(1);
        } else if (now >= next_line_) {
            next_line_ += std::chrono::seconds(1);
            std::fprintf(out_, "  [%.0fs] %s rows remain | %s\n",
                         std::chrono::duration<double>(now - started_).count(),
                         groupThousands(status.buffered_rows).c_str(),
                         describeWriterStatus(status).c_str());
        }
        std::fflush(out_);
    }
    const std::atomic<bool>& giveUp() const { return give_up_; }

private:
    std::FILE* out_;
    Steady::time_point started_;
    Steady::time_point next_line_;
    const std::atomic<bool>* give_up_signal_; // null: only the timeout ends the writing
    std::atomic<bool> give_up_{false};
    bool announced_ = false;
};

// What became of the rows for PostgreSQL, every count from the writer's own figures. Returns
// true when every row was persisted.
// What became of the rows meant for the database; the exit code is decided by assessRun.
// `events` and `seconds`: the run's events and the time from its start until the writer had
// committed them all (the summary's events/s is over the run alone: rows buffered for the writer
// are committed while stopping).
void printPersistence(std::FILE* out, const Runtime& runtime, std::uint64_t events,
                      double seconds) {
    const auto database = runtime.services().database;
    if (!database) {
        return;
    }
    const WriterStatus& status = database->writer;
    const std::uint64_t refused = runtime.rowsRefusedByWriter();
    std::fprintf(out, "  database        %s rows written",
                 groupThousands(status.rows_written).c_str());
    if (status.rows_from_earlier_run > 0) {
        std::fprintf(out, " (%s of them left by an earlier run)",
                     groupThousands(status.rows_from_earlier_run).c_str());
    }
    std::fprintf(out, ", %s refused by the server\n", groupThousands(status.rows_failed).c_str());
    if (status.spilled_rows > 0) {
        std::fprintf(out, "  NOT WRITTEN     %s rows spilled to %s, written at next start\n",
                     groupThousands(status.spilled_rows).c_str(), status.spill_path.c_str());
    }
    if (status.spilled_rows == 0 && status.rows_failed == 0 &&
        status.rows_abandoned + refused == 0 && events > 0) {
        std::fprintf(
            out, "  end to end      every row committed %.1f s after the start (%s events/s)\n",
            seconds,
            groupThousands(static_cast<std::uint64_t>(events / std::max(seconds, 1e-9))).c_str());
    }
    if (status.rows_abandoned + refused > 0) {
        std::fprintf(out, "  LOST            %s rows could be neither written nor spilled%s%s\n",
                     groupThousands(status.rows_abandoned + refused).c_str(),
                     status.spill_problem.empty() ? "" : ": ", status.spill_problem.c_str());
    } else if (!status.spill_problem.empty()) {
        std::fprintf(out, "  spill file      %s\n", status.spill_problem.c_str());
    }
    std::fflush(out);
}

} // namespace

int runHeadless(const RunOptions& options, std::FILE* out, const std::atomic<bool>& interrupted,
                const std::atomic<bool>* interrupted_again) {
    const auto build_start = Steady::now();
    // Declared before the runtime: the pipeline thread hands it alerts until the runtime is gone.
    RunOptions run_options = options;
    const std::unique_ptr<WebhookNotifier> webhook = startWebhook(run_options);
    Runtime runtime(runtimeOptions(run_options));
    if (auto problem = runtime.prepare()) {
        std::fprintf(stderr, "globalmart: %s\n", problem->c_str());
        return kExitBadConfiguration;
    }
    // Declared after the runtime: destroyed (its thread joined) before the runtime is.
    RunSlot http_slot;
    auto http = startHttp(options, http_slot, webhook.get());
    if (const auto* problem = std::get_if<std::string>(&http)) {
        std::fprintf(stderr, "globalmart: %s\n", problem->c_str());
        return kExitBadConfiguration;
    }
    const std::unique_ptr<HttpService>& http_service = std::get<0>(http);
    const double build_seconds = std::chrono::duration<double>(Steady::now() - build_start).count();
    const Catalog& catalog = runtime.catalog();
    const int workers = runtime.pipeline().config().workers;
    if (runtime.consumesKafka()) {
        // The rate, speed and seed are the generator's; a consumer reads what the topics hold.
        const KafkaSettings& kafka = runtime.options().kafka;
        std::fprintf(out,
                     "GlobalMart Monitor (headless): consuming %s, %s, %s from %s as group '%s'; "
                     "catalog of %s users, %s products (seed %llu), ready in %.2f s, %d pipeline "
                     "worker%s\n",
                     kafka.topics.transactions.c_str(), kafka.topics.cart_events.c_str(),
                     kafka.topics.product_views.c_str(), kafka.brokers.c_str(), kafka.group.c_str(),
                     groupThousands(catalog.userCount()).c_str(),
                     groupThousands(catalog.productCount()).c_str(),
                     static_cast<unsigned long long>(options.simulator.seed), build_seconds,
                     workers, workers == 1 ? "" : "s");
    } else {
        std::fprintf(out,
                     "GlobalMart Monitor (headless): %s users, %s products, ready in %.2f s, "
                     "rate %s events/s, x%g%s, seed %llu, %d pipeline worker%s\n",
                     groupThousands(catalog.userCount()).c_str(),
                     groupThousands(catalog.productCount()).c_str(), build_seconds,
                     groupThousands(static_cast<std::uint64_t>(options.generator.rate)).c_str(),
                     options.generator.acceleration,
                     options.generator.max_speed ? " (max speed)" : "",
                     static_cast<unsigned long long>(options.simulator.seed), workers,
                     workers == 1 ? "" : "s");
    }
    for (const std::string& note : runtime.notes()) {
        std::fprintf(out, "  %s\n", note.c_str());
    }
    if (!options.out_dir.empty()) {
        std::fprintf(out, "  CSV tables in %s\n", options.out_dir.c_str());
    }
    if (http_service) {
        std::fprintf(out, "  HTTP server on %s (/metrics, /health, /api/v1/)%s\n",
                     http_service->url().c_str(),
                     options.api_key_file.empty() ? "" : ", API keys required");
    }
    if (webhook) {
        // Not the URL itself: a webhook URL often holds its secret (Slack's do).
        std::fputs("  new alerts are posted to the --webhook URL\n", out);
    }
    std::fflush(out);

    const auto started = Steady::now();
    runtime.start();
    // The server reads the run from now until the stop begins; it never sees it torn down.
    RunCommands commands;
    // Pause holds the generator and simulated time, or the Kafka partitions (Runtime::pause).
    commands.pause = [&runtime] { runtime.pause(); };
    commands.resume = [&runtime] { runtime.resume(); };
    if (GeneratorRunner* generator = runtime.generator()) {
        // The generator takes commands from any thread.
        commands.set_rate = [generator](double rate) { generator->setRate(rate); };
    }
    http_slot.set(std::shared_ptr<Runtime>(&runtime, [](Runtime*) {}), std::move(commands));
    auto next_report = started + std::chrono::seconds(1);
    std::uint64_t last_events = 0;
    auto last_time = started;
    g_suspend_requested = false;
    std::signal(SIGTSTP, onSuspendSignal);
    while (!interrupted) {
        std::this_thread::sleep_until(
            std::min(next_report, Steady::now() + std::chrono::milliseconds(50)));
        if (g_suspend_requested.exchange(false)) {
            suspendPaused(out, runtime);
        }
        const auto now = Steady::now();
        const double elapsed = std::chrono::duration<double>(now - started).count();
        const std::optional<GeneratorStatus> status =
            runtime.generator() ? std::optional(runtime.generator()->status()) : std::nullopt;
        if (now >= next_report) {
            const PipelineFigures figures = runtime.pipeline().counters().figures();
            const std::uint64_t consumed = figures.events;
            const double span = std::chrono::duration<double>(now - last_time).count();
            printProgress(out, elapsed, static_cast<std::uint64_t>((consumed - last_events) / span),
                          status ? &*status : nullptr, consumed, figures, runtime.paused());
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
        if (auto failure = runtime.outputFailure()) {
            std::fprintf(out, "Output failed: %s\n", failure->c_str());
            break;
        }
    }
    // From here on Ctrl+Z stops the process as usual: there is no run left to pause.
    std::signal(SIGTSTP, SIG_DFL);
    // Stopping ends the source: the pipeline drains what is queued, flushes every open window,
    // and the writer commits everything before the summary.
    std::fprintf(out, "Stopping: flushing open windows%s...\n",
                 runtime.persists() ? " and writing buffered rows to PostgreSQL" : "");
    std::fflush(out);
    // The rate is over the run itself; draining, flushing and writing come after, timed apart.
    const auto stopping = Steady::now();
    http_slot.clear();
    StopProgress progress(out, interrupted, interrupted_again);
    StopOptions stop_options;
    stop_options.write_timeout =
        std::chrono::milliseconds(static_cast<std::int64_t>(options.stop_timeout_seconds * 1000));
    stop_options.progress = [&progress](const WriterStatus& status) { progress(status); };
    stop_options.give_up = &progress.giveUp();
    runtime.stop(stop_options);
    const double elapsed = std::chrono::duration<double>(stopping - started).count();
    const double stop_seconds = std::chrono::duration<double>(Steady::now() - stopping).count();
    std::fprintf(out, "Stopped in %.1f s\n", stop_seconds);
    const PipelineFigures figures = runtime.pipeline().counters().figures();
    const std::optional<GeneratorStatus> generated =
        runtime.generator() ? std::optional(runtime.generator()->status()) : std::nullopt;
    // The runtime's start, not the option's: a run that continues the stored history starts
    // where it ends.
    printSummary(out, elapsed, generated ? &*generated : nullptr, figures.events,
                 runtime.options().start_time, figures, runtime.pipeline().config().workers);
    printServices(out, runtime);
    printPersistence(out, runtime, figures.events, elapsed + stop_seconds);
    if (webhook) {
        // Alerts of the final flush get a few seconds to go out; what is left is counted.
        std::fprintf(out, "%s\n", finishWebhook(*webhook, std::chrono::seconds(5)).c_str());
    }
    const RunOutcome outcome = assessRun(runtime);
    for (const std::string& problem : outcome.problems) {
        std::fprintf(stderr, "globalmart: %s\n", problem.c_str());
    }
    return outcome.exitCode();
}

} // namespace gm
