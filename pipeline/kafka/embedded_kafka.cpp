// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/kafka/embedded_kafka.h"

#include <stdexcept>

namespace gm {

EmbeddedKafka::EmbeddedKafka(const EmbeddedKafkaConfig& config)
    : broker_count_(config.brokers < 1 ? 1 : config.brokers) {
    kafka::ConfPtr conf(rd_kafka_conf_new());
    char errstr[512];
    // The handle only hosts the cluster; silence its attempts to reach a broker of its own.
    rd_kafka_conf_set(conf.get(), "log_level", "3", errstr, sizeof errstr);
    handle_.reset(rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), errstr, sizeof errstr));
    if (!handle_) {
        throw std::runtime_error(std::string("embedded Kafka: ") + errstr);
    }
    conf.release(); // rd_kafka_new took it
    cluster_ = rd_kafka_mock_cluster_new(handle_.get(), broker_count_);
    if (cluster_ == nullptr) {
        throw std::runtime_error("embedded Kafka: could not start the mock cluster");
    }
    bootstraps_ = rd_kafka_mock_cluster_bootstraps(cluster_);
    for (const auto& topic : config.topics) {
        if (!createTopic(topic, config.partitions)) {
            rd_kafka_mock_cluster_destroy(cluster_);
            throw std::runtime_error("embedded Kafka: could not create topic " + topic);
        }
    }
}

EmbeddedKafka::~EmbeddedKafka() {
    if (cluster_ != nullptr) {
        rd_kafka_mock_cluster_destroy(cluster_);
    }
}

bool EmbeddedKafka::createTopic(const std::string& topic, int partitions) {
    return rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions < 1 ? 1 : partitions,
                                      1) == RD_KAFKA_RESP_ERR_NO_ERROR;
}

void EmbeddedKafka::setBrokerDown(int broker_id) {
    for (int id = 1; id <= broker_count_; ++id) {
        if (broker_id == -1 || broker_id == id) {
            rd_kafka_mock_broker_set_down(cluster_, id);
        }
    }
}

void EmbeddedKafka::setBrokerUp(int broker_id) {
    for (int id = 1; id <= broker_count_; ++id) {
        if (broker_id == -1 || broker_id == id) {
            rd_kafka_mock_broker_set_up(cluster_, id);
        }
    }
}

} // namespace gm
