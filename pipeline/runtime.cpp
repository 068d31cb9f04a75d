// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/runtime.h"

#include "pipeline/kafka/dead_letter_rows.h"
#include "pipeline/product_table.h"

#include <atomic>
#include <stdexcept>
#include <thread>

namespace gm {

Runtime::Runtime(RuntimeOptions options) : options_(std::move(options)) {}

Runtime::~Runtime() {
    stop();
}

std::optional<std::string> Runtime::prepare() {
    catalog_ = std::make_unique<Catalog>(options_.catalog);
    clock_ = std::make_unique<SimulationClock>(options_.start_time, options_.generator.acceleration,
                                               !options_.generator.max_speed);
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

        if (options_.persist) {
            auto opened = Persistence::open(options_.persistence);
            if (opened.configuration_error) {
                return "--db: " + opened.message;
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

        EventSource* source = nullptr;
        if (kafka.consume) {
            kafka_source_ = std::make_unique<KafkaEventSource>(kafka, *catalog_);
            source = kafka_source_.get();
        } else {
            queue_ = std::make_unique<BoundedQueue<EventBatch>>(64);
            generator_ = std::make_unique<GeneratorRunner>(*catalog_, options_.simulator,
                                                           options_.generator, *clock_, *queue_);
            queue_source_ = std::make_unique<QueueSource>(*queue_);
            source = queue_source_.get();
            if (kafka.publish) {
                producer_ = std::make_unique<KafkaProducer>(kafka);
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
        if (persistence_) {
            sinks_.add(persistence_->rowSink());
        }
        pipeline_ = std::make_unique<Pipeline>(
            options_.pipeline, std::make_shared<const ProductTable>(productTableFrom(*catalog_)),
            [clock = clock_.get()] { return clock->now(); }, *source, sinks_);
    } catch (const std::exception& error) {
        // Kafka clients refusing their configuration, an unwritable --out-dir: one line each.
        return std::string(error.what());
    }
    return std::nullopt;
}

void Runtime::start() {
    if (started_ || !pipeline_) {
        return;
    }
    started_ = true;
    if (kafka_source_) {
        kafka_source_->start();
    }
    pipeline_->start();
    if (generator_) {
        generator_->start();
    }
}

void Runtime::poll() {
    if (!kafka_source_) {
        return;
    }
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
    persistence_->writer().push(std::move(rejected));
}

bool Runtime::finished() const {
    return pipeline_ && pipeline_->finished();
}

void Runtime::stop() {
    if (stopped_) {
        return;
    }
    stopped_ = true;
    if (started_) {
        if (generator_) {
            generator_->stop(); // closes the queue: the pipeline drains it, then flushes
        }
        if (kafka_source_) {
            kafka_source_->stop();
        }
        // With the database down and the writer's buffer full, the pipeline waits in the sink.
        // Give the writer a while to get rows out, then stop it: its status then reports the
        // rows it had to abandon instead of the program hanging at exit.
        std::atomic<bool> joined{false};
        std::thread watchdog([&] {
            for (int i = 0; i < 300 && !joined; ++i) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
            if (!joined && persistence_) {
                persistence_->writer().stop();
            }
        });
        pipeline_->join();
        joined = true;
        watchdog.join();
        poll();
        if (producer_) {
            producer_->flush(std::chrono::seconds(10));
        }
    }
    if (persistence_) {
        persistence_->stop();
    }
}

} // namespace gm
