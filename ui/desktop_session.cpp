// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/desktop_session.h"

#include "pipeline/runtime/backfill_plan.h"
#include "pipeline/runtime/runtime.h"

#include <QCoreApplication>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <atomic>
#include <mutex>

namespace gm {

QString runStateText(RunState state) {
    switch (state) {
    case RunState::Idle:
        return QObject::tr("Stopped");
    case RunState::Starting:
        return QObject::tr("Starting…");
    case RunState::Running:
        return QObject::tr("Running");
    case RunState::Paused:
        return QObject::tr("Paused");
    case RunState::Stopping:
        return QObject::tr("Stopping…");
    }
    return {};
}

// What the worker that stops a run reports while it writes the rows left for PostgreSQL, and
// the user's "leave them spilled".
struct DesktopSession::StopWatch {
    std::atomic<bool> give_up{false};
    mutable std::mutex mutex;
    std::optional<WriterStatus> writer; // latest, then final
};

namespace {

// The runtime of a window run: the run options with the pipeline settings from Settings (the
// worker count the command line gave wins), starting now unless a start time was given.
RuntimeOptions windowRuntimeOptions(const RunOptions& options, const PipelineConfig& config) {
    RuntimeOptions runtime_options = runtimeOptions(options);
    const int workers = runtime_options.pipeline.workers;
    runtime_options.pipeline = config;
    if (options.workers > 0) {
        runtime_options.pipeline.workers = workers;
    }
    if (runtime_options.start_time == 0) {
        runtime_options.start_time = wallClockNow();
    }
    return runtime_options;
}

} // namespace

struct DesktopSession::Run {
    Run(const RunOptions& options, const PipelineConfig& config)
        : runtime(windowRuntimeOptions(options, config)) {
        error = runtime.prepare();
        if (!error) {
            products = runtime.products();
        }
    }
    // The catalog, database, Kafka clients and pipeline of one run (pipeline/runtime/runtime.h).
    Runtime runtime;
    std::optional<std::string> error;
    std::shared_ptr<const ProductTable> products;

    SnapshotPtr finish() {
        runtime.stop();
        return error ? SnapshotPtr() : runtime.pipeline().snapshot();
    }
    // Stop with the window watching: writes until done or given up (no timeout: the dialog
    // lets the user leave the rows spilled), then reports the writer's final status.
    SnapshotPtr finish(StopWatch& watch) {
        StopOptions options;
        options.write_timeout = std::chrono::hours(24);
        options.give_up = &watch.give_up;
        options.progress = [&watch](const WriterStatus& status) {
            std::lock_guard lock(watch.mutex);
            watch.writer = status;
        };
        runtime.stop(options);
        if (const auto database = runtime.services().database) {
            std::lock_guard lock(watch.mutex);
            watch.writer = database->writer;
        }
        return error ? SnapshotPtr() : runtime.pipeline().snapshot();
    }
};

DesktopSession::DesktopSession(const RunOptions& options, QObject* parent)
    : QObject(parent), options_(options), command_line_(options) {
    connect(&build_watcher_, &QFutureWatcher<std::shared_ptr<Run>>::finished, this,
            &DesktopSession::onBuilt);
    connect(&stop_watcher_, &QFutureWatcher<SnapshotPtr>::finished, this,
            &DesktopSession::onStopped);
}

DesktopSession::~DesktopSession() {
    if (run_slot_ != nullptr) {
        run_slot_->clear();
    }
    // Closing while a stop writes the last rows: nobody is left to wait for, so they stay in
    // the spill file (written at the next start) rather than holding the exit.
    leaveUnwrittenRowsSpilled();
    build_watcher_.waitForFinished();
    stop_watcher_.waitForFinished();
    if (state_ == RunState::Starting && build_watcher_.future().resultCount() > 0) {
        build_watcher_.result()->finish();
    }
    if (run_) {
        run_->finish();
    }
}

RunCommands DesktopSession::remoteCommands() {
    // Called on the HTTP thread; carried out on this session's thread, through the same slots
    // as the window's controls, and only while the session still exists.
    const QPointer<DesktopSession> self(this);
    const auto later = [self](std::function<void(DesktopSession&)> action) {
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, action = std::move(action)] {
                if (self) {
                    action(*self);
                }
            },
            Qt::QueuedConnection);
    };
    RunCommands commands;
    commands.pause = [later] { later([](DesktopSession& session) { session.pause(); }); };
    commands.resume = [later] { later([](DesktopSession& session) { session.resume(); }); };
    commands.set_rate = [later](double rate) {
        later([rate](DesktopSession& session) {
            session.setRate(rate);
            emit session.rateSetRemotely(rate);
        });
    };
    commands.acknowledged = [later](std::uint64_t alert_id) {
        later([alert_id](DesktopSession& session) {
            emit session.alertAcknowledgedRemotely(alert_id);
        });
    };
    return commands;
}

void DesktopSession::setState(RunState state) {
    if (state_ != state) {
        state_ = state;
        emit stateChanged(state);
    }
}

