// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/runtime/runtime_impl.h"

#include "pipeline/postgres/connection_errors.h"
#include "pipeline/postgres/database_locator.h"
#include "pipeline/product_table.h"
#include "pipeline/runtime/dead_letter_rows.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <thread>
#include <unistd.h>

namespace gm {
namespace {

// RuntimeOptions::row_observer as a sink.
class ObserverSink : public RowSink {
public:
    explicit ObserverSink(std::function<void(const RowBatch&)> observer)
        : observer_(std::move(observer)) {}
    void consume(const RowBatch& rows) override { observer_(rows); }

private:
    std::function<void(const RowBatch&)> observer_;
};

// --group-member's name in the group's tables: host and process, unique while it runs.
std::string memberId() {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0) {
        std::snprintf(host, sizeof host, "localhost");
    }
    return std::string(host) + ":" + std::to_string(::getpid());
}

} // namespace

RuntimeImpl::RuntimeImpl(RuntimeOptions options) : options_(std::move(options)) {}

RuntimeImpl::~RuntimeImpl() {
    stop();
}

std::optional<std::string> RuntimeImpl::prepare() {
    catalog_ = std::make_unique<Catalog>(options_.catalog);
    products_ = std::make_shared<const ProductTable>(productTableFrom(*catalog_));
    const auto makeClock = [this] {
        clock_ = std::make_unique<SimulationClock>(
            options_.start_time, options_.generator.acceleration, !options_.generator.max_speed);
    };
    makeClock(); // there is a clock even when preparing fails below
    KafkaSettings& kafka = options_.kafka;
    try {
        if (kafka.embedded) {
            embedded_kafka_ = std::make_unique<EmbeddedKafka>(
                EmbeddedKafkaConfig{.brokers = 1,
                                    .partitions = kafka.embedded_partitions,
                                    .topics = {kafka.topics.transactions, kafka.topics.cart_events,
                                               kafka.topics.product_views, kafka.topics.alerts}});
            if (kafka.brokers.empty()) {
                kafka.brokers = embedded_kafka_->bootstrapServers();
            }
            notes_.push_back("embedded Kafka broker at " + embedded_kafka_->bootstrapServers() +
                             " (other clients can connect, e.g. kcat -b " +
                             embedded_kafka_->bootstrapServers() + " -L)");
        }
        if (auto problem = validateKafkaSettings(kafka)) {
            return problem;
        }

        if (const auto& url = options_.warehouse_database_url) {
            // Checked without connecting, like --db: the API reads it only when asked.
            if (auto problem = connectionValueError(*url, "--warehouse-db", processEnvironment)) {
                return problem;
            }
        }
        if (options_.persist) {
            auto opened = Persistence::open(options_.persistence);
            if (opened.configuration_error) {
                return opened.message; // names the setting: --db, GLOBALMART_DATABASE_URL, PG*
            }
            if (!opened.message.empty()) {
                notes_.push_back(opened.message);
            }
            persistence_ = std::move(opened.persistence);
            if (persistence_) {
                notes_.push_back("saving to " + persistence_->description());
            }
        } else {
            notes_.push_back("--no-db: nothing is saved");
        }

        if (!kafka.consume) {
            if (auto problem = continueTheStoredHistory()) {
                return problem;
            }
            makeClock(); // from the start it settled on
        }

        if (kafka.publish) {
            producer_ = std::make_unique<KafkaProducer>(kafka);
            alert_publisher_ = std::make_unique<AlertPublisher>(*producer_, kafka.topics.alerts);
            alert_sink_ = std::make_unique<CriticalAlertSink>(*alert_publisher_);
        }
        EventSource* source = nullptr;
        if (kafka.consume) {
            kafka_source_ = std::make_unique<KafkaEventSource>(kafka, *catalog_);
            source = kafka_source_.get();
            progress_scope_ = "kafka:" + kafka.group;
        } else {
            queue_ = std::make_unique<BoundedQueue<EventBatch>>(64);
            generator_ = std::make_unique<GeneratorRunner>(*catalog_, options_.simulator,
                                                           options_.generator, *clock_, *queue_);
            queue_source_ = std::make_unique<QueueSource>(*queue_);
            source = queue_source_.get();
            if (kafka.publish) {
                encoder_ = std::make_unique<EventEncoder>(*catalog_);
                publisher_ = std::make_unique<EventPublisher>(*producer_, *encoder_, kafka.topics);
                publishing_source_ = std::make_unique<PublishingSource>(*source, *publisher_);
                source = publishing_source_.get();
            }
        }
        if (persistence_ && persistence_->rawEvents()) {
            raw_event_tap_ =
                std::make_unique<RawEventTap>(*source, *catalog_, persistence_->writer());
            source = raw_event_tap_.get();
        }

        if (!options_.out_dir.empty()) {
            csv_sink_ = std::make_unique<CsvSink>(options_.out_dir);
            sinks_.add(*csv_sink_);
        }
        if (kafka.group_member && !persistence_) {
            return std::string("--group-member keeps the group's windows in PostgreSQL, and no "
                               "database could be used (see the note above)");
        }
        if (persistence_ && !kafka.group_member) {
            // A group member's rows are the group finalizer's to write (docs/scale-out.md).
            sinks_.add(persistence_->rowSink());
        }
        if (alert_sink_) {
            sinks_.add(*alert_sink_);
        }
        if (options_.row_observer) {
            observer_sink_ = std::make_unique<ObserverSink>(options_.row_observer);
            sinks_.add(*observer_sink_);
        }
        pipeline_config_ = options_.pipeline;
        pipeline_config_.exact_partitions = kafka.consume && kafka.exact_group;
        pipeline_ = std::make_unique<Pipeline>(
            pipeline_config_, products_, [clock = clock_.get()] { return clock->now(); }, *source,
            sinks_);
        if (kafka.group_member) {
            const std::string member_id = memberId();
            group_member_ = std::make_unique<GroupMember>(
                GroupMember::Options{persistence_->conninfo(), kafka.group, member_id,
                                     kafka.topics},
                *kafka_source_, pipeline_config_, products_,
                [clock = clock_.get()] { return clock->now(); });
            kafka_source_->setStartOffsetLookup(
                [member = group_member_.get()](const std::string& topic, std::int32_t partition) {
                    return member->claim(topic, partition);
                });
            pipeline_->setHandOverSink(*group_member_);
            notes_.push_back("member '" + member_id + "' of consumer group '" + kafka.group +
                             "': partitions are claimed and their windows committed in the "
                             "database; the group's finalizer writes the tables (stock levels "
                             "and alerts are not written in this mode yet)");
        } else if (kafka_source_) {
            pipeline_->trackProgress();
            if (options_.reset_progress) {
                if (auto problem = resetProgressMarks()) {
                    return problem;
                }
            }
            resumeWhereTheLastRunStopped();
        }
    } catch (const std::exception& error) {
        // Kafka clients refusing their configuration, an unwritable --out-dir: one line each.
        return std::string(error.what());
    }
    return std::nullopt;
}

