// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/catalog.h"
#include "generator/generator_runner.h"
#include "generator/simulation_clock.h"
#include "generator/simulator.h"
#include "pipeline/kafka/kafka_settings.h"
#include "pipeline/kafka/kafka_status.h"
#include "pipeline/pipeline.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/postgres/alert_acknowledger.h"
#include "pipeline/postgres/persistence_options.h"
#include "pipeline/postgres/relation_page_reader.h"
#include "pipeline/postgres/writer_status.h"
#include "pipeline/product_table.h"
#include "pipeline/runtime/group_member_status.h"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

// The one header through which the window and the headless run drive a run. It shows plain
// option and status structs only: no librdkafka, libpq or libpqxx header is reachable from here
// (tests/architecture checks that for every file of ui/ and models/).
namespace gm {

class RuntimeImpl;

// What a run is made of, whoever starts it (the headless command line or the window).
struct RuntimeOptions {
    CatalogConfig catalog;
    SimulatorConfig simulator;
    GeneratorSettings generator;
    TimestampUs start_time = 0;
    // One timeline per database: a generator run never writes event times an earlier run wrote.
    // With start_option empty (start_time is the default, "now") a run against a database whose
    // stored history ends later starts where it ends. A start_time the user chose (start_option
    // names the option, for the message) before that end is refused by prepare(), unless
    // overwrite_history.
    std::string start_option;
    bool overwrite_history = false;
    // How the user asks for overwrite_history, for the refusal ("--overwrite-history" on the
    // command line, a check box in the window).
    std::string overwrite_option = "--overwrite-history";
    PipelineConfig pipeline;
    std::string out_dir; // CSV tables; empty: none
    bool persist = true; // --no-db: false
    PersistenceOptions persistence;
    // --warehouse-db: the warehouse lives in this database instead of schema "warehouse" of the
    // run's database (what `--run-batch --warehouse-db` built). Read even without persistence.
    std::optional<std::string> warehouse_database_url;
    KafkaSettings kafka;
    // --reset-progress: forget this consumer group's progress marks before resuming.
    bool reset_progress = false;
    // Sees every batch of rows the pipeline emits, on the pipeline thread, after the other
    // sinks (the alert webhook). It must return at once: the pipeline waits for it.
    std::function<void(const RowBatch&)> row_observer;
};

// How stop() treats rows the database has not taken yet.
struct StopOptions {
    // Keep writing them this long, then leave the rest in the writer's spill file (written at
    // the next start).
    std::chrono::milliseconds write_timeout{10'000};
    // Called about five times a second while rows remain to be written (not on the caller's
    // thread if stop() runs on a worker).
    std::function<void(const WriterStatus&)> progress;
    // Becomes true (a second Ctrl+C, the window's "leave them spilled") to stop writing at once.
    const std::atomic<bool>* give_up = nullptr;
};

// The database and Kafka clients of a run as they are now; each part is empty when the run
// does not use that service.
struct RuntimeServices {
    struct Database {
        std::string description; // "embedded PostgreSQL in …" or the redacted URL
        WriterStatus writer;
    };
    std::optional<Database> database;
    std::optional<KafkaSourceStatus> kafka_in;
    std::vector<PartitionLag> kafka_lag; // consumer partitions, in assignment order
    std::optional<DeliveryStatus> kafka_out;
    std::uint64_t critical_alerts_published = 0;
    std::string kafka_brokers; // the embedded broker's address, else the configured one
    std::optional<GroupMemberStatus> group_member; // --group-member only
};

// The running system: catalog, simulation clock, the source (generator or Kafka consumer, with
// Kafka publishing and raw-event persistence layered on it), the pipeline and its sinks
// (PostgreSQL, CSV). The UI and the headless run only read its status and send it commands.
class Runtime {
public:
    explicit Runtime(RuntimeOptions options);
    ~Runtime();
    Runtime(const Runtime&) = delete;
    Runtime& operator=(const Runtime&) = delete;

    // Builds everything and connects to what is configured. Returns a one-line error for a
    // configuration that cannot work (the command line exits with 2); warnings that do not stop
    // the run (e.g. "running in memory") are in notes().
    std::optional<std::string> prepare();
    const std::vector<std::string>& notes() const;

    // Starts the source and the pipeline; with a Kafka source also a housekeeping thread that
    // twice a second stores bad messages in rejected_events and commits the offsets of events
    // whose rows are durable, so that the window and the headless run need not.
    void start();
    // Ends the source, lets the pipeline drain and flush every open window, writes what is
    // buffered to PostgreSQL (what cannot be written in time goes to the spill file), and stops
    // the servers this process started. Idempotent.
    void stop();
    void stop(const StopOptions& options);
    // Pause: nothing new enters the pipeline and simulated time stands still. The generator
    // stops and resume() continues from the same simulated instant (the stream has no gap); a
    // Kafka source pauses its partitions (the broker keeps the messages) and resume() reads on
    // from the next unread offset. Either before start() or after stop() does nothing.
    void pause();
    void resume();
    bool paused() const;
    // Rows the PostgreSQL writer refused (could neither buffer nor spill them): lost.
    std::uint64_t rowsRefusedByWriter() const;
    // True once a finite source (an --events limit) has been fully processed.
    bool finished() const;
    // Why an output of the run broke (e.g. "cannot write /x/sales_per_minute.csv: No space
    // left on device"): what was produced from then on is not where the user asked for it, so
    // the run should stop and exit non-zero. Nothing while every output works.
    std::optional<std::string> outputFailure() const;

    const RuntimeOptions& options() const;
    const Catalog& catalog() const;
    // Product names, categories, prices and known stock: the catalog's and what the events sent
    // (readable from any thread while the run goes on). After prepare().
    std::shared_ptr<const ProductTable> products() const;
    SimulationClock& clock();
    GeneratorRunner* generator(); // null when reading Kafka
    Pipeline& pipeline();
    bool persists() const;      // a database is in use
    bool consumesKafka() const; // the source is a Kafka consumer group
    bool publishesKafka() const;
    RuntimeServices services() const;
    // Marks alerts acknowledged in the database; nothing without one.
    std::optional<AlertAcknowledger> alertAcknowledger() const;
    // Reads pages of the run's database (stored real-time tables, the warehouse schema);
    // nothing without one.
    std::optional<RelationPageReader> relationReader() const;
    // Reads the warehouse: from warehouse_database_url when given, else relationReader().
    std::optional<RelationPageReader> warehouseReader() const;
    std::size_t queuedBatches() const;
    std::size_t queueCapacity() const;
    std::uint64_t deadLetters() const;

private:
    std::unique_ptr<RuntimeImpl> impl_;
};

} // namespace gm
