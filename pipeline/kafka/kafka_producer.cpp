// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/kafka/kafka_producer.h"

#include "pipeline/kafka/kafka_conf.h"

#include <stdexcept>

namespace gm {

KafkaProducer::KafkaProducer(const KafkaSettings& settings) {
    std::string error;
    kafka::ConfPtr conf = makeKafkaConf(settings, KafkaRole::Producer, error);
    if (!conf) {
        throw std::runtime_error("Kafka producer: " + error);
    }
    rd_kafka_conf_set_opaque(conf.get(), this);
    rd_kafka_conf_set_dr_msg_cb(conf.get(), &KafkaProducer::onDelivery);
    char errstr[512];
    handle_.reset(rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), errstr, sizeof errstr));
    if (!handle_) {
        throw std::runtime_error(std::string("Kafka producer: ") + errstr);
    }
    conf.release(); // rd_kafka_new took it
    poller_ = std::thread([this] { poll(); });
}

KafkaProducer::~KafkaProducer() {
    rd_kafka_flush(handle_.get(), static_cast<int>(close_timeout.count()));
    // Undelivered messages get a delivery report with __PURGE_QUEUE: counted as failed.
    rd_kafka_purge(handle_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_flush(handle_.get(), 1'000);
    stopping_ = true;
    poller_.join();
    topics_.clear(); // topic handles go before the producer handle
}

void KafkaProducer::poll() {
    while (!stopping_) {
        rd_kafka_poll(handle_.get(), 100);
    }
}

void KafkaProducer::onDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
    auto* self = static_cast<KafkaProducer*>(opaque);
    if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        self->delivered_.fetch_add(1);
        return;
    }
    self->broker_failed_.fetch_add(1);
    self->recordError(std::string(rd_kafka_topic_name(message->rkt)) + ": " +
                      rd_kafka_err2str(message->err));
}

void KafkaProducer::recordError(std::string error) {
    std::lock_guard lock(error_mutex_);
    last_error_ = std::move(error);
}

rd_kafka_topic_t* KafkaProducer::topic(const std::string& name) {
    std::lock_guard lock(topics_mutex_);
    auto found = topics_.find(name);
    if (found == topics_.end()) {
        kafka::TopicPtr created(rd_kafka_topic_new(handle_.get(), name.c_str(), nullptr));
        if (!created) {
            return nullptr;
        }
        found = topics_.emplace(name, std::move(created)).first;
    }
    return found->second.get();
}

bool KafkaProducer::produce(const std::string& topic_name, std::string_view key,
                            std::string_view value) {
    rd_kafka_topic_t* rkt = topic(topic_name);
    if (rkt == nullptr) {
        refused_.fetch_add(1);
        recordError(topic_name + ": " + rd_kafka_err2str(rd_kafka_last_error()));
        return false;
    }
    while (true) {
        // librdkafka does not modify the payload with F_COPY; the C API just is not const.
        const int result = rd_kafka_produce(
            rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, const_cast<char*>(value.data()),
            value.size(), key.empty() ? nullptr : key.data(), key.size(), nullptr);
        if (result == 0) {
            queued_.fetch_add(1);
            return true;
        }
        const rd_kafka_resp_err_t err = rd_kafka_last_error();
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            refused_.fetch_add(1);
            recordError(topic_name + ": " + rd_kafka_err2str(err));
            return false;
        }
        // Serving delivery reports here too frees the queue sooner than waiting for the poller.
        rd_kafka_poll(handle_.get(), 10);
    }
}

bool KafkaProducer::flush(std::chrono::milliseconds timeout) {
    return rd_kafka_flush(handle_.get(), static_cast<int>(timeout.count())) ==
           RD_KAFKA_RESP_ERR_NO_ERROR;
}

DeliveryStatus KafkaProducer::status() const {
    DeliveryStatus status;
    // Outcomes before the total, so that in_flight never goes negative.
    const std::uint64_t delivered = delivered_.load();
    const std::uint64_t broker_failed = broker_failed_.load();
    const std::uint64_t queued = queued_.load();
    status.queued = queued;
    status.delivered = delivered;
    status.failed = broker_failed + refused_.load();
    status.in_flight = queued - delivered - broker_failed;
    std::lock_guard lock(error_mutex_);
    status.last_error = last_error_;
    return status;
}

} // namespace gm