SnapshotPtr DesktopSession::snapshot() const {
    if (run_) {
        return run_->runtime.pipeline().snapshot();
    }
    return last_snapshot_;
}

std::optional<GeneratorStatus> DesktopSession::generatorStatus() const {
    if (run_ && run_->runtime.generator()) {
        return run_->runtime.generator()->status();
    }
    return std::nullopt;
}

std::pair<std::size_t, std::size_t> DesktopSession::queueDepth() const {
    if (run_) {
        return {run_->runtime.queuedBatches(), run_->runtime.queueCapacity()};
    }
    return {0, 0};
}

void DesktopSession::start() {
    if (state_ != RunState::Idle) {
        return;
    }
    stop_requested_ = false;
    if (!first_start_) {
        // A restart continues at the present (or where the stored history ends, if later), not
        // at the first run's start time, which the first run's rows already cover.
        if (!options_.generator.max_speed) {
            options_.start_time = wallClockNow();
        }
        options_.start_option.clear();
    }
    first_start_ = false;
    setState(RunState::Starting);
    const RunOptions options = options_;
    PipelineConfig config = pipeline_config_;
    // Snapshots carry the newest N rows per table; a trending window has a row per viewed
    // product, so N must hold a whole window for the ranking to be complete.
    config.recent_rows_per_table = std::max<std::size_t>(
        config.recent_rows_per_table, std::min<std::size_t>(options.catalog.products + 200, 5000));
    pipeline_config_.recent_rows_per_table = config.recent_rows_per_table;
    build_watcher_.setFuture(
        QtConcurrent::run([options, config] { return std::make_shared<Run>(options, config); }));
}

void DesktopSession::onBuilt() {
    if (state_ != RunState::Starting || build_watcher_.future().resultCount() == 0) {
        return;
    }
    std::shared_ptr<Run> run = build_watcher_.result();
    build_watcher_.setFuture(QFuture<std::shared_ptr<Run>>());
    if (run->error) {
        // Close what was set up (an embedded database, say) off the UI thread.
        const QString message = QString::fromStdString(*run->error);
        setState(RunState::Stopping);
        stop_watcher_.setFuture(QtConcurrent::run([run = std::move(run)]() mutable {
            run.reset();
            return SnapshotPtr();
        }));
        emit notice(tr("Cannot start: %1").arg(message));
        return;
    }
    products_ = run->products;
    run_ = std::move(run);
    // The runtime may have moved the start to where the stored history ends: the pages judge
    // the first minute (partial or full) against the start the run really has.
    options_.start_time = run_->runtime.options().start_time;
    for (const std::string& note : run_->runtime.notes()) {
        emit notice(QString::fromStdString(note));
    }
    run_->runtime.start();
    if (run_slot_ != nullptr) {
        run_slot_->set(std::shared_ptr<Runtime>(run_, &run_->runtime), remoteCommands());
    }
    setState(RunState::Running);
    emit runStarted();
    if (stop_requested_) {
        stop();
    }
}

void DesktopSession::stop() {
    if (state_ == RunState::Starting) {
        stop_requested_ = true;
        return;
    }
    if (state_ != RunState::Running && state_ != RunState::Paused) {
        return;
    }
    if (run_slot_ != nullptr) {
        run_slot_->clear(); // before the stop: the server never reads a run being torn down
    }
    last_snapshot_ = run_->runtime.pipeline().snapshot();
    std::shared_ptr<Run> run = std::move(run_);
    stop_watch_ = std::make_shared<StopWatch>();
    if (const auto database = run->runtime.services().database) {
        stop_watch_->writer = database->writer;
    }
    setState(RunState::Stopping);
    // The worker drops the last reference, so the threads are joined and freed off the UI thread.
    stop_watcher_.setFuture(
        QtConcurrent::run([run = std::move(run), watch = stop_watch_]() mutable {
            SnapshotPtr last = run->finish(*watch);
            run.reset();
            return last;
        }));
}

void DesktopSession::onStopped() {
    if (state_ != RunState::Stopping || stop_watcher_.future().resultCount() == 0) {
        return;
    }
    if (SnapshotPtr last = stop_watcher_.result()) {
        last_snapshot_ = std::move(last);
    }
    stop_watcher_.setFuture(QFuture<SnapshotPtr>());
    if (const auto writer = unwrittenRows()) {
        if (writer->spilled_rows > 0) {
            emit notice(tr("%1 rows spilled to %2, written at next start")
                            .arg(writer->spilled_rows)
                            .arg(QString::fromStdString(writer->spill_path)));
        }
        if (writer->rows_abandoned > 0) {
            emit notice(tr("%1 rows could be neither written nor spilled: lost (%2)")
                            .arg(writer->rows_abandoned)
                            .arg(QString::fromStdString(writer->spill_problem)));
        }
    }
    stop_watch_.reset();
    setState(RunState::Idle);
}