void RuntimeImpl::start() {
    if (started_ || !pipeline_) {
        return;
    }
    started_ = true;
    // Simulated time begins now, at --start: preparing took a while, and events must carry the
    // same times however long that was (the generator stamps its first event at the start time).
    clock_->restart();
    recordGeneratorRun(std::nullopt);
    if (kafka_source_) {
        kafka_source_->start();
    }
    if (group_member_) {
        group_member_->startFinalizing();
    }
    pipeline_->start();
    if (generator_) {
        generator_->start();
    }
    if (kafka_source_) {
        housekeeping_ = std::thread([this] { housekeeping(); });
    }
}

void RuntimeImpl::recordGeneratorRun(std::optional<TimestampUs> events_until) {
    if (!generator_ || !persistence_) {
        return;
    }
    if (!persistence_->writer().push(
            Persistence::generatorRun(options_.start_time, events_until))) {
        refused_run_rows_ += 1; // neither buffered nor spilled: reported as lost
    }
}

void RuntimeImpl::pause() {
    const std::lock_guard lock(pause_mutex_);
    if (!started_ || stopped_ || paused_) {
        return;
    }
    paused_ = true;
    clock_->pause(); // at once: the pipeline's idle advance must not follow a running clock
    if (generator_) {
        generator_->pause();
    }
    if (kafka_source_) {
        kafka_source_->hold(true);
    }
}

void RuntimeImpl::resume() {
    const std::lock_guard lock(pause_mutex_);
    if (!started_ || stopped_ || !paused_) {
        return;
    }
    paused_ = false;
    if (kafka_source_) {
        kafka_source_->hold(false);
    }
    if (generator_) {
        generator_->resume();
    }
    clock_->resume();
}

void RuntimeImpl::housekeeping() {
    std::unique_lock lock(housekeeping_mutex_);
    while (!housekeeping_wake_.wait_for(lock, std::chrono::milliseconds(500),
                                        [this] { return housekeeping_stop_; })) {
        lock.unlock();
        poll();
        lock.lock();
    }
}

