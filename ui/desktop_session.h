// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/app_settings.h"
#include "pipeline/kafka/kafka_status.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/pipeline_snapshot.h"
#include "pipeline/postgres/alert_acknowledger.h"
#include "pipeline/postgres/writer_status.h"
#include "pipeline/product_table.h"
#include "pipeline/runtime/run_options.h"
#include "pipeline/runtime/run_slot.h"

#include <QFutureWatcher>
#include <QObject>
#include <memory>
#include <optional>

namespace gm {

enum class RunState { Idle, Starting, Running, Paused, Stopping };
QString runStateText(RunState state);

// One simulated shop run as the window sees it: catalog -> GeneratorRunner -> Pipeline, built
// from the same RunOptions as the headless run. Building (the catalog can take seconds) and
// stopping (the final flush) happen on a worker thread, so the UI thread never waits; commands
// (rate, pause, ...) go straight to the generator and take effect at its next batch.
class DesktopSession : public QObject {
    Q_OBJECT
public:
    explicit DesktopSession(const RunOptions& options, QObject* parent = nullptr);
    ~DesktopSession() override; // stops a running shop and waits for it

    RunState state() const { return state_; }
    // Every run, once started and until its stop begins, is put in `slot` (the HTTP server's
    // view of the run); null: none. Set before the first start; the slot must outlive this.
    void publishRunsTo(RunSlot* slot) { run_slot_ = slot; }
    // Options for the next start, with the live values the controls last set.
    const RunOptions& options() const { return options_; }
    // Database and Kafka from Settings, applied on the next start. What the command line set
    // takes precedence: --db (or PG*) over the URI, and any of --source kafka, --publish,
    // --brokers, --embedded-kafka over all the Kafka settings. Returns why the Kafka settings
    // cannot be used (only possible for a store edited outside the dialog, which checks them with
    // the same kafkaSettingsFrom()); Kafka then stays as the command line left it.
    std::optional<QString> setConnections(const AppSettings& settings);
    // Applied on the next start (thresholds and windows from Settings).
    void setPipelineConfig(const PipelineConfig& config) { pipeline_config_ = config; }
    const PipelineConfig& pipelineConfig() const { return pipeline_config_; }

    // Latest snapshot (the final one after a stop); null before the first start.
    SnapshotPtr snapshot() const;
    // Generator figures (a copy, taken under the generator's short status lock).
    std::optional<GeneratorStatus> generatorStatus() const;
    // Batches waiting between generator and pipeline, and the queue's capacity (0, 0 when idle).
    std::pair<std::size_t, std::size_t> queueDepth() const;
    // PostgreSQL and Kafka as the running shop uses them (copies, safe on the UI thread).
    struct Services {
        std::string database; // empty: not persisting
        std::optional<WriterStatus> writer;
        std::optional<KafkaSourceStatus> kafka_in;
        std::vector<PartitionLag> kafka_lag;
        std::optional<DeliveryStatus> kafka_out;
        std::string kafka_brokers;
    };
    Services services() const;
    // Whether the current run keeps its rows in a database: false when it runs in memory, also
    // when it was configured with one that could not be used at start (e.g. the embedded
    // cluster did not start); nothing between runs.
    std::optional<bool> runPersists() const;
    // Writes alert acknowledgements to the current run's database; nothing without one.
    std::optional<AlertAcknowledger> alertAcknowledger() const;
    // Events the pipeline has processed, read live from its counters (a snapshot can be a
    // batch behind while the pipeline works through a long queue); nothing between runs.
    std::optional<std::uint64_t> eventsProcessed() const;
    // True when the events of the current run (or, between runs, of the next) come from Kafka:
    // the generator's controls then have nothing to act on.
    bool consumesKafka() const;
    // What the Backfill dialog asks for: days of history ending now, generated for a shop of
    // this size.
    struct BackfillRequest {
        int days = 30;
        std::uint32_t users = 10'000;
        std::uint32_t products = 1'000;
        bool overwrite_history = false;
    };
    // The runtime of a backfill ending at `end` into this window's database, with its Settings
    // (database, thresholds, Kafka publishing); nothing when there is nothing to backfill into
    // (--no-db) or events come from Kafka rather than the simulator.
    std::optional<RuntimeOptions> backfillOptions(const BackfillRequest& request,
                                                  TimestampUs end) const;
    // Messages the current run's Kafka consumer has read; nothing when it has none.
    std::optional<std::uint64_t> kafkaMessagesRead() const;
    // Product names and prices of the running (or last) catalog; null before the first start.
    std::shared_ptr<const ProductTable> products() const { return products_; }
    // While a stop writes the rows PostgreSQL has not taken yet: the writer's latest status
    // (buffered_rows remain, spill_path is where they go if left). Nothing when not persisting
    // or no stop is under way.
    std::optional<WriterStatus> unwrittenRows() const;

public slots:
    void start();
    void stop();
    void pause();
    void resume();
    void setRate(double events_per_second);
    void setAcceleration(double acceleration);
    void setViewShare(double share);
    void setAnomalyRate(double rate);
    void setSeed(quint64 seed); // next start
    // During a stop: stop writing, leave the unwritten rows in the spill file (written at the
    // next start).
    void leaveUnwrittenRowsSpilled();

signals:
    void stateChanged(gm::RunState state);
    // A new run began: pages clear their history.
    void runStarted();
    // One line for the status bar: a warning from start-up (e.g. "running in memory") or why a
    // start failed.
    void notice(const QString& text);
    // The HTTP API set the generator's rate (the controls follow) or stored an acknowledgement
    // (the Alerts page shows it).
    void rateSetRemotely(double events_per_second);
    void alertAcknowledgedRemotely(quint64 alert_id);

private:
    struct Run;
    struct StopWatch;
    void setState(RunState state);
    RunCommands remoteCommands();
    void onBuilt();
    void onStopped();

    RunOptions options_;
    const RunOptions command_line_; // as given at launch: what Settings must not override
    PipelineConfig pipeline_config_;
    RunState state_ = RunState::Idle;
    bool stop_requested_ = false;
    bool first_start_ = true;
    std::shared_ptr<Run> run_;
    RunSlot* run_slot_ = nullptr;
    std::shared_ptr<const ProductTable> products_;
    SnapshotPtr last_snapshot_;
    QFutureWatcher<std::shared_ptr<Run>> build_watcher_;
    QFutureWatcher<SnapshotPtr> stop_watcher_;
    std::shared_ptr<StopWatch> stop_watch_; // shared with the stopping worker
};

} // namespace gm