std::optional<WriterStatus> DesktopSession::unwrittenRows() const {
    if (!stop_watch_) {
        return std::nullopt;
    }
    std::lock_guard lock(stop_watch_->mutex);
    return stop_watch_->writer;
}

void DesktopSession::leaveUnwrittenRowsSpilled() {
    if (stop_watch_) {
        stop_watch_->give_up = true;
    }
}

void DesktopSession::pause() {
    if (state_ == RunState::Running) {
        run_->runtime.pause(); // generator and simulated time, or the Kafka partitions
        setState(RunState::Paused);
    }
}

void DesktopSession::resume() {
    if (state_ == RunState::Paused) {
        run_->runtime.resume();
        setState(RunState::Running);
    }
}

void DesktopSession::setRate(double events_per_second) {
    options_.generator.rate = events_per_second;
    if (run_ && run_->runtime.generator()) {
        run_->runtime.generator()->setRate(events_per_second);
    }
}

void DesktopSession::setAcceleration(double acceleration) {
    options_.generator.acceleration = acceleration;
    if (run_ && run_->runtime.generator()) {
        run_->runtime.generator()->setAcceleration(acceleration);
    }
}

void DesktopSession::setViewShare(double share) {
    options_.simulator.view_share = share;
    if (run_ && run_->runtime.generator()) {
        run_->runtime.generator()->setViewShare(share);
    }
}

void DesktopSession::setAnomalyRate(double rate) {
    options_.simulator.anomaly_rate = rate;
    if (run_ && run_->runtime.generator()) {
        run_->runtime.generator()->setAnomalyRate(rate);
    }
}

void DesktopSession::setSeed(quint64 seed) {
    options_.simulator.seed = seed;
}

std::optional<RuntimeOptions> DesktopSession::backfillOptions(const BackfillRequest& request,
                                                              TimestampUs end) const {
    if (!options_.persist || options_.kafka.consume) {
        return std::nullopt;
    }
    RunOptions options = options_;
    options.catalog.users = request.users;
    options.catalog.products = request.products;
    options.generator.acceleration = 1;
    planBackfill(options, request.days, end, false, false);
    options.start_option = "Backfill";
    options.overwrite_history = request.overwrite_history;
    RuntimeOptions runtime = windowRuntimeOptions(options, pipeline_config_);
    runtime.overwrite_option = "\"Write over the stored history\"";
    return runtime;
}

bool DesktopSession::consumesKafka() const {
    return run_ ? run_->runtime.consumesKafka() : options_.kafka.consume;
}

std::optional<std::uint64_t> DesktopSession::kafkaMessagesRead() const {
    if (!run_) {
        return std::nullopt;
    }
    const std::optional<KafkaSourceStatus> status = run_->runtime.services().kafka_in;
    if (!status) {
        return std::nullopt;
    }
    return status->messages;
}

std::optional<bool> DesktopSession::runPersists() const {
    if (!run_) {
        return std::nullopt;
    }
    return run_->runtime.persists();
}

DesktopSession::Services DesktopSession::services() const {
    Services services;
    if (!run_) {
        return services;
    }
    RuntimeServices current = run_->runtime.services();
    if (current.database) {
        services.database = std::move(current.database->description);
        services.writer = std::move(current.database->writer);
    }
    services.kafka_in = std::move(current.kafka_in);
    services.kafka_lag = std::move(current.kafka_lag);
    services.kafka_out = std::move(current.kafka_out);
    services.kafka_brokers = std::move(current.kafka_brokers);
    return services;
}

std::optional<AlertAcknowledger> DesktopSession::alertAcknowledger() const {
    if (run_ == nullptr) {
        return std::nullopt;
    }
    return run_->runtime.alertAcknowledger();
}

std::optional<std::uint64_t> DesktopSession::eventsProcessed() const {
    if (run_ == nullptr) {
        return std::nullopt;
    }
    return run_->runtime.pipeline().counters().events.load();
}

std::optional<QString> DesktopSession::setConnections(const AppSettings& settings) {
    if (!command_line_.database_url) {
        options_.database_url =
            settings.database_uri.isEmpty()
                ? std::nullopt
                : std::optional<std::string>(settings.database_uri.toStdString());
    }
    if (!command_line_.warehouse_database_url) {
        options_.warehouse_database_url =
            settings.warehouse_database_uri.isEmpty()
                ? std::nullopt
                : std::optional<std::string>(settings.warehouse_database_uri.toStdString());
    }
    const KafkaSettings& given = command_line_.kafka;
    const bool kafka_on_command_line =
        given.consume || given.publish || given.embedded || !given.brokers.empty();
    if (kafka_on_command_line) {
        return std::nullopt;
    }
    // From what was given each time, so a choice cleared in Settings is cleared here too; the
    // command line's other Kafka options (compression, -X, ...) still apply.
    options_.kafka = given;
    if (auto problem = kafkaSettingsFrom(settings, options_.kafka)) {
        return QString::fromStdString(problem->message);
    }
    return std::nullopt;
}

} // namespace gm
