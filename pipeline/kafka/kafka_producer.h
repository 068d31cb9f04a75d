// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/kafka/kafka_handles.h"
#include "pipeline/kafka/kafka_settings.h"
#include "pipeline/kafka/kafka_status.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace gm {

// One librdkafka producer with delivery reports counted on a poll thread of its own, so the
// counters move even when nobody produces. Any thread may produce.
class KafkaProducer {
public:
    // Throws std::runtime_error with librdkafka's message if the configuration is refused.
    explicit KafkaProducer(const KafkaSettings& settings);
    // Waits up to the close timeout for deliveries; what is still queued then counts as failed.
    ~KafkaProducer();
    KafkaProducer(const KafkaProducer&) = delete;
    KafkaProducer& operator=(const KafkaProducer&) = delete;

    // Queues a copy of the message, partitioned by key (an empty key: spread by librdkafka).
    // While librdkafka's queue is full it waits, which is the producer's back-pressure.
    // False when refused outright (e.g. too large); the failure is counted and recorded.
    bool produce(const std::string& topic, std::string_view key, std::string_view value);
    // Waits until every queued message is delivered or failed, or the timeout passes.
    bool flush(std::chrono::milliseconds timeout);

    DeliveryStatus status() const;
    rd_kafka_t* handle() const { return handle_.get(); }

    std::chrono::milliseconds close_timeout{10'000};

private:
    static void onDelivery(rd_kafka_t* rk, const rd_kafka_message_t* message, void* opaque);
    rd_kafka_topic_t* topic(const std::string& name);
    void recordError(std::string error);
    void poll();

    kafka::HandlePtr handle_;
    std::mutex topics_mutex_;
    std::map<std::string, kafka::TopicPtr, std::less<>> topics_;

    std::atomic<std::uint64_t> queued_{0};
    std::atomic<std::uint64_t> delivered_{0};
    std::atomic<std::uint64_t> broker_failed_{0}; // delivery report with an error
    std::atomic<std::uint64_t> refused_{0};       // never queued
    mutable std::mutex error_mutex_;
    std::string last_error_;

    std::atomic<bool> stopping_{false};
    std::thread poller_;
};

} // namespace gm
