// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/runtime/backfill_run.h"

#include "pipeline/runtime/output_losses.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace gm {

double BackfillProgress::fraction() const {
    if (to <= from) {
        return 1;
    }
    return std::clamp(static_cast<double>(simulated - from) / static_cast<double>(to - from), 0.0,
                      1.0);
}

BackfillResult runBackfill(const RuntimeOptions& options, TimestampUs end, BackfillControl& control,
                           const std::function<void(const BackfillProgress&)>& progress) {
    using Clock = std::chrono::steady_clock;
    constexpr auto kReportEvery = std::chrono::milliseconds(200);
    const auto started = Clock::now();
    BackfillResult result;
    Runtime runtime(options);
    if (auto refused = runtime.prepare()) {
        result.refused = std::move(refused);
        return result;
    }
    result.notes = runtime.notes();
    // prepare() may move the start (a database whose history ends later); the span is the run's.
    result.from = runtime.options().start_time;
    GeneratorRunner* generator = runtime.generator();
    if (generator == nullptr) {
        result.refused = "a backfill simulates the shop, but this run reads its events from Kafka";
        return result;
    }
    BackfillProgress report;
    report.from = result.from;
    report.to = end;
    runtime.start();
    while (true) {
        std::this_thread::sleep_for(kReportEvery);
        const GeneratorStatus status = generator->status();
        report.simulated = std::min(status.sim_time, end);
        report.events = status.stats.events;
        progress(report);
        if (control.cancel || status.finished || runtime.finished() || status.sim_time >= end ||
            runtime.outputFailure()) {
            break;
        }
    }
    result.cancelled = control.cancel;
    report.phase = BackfillProgress::Phase::Writing;
    StopOptions stop;
    // No time limit: the dialog lets the user leave the rest in the spill file instead.
    stop.write_timeout = std::chrono::hours(24);
    stop.give_up = &control.leave_spilled;
    stop.progress = [&](const WriterStatus& writer) {
        report.rows_to_write = writer.buffered_rows;
        progress(report);
    };
    runtime.stop(stop);
    // What the pipeline received, not what the generator made: those are the events stored.
    const PipelineFigures figures = runtime.pipeline().counters().figures();
    result.events = figures.events;
    result.orders = figures.jobs[static_cast<int>(JobId::Sales)].received;
    result.reached = figures.max_event_time == kNoWatermark ? result.from
                                                            : std::min(figures.max_event_time, end);
    if (const auto database = runtime.services().database) {
        result.persisted = true;
        result.rows_written = database->writer.rows_written;
    }
    result.losses = outputLosses(runtime);
    result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    return result;
}

} // namespace gm