std::optional<std::string> RuntimeImpl::continueTheStoredHistory() {
    if (!persistence_) {
        return std::nullopt;
    }
    const StoredHistory history = persistence_->storedHistory();
    const std::string start = formatIsoTimestamp(options_.start_time);
    if (!history.error.empty()) {
        notes_.push_back("cannot read where the stored history ends (" + history.error +
                         "): simulated time starts at " + start +
                         " and may write over stored windows");
        return std::nullopt;
    }
    if (!history.end) {
        notes_.push_back("the database holds no history yet: simulated time starts at " + start);
        return std::nullopt;
    }
    const std::string end = formatIsoTimestamp(*history.end);
    if (options_.start_time >= *history.end) {
        notes_.push_back("the stored history ends at " + end + ": simulated time starts at " +
                         start);
        return std::nullopt;
    }
    if (options_.overwrite_history) {
        notes_.push_back(options_.overwrite_option + ": simulated time starts at " + start +
                         ", before the end of the stored history (" + end +
                         "); windows of the times this run covers are written over");
        return std::nullopt;
    }
    if (!options_.start_option.empty()) {
        return options_.start_option + ": " + start + " is before the end of the history " +
               "stored in the database (" + end + "); start at or after it, or use " +
               options_.overwrite_option + " to write over the stored windows";
    }
    options_.start_time = *history.end;
    notes_.push_back("continuing the stored history: simulated time starts at " + end +
                     ", where the stored history ends (later than now)");
    return std::nullopt;
}

std::optional<std::string> RuntimeImpl::resetProgressMarks() {
    const std::string group = "consumer group '" + options_.kafka.group + "'";
    if (!persistence_) {
        return "--reset-progress: no database to reset the progress marks of " + group + " in";
    }
    std::string error;
    const auto removed = persistence_->resetProgress(progress_scope_, error);
    if (!removed) {
        return "--reset-progress: cannot delete the progress marks of " + group + " (" + error +
               ")";
    }
    notes_.push_back("--reset-progress: removed " + std::to_string(*removed) +
                     " progress mark(s) of " + group +
                     "; windows are written again from what Kafka delivers");
    return std::nullopt;
}

void RuntimeImpl::resumeWhereTheLastRunStopped() {
    if (!persistence_) {
        return;
    }
    std::string error;
    const auto watermarks = persistence_->loadProgress(progress_scope_, error);
    if (!watermarks) {
        notes_.push_back("cannot read where the last run of consumer group '" +
                         options_.kafka.group + "' stopped (" + error +
                         "): windows it had written may be rewritten from replayed events only");
        return;
    }
    pipeline_->resumeFrom(*watermarks);
    const TimestampUs oldest = *std::min_element(watermarks->begin(), watermarks->end());
    if (oldest != kNoWatermark) {
        notes_.push_back("consumer group '" + options_.kafka.group + "' resumes; windows up to " +
                         formatIsoTimestamp(oldest) + " were written by an earlier run");
    }
}

void RuntimeImpl::poll() {
    if (!kafka_source_) {
        return;
    }
    // Progress first: the dead letters of every batch it covers were queued before that batch
    // was handed out, so storing the letters next puts them in the database before the marks.
    const PipelineProgress progress = pipeline_->progress();
    storeDeadLetters();
    if (!group_member_) { // a member's offsets follow its commits to the database
        releaseDurableOffsets(progress, false);
    }
}

void RuntimeImpl::releaseDurableOffsets(const PipelineProgress& progress, bool final) {
    const bool moved = progress.processed_through != marked_.processed_through ||
                       progress.oldest_open != marked_.oldest_open;
    if (progress.processed_through > 0 && moved) {
        if (persistence_) {
            PostgresWriter& writer = persistence_->writer();
            // The marks go after every row the pipeline emitted before `progress` was taken,
            // and the writer commits in order: once they are durable, so are those rows.
            if (writer.tryPush(Persistence::progressMarks(progress_scope_, progress.watermarks),
                               std::chrono::milliseconds(0))) {
                pending_commits_.push_back({progress, writer.acceptedBatches()});
                marked_ = progress;
            }
        } else {
            // Nothing is durable without a database: commit once emitted (to CSV, the window).
            pending_commits_.push_back({progress, 0});
            marked_ = progress;
        }
    }
    const std::uint64_t durable =
        persistence_ ? persistence_->writer().committedBatches() : UINT64_MAX;
    std::optional<PipelineProgress> safe;
    while (!pending_commits_.empty() && pending_commits_.front().writer_batch <= durable) {
        safe = pending_commits_.front().progress;
        pending_commits_.pop_front();
    }
    if (safe) {
        kafka_source_->commitThrough(safe->processed_through, final, safe->oldest_open);
    }
}

