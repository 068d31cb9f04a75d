// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/event_encoder.h"
#include "generator/events.h"
#include "pipeline/event_source.h"
#include "pipeline/kafka/kafka_producer.h"
#include "pipeline/kafka/kafka_settings.h"

#include <string>
#include <string_view>

namespace gm {

// Writes generated events to their topics as spec JSON (EventEncoder), keyed by the user_id
// text so that one user's events stay in order within a partition. Batching and compression
// are the producer's (linger.ms, compression.codec). One thread publishes at a time.
class EventPublisher {
public:
    EventPublisher(KafkaProducer& producer, const EventEncoder& encoder, KafkaTopics topics);

    // Queues every event of the batch; false if any was refused (see producer().status()).
    bool publish(const EventBatch& batch);
    KafkaProducer& producer() { return producer_; }

private:
    template <typename Event> bool publishOne(const Event& event, const std::string& topic);

    KafkaProducer& producer_;
    const EventEncoder& encoder_;
    KafkaTopics topics_;
    std::string value_;
};

// Critical alerts as JSON on the alerts topic. The caller formats the JSON (the alert rows
// belong to the pipeline); the key keeps one subject's alerts (a user, a product) in order.
class AlertPublisher {
public:
    AlertPublisher(KafkaProducer& producer, std::string topic)
        : producer_(producer), topic_(std::move(topic)) {}
    bool publish(std::string_view json, std::string_view key = {}) {
        return producer_.produce(topic_, key, json);
    }
    const std::string& topic() const { return topic_; }

private:
    KafkaProducer& producer_;
    std::string topic_;
};

// `--source generator --publish`: passes the generator's batches on to the pipeline unchanged
// and publishes each on the way, so the pipeline and Kafka see the same events.
class PublishingSource : public EventSource {
public:
    PublishingSource(EventSource& inner, EventPublisher& publisher)
        : inner_(inner), publisher_(publisher) {}
    std::optional<EventBatch> next(std::chrono::milliseconds timeout) override {
        auto batch = inner_.next(timeout);
        if (batch) {
            publisher_.publish(*batch);
        }
        return batch;
    }
    bool finished() const override { return inner_.finished(); }

private:
    EventSource& inner_;
    EventPublisher& publisher_;
};

} // namespace gm
