// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/bounded_queue.h"
#include "generator/catalog.h"
#include "generator/event_encoder.h"
#include "generator/generator_runner.h"
#include "generator/simulation_clock.h"
#include "pipeline/kafka/critical_alert_sink.h"
#include "pipeline/kafka/embedded_kafka.h"
#include "pipeline/kafka/event_publisher.h"
#include "pipeline/kafka/kafka_event_source.h"
#include "pipeline/kafka/kafka_producer.h"
#include "pipeline/kafka/kafka_settings.h"
#include "pipeline/pipeline.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/postgres/persistence.h"
#include "pipeline/product_table.h"
#include "pipeline/runtime/csv_sink.h"
#include "pipeline/runtime/group_member.h"
#include "pipeline/runtime/runtime.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace gm {

// Behind Runtime (runtime.h), which forwards to it; this header includes the I/O libraries.
// The running system: catalog, simulation clock, the source (generator or Kafka consumer, with
// Kafka publishing and raw-event persistence layered on it), the pipeline and its sinks
// (PostgreSQL, CSV). The UI and the headless run only read its status and send it commands.
class RuntimeImpl {
public:
    explicit RuntimeImpl(RuntimeOptions options);
    ~RuntimeImpl();
    RuntimeImpl(const RuntimeImpl&) = delete;
    RuntimeImpl& operator=(const RuntimeImpl&) = delete;

    // Builds everything and connects to what is configured. Returns a one-line error for a
    // configuration that cannot work (the command line exits with 2); warnings that do not stop
    // the run (e.g. "running in memory") are in notes().
    std::optional<std::string> prepare();
    const std::vector<std::string>& notes() const { return notes_; }

    // Starts the source and the pipeline; with a Kafka source also a housekeeping thread that
    // twice a second stores bad messages in rejected_events and commits the offsets of events
    // whose rows are durable, so that the window and the headless run need not.
    void start();
    // Ends the source, lets the pipeline drain and flush every open window, writes what is
    // buffered to PostgreSQL (what cannot be written in time goes to the spill file), and stops
    // the servers this process started. Idempotent.
    void stop();
    void stop(const StopOptions& options);
    // See Runtime::pause().
    void pause();
    void resume();
    bool paused() const { return paused_; }
    // Rows the PostgreSQL writer refused (could neither buffer nor spill them): lost.
    std::uint64_t rowsRefusedByWriter() const;
    // True once a finite source (an --events limit) has been fully processed.
    bool finished() const;
    // Why an output of the run broke (e.g. "cannot write /x/sales_per_minute.csv: No space
    // left on device"): what was produced from then on is not where the user asked for it, so
    // the run should stop and exit non-zero. Nothing while every output works.
    std::optional<std::string> outputFailure() const;

    const RuntimeOptions& options() const { return options_; }
    const Catalog& catalog() const { return *catalog_; }
    std::shared_ptr<const ProductTable> products() const { return products_; }
    SimulationClock& clock() { return *clock_; }
    GeneratorRunner* generator() { return generator_.get(); } // null when reading Kafka
    Pipeline& pipeline() { return *pipeline_; }
    Persistence* persistence() const { return persistence_.get(); }
    KafkaEventSource* kafkaSource() const { return kafka_source_.get(); }
    KafkaProducer* kafkaProducer() const { return producer_.get(); }
    EmbeddedKafka* embeddedKafka() const { return embedded_kafka_.get(); }
    std::size_t queuedBatches() const { return queue_ ? queue_->size() : 0; }
    std::size_t queueCapacity() const { return queue_ ? queue_->capacity() : 0; }
    std::uint64_t deadLetters() const { return dead_letters_; }
    CriticalAlertSink* criticalAlerts() const { return alert_sink_.get(); }
    GroupMember* groupMember() const { return group_member_.get(); } // --group-member only

private:
    // A commit waiting for the database: `progress` holds once the writer has committed its
    // batch number `writer_batch` (the progress marks).
    struct PendingCommit {
        PipelineProgress progress;
        std::uint64_t writer_batch;
    };
    void poll();
    void housekeeping();
    void storeDeadLetters();
    void releaseDurableOffsets(const PipelineProgress& progress, bool final);
    std::optional<std::string> resetProgressMarks();
    // One timeline per database (RuntimeOptions::start_option): moves a default start to where
    // the stored history ends, refuses a chosen one before it. Generator runs only.
    std::optional<std::string> continueTheStoredHistory();
    // The run's row in generator_runs (sql/migrations/0007): at start without an end, at stop
    // with the last event time. Generator runs with a database only.
    void recordGeneratorRun(std::optional<TimestampUs> events_until);
    void resumeWhereTheLastRunStopped();

    RuntimeOptions options_;
    std::vector<std::string> notes_;
    std::unique_ptr<Catalog> catalog_;
    std::shared_ptr<const ProductTable> products_; // the catalog's, and what the events sent
    std::unique_ptr<SimulationClock> clock_;
    std::unique_ptr<EmbeddedKafka> embedded_kafka_;
    std::unique_ptr<Persistence> persistence_;
    std::unique_ptr<BoundedQueue<EventBatch>> queue_;
    std::unique_ptr<GeneratorRunner> generator_;
    std::unique_ptr<QueueSource> queue_source_;
    std::unique_ptr<KafkaEventSource> kafka_source_;
    std::unique_ptr<GroupMember> group_member_;
    std::unique_ptr<KafkaProducer> producer_;
    std::unique_ptr<EventEncoder> encoder_;
    std::unique_ptr<EventPublisher> publisher_;
    std::unique_ptr<PublishingSource> publishing_source_;
    std::unique_ptr<AlertPublisher> alert_publisher_;
    std::unique_ptr<CriticalAlertSink> alert_sink_;
    std::unique_ptr<RawEventTap> raw_event_tap_;
    std::unique_ptr<CsvSink> csv_sink_;
    FanOutSink sinks_;
    std::unique_ptr<RowSink> observer_sink_; // options_.row_observer
    PipelineConfig pipeline_config_;         // what the pipeline and a group member run with
    std::unique_ptr<Pipeline> pipeline_;
    std::atomic<std::uint64_t> dead_letters_{0};
    std::atomic<std::uint64_t> refused_dead_letters_{0};
    std::atomic<std::uint64_t> refused_run_rows_{0}; // generator_runs rows the writer refused
    std::string progress_scope_; // pipeline_progress rows of this consumer group
    std::deque<PendingCommit> pending_commits_;
    PipelineProgress marked_; // the last progress handed to the writer
    std::thread housekeeping_;
    std::mutex housekeeping_mutex_;
    std::condition_variable housekeeping_wake_;
    bool housekeeping_stop_ = false; // under housekeeping_mutex_
    bool started_ = false;
    bool stopped_ = false;
    std::atomic<bool> paused_{false};
    // pause() and resume() come from the UI or main thread, the HTTP thread and (headless) a
    // Ctrl+Z: one at a time.
    std::mutex pause_mutex_;
};

} // namespace gm