void RuntimeImpl::storeDeadLetters() {
    auto letters = kafka_source_->takeDeadLetters();
    if (letters.empty()) {
        return;
    }
    dead_letters_ += letters.size();
    if (!persistence_) {
        return; // counted per reason in the source's status; nowhere to keep the payloads
    }
    TableBatch rejected = RawEventEncoder::rejectedEventsLayout();
    for (DeadLetter& letter : letters) {
        RawEventEncoder::appendRejected(toRejectedEvent(std::move(letter)), rejected);
    }
    const std::size_t rows = rejected.rows;
    if (!persistence_->writer().push(std::move(rejected))) {
        refused_dead_letters_ += rows; // neither buffered nor spilled: reported as lost
    }
}

std::uint64_t RuntimeImpl::rowsRefusedByWriter() const {
    if (!persistence_) {
        return 0;
    }
    return persistence_->refusedRows() + (raw_event_tap_ ? raw_event_tap_->refusedRows() : 0) +
           refused_dead_letters_ + refused_run_rows_;
}

bool RuntimeImpl::finished() const {
    return pipeline_ && pipeline_->finished();
}

std::optional<std::string> RuntimeImpl::outputFailure() const {
    return csv_sink_ ? csv_sink_->failure() : std::nullopt;
}

void RuntimeImpl::stop() {
    stop(StopOptions{});
}

void RuntimeImpl::stop(const StopOptions& options) {
    if (stopped_) {
        return;
    }
    stopped_ = true;
    {
        std::lock_guard lock(housekeeping_mutex_);
        housekeeping_stop_ = true;
    }
    housekeeping_wake_.notify_all();
    if (started_) {
        // The final flush must not wait for a dead database: what does not fit in memory goes
        // to the spill file.
        if (persistence_) {
            persistence_->writer().stopWaitingForRoom();
        }
        if (generator_) {
            generator_->stop(); // closes the queue: the pipeline drains it, then flushes
        }
        if (kafka_source_) {
            kafka_source_->stop();
        }
        if (group_member_) {
            // Its last hand-over is committed in the pipeline's final flush: a database that is
            // gone gets the writer's stop timeout, not forever.
            group_member_->beginStop(options.write_timeout);
        }
        // Without a usable spill file the pipeline can still wait in the sink on a dead
        // database with a full buffer: then stop the writer after a while, which refuses the
        // rest (counted as lost) instead of the program hanging at exit.
        std::atomic<bool> joined{false};
        std::thread watchdog([&] {
            for (int i = 0; i < 300 && !joined; ++i) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
            if (!joined && persistence_ && !persistence_->writer().canSpill()) {
                persistence_->writer().stop();
            }
        });
        pipeline_->join(); // a group member's last hand-over is committed in the final flush
        joined = true;
        watchdog.join();
        if (group_member_) {
            group_member_->stop(); // one last run of the group's finalizer
        }
        // Joined only now: a dead database can hold it in the writer until the watchdog stops
        // the writer. The final poll is then this thread's.
        if (housekeeping_.joinable()) {
            housekeeping_.join();
        }
        poll(); // the last complete progress: the final flush's early windows do not count
        // After every row: the windows reaching past the last event were cut off by the stop.
        const TimestampUs cut_off_at = pipeline_->snapshot()->cut_off_at;
        if (cut_off_at != kNoWatermark) {
            recordGeneratorRun(cut_off_at);
        }
        if (producer_) {
            producer_->flush(std::chrono::seconds(10));
        }
    }
    if (persistence_) {
        // Write what is buffered while the caller watches; the rest stays in the spill file.
        PostgresWriter& writer = persistence_->writer();
        const auto deadline = std::chrono::steady_clock::now() + options.write_timeout;
        while (!(options.give_up && *options.give_up) &&
               std::chrono::steady_clock::now() < deadline &&
               !writer.waitUntilWritten(std::chrono::milliseconds(200))) {
            const WriterStatus status = writer.status();
            if (status.state == WriterState::Stopped) {
                break; // stopped by the watchdog above
            }
            if (options.progress) {
                options.progress(status);
            }
        }
        persistence_->stop(std::chrono::milliseconds(0));
    }
    if (kafka_source_) {
        if (started_ && !group_member_) {
            releaseDurableOffsets(pipeline_->progress(), true);
        }
        kafka_source_->close();
    }
}

} // namespace gm
