// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/kafka/kafka_handles.h"

#include <librdkafka/rdkafka_mock.h>
#include <string>
#include <vector>

namespace gm {

struct EmbeddedKafkaConfig {
    int brokers = 1;
    int partitions = 32; // the mock keeps only the newest 5 MiB per partition: spread the load
    std::vector<std::string> topics;
};

// A Kafka broker on loopback from librdkafka's mock cluster, for local use, demos and tests.
// It speaks the real protocol on random ports, so kcat and other processes can connect to
// bootstrapServers(). It lives on a dedicated producer handle that nothing produces to: the
// cluster dies with that handle. Topics are created up front because the mock does not
// implement CreateTopics.
class EmbeddedKafka {
public:
    explicit EmbeddedKafka(const EmbeddedKafkaConfig& config);
    ~EmbeddedKafka();
    EmbeddedKafka(const EmbeddedKafka&) = delete;
    EmbeddedKafka& operator=(const EmbeddedKafka&) = delete;

    const std::string& bootstrapServers() const { return bootstraps_; }
    // Creates another topic; false if the broker refused (e.g. it exists).
    bool createTopic(const std::string& topic, int partitions);
    // Simulates losing and regaining brokers (ids 1..brokers; -1: all of them).
    void setBrokerDown(int broker_id);
    void setBrokerUp(int broker_id);
    int brokerCount() const { return broker_count_; }

private:
    kafka::HandlePtr handle_;
    rd_kafka_mock_cluster_t* cluster_ = nullptr; // owned, destroyed before handle_
    std::string bootstraps_;
    int broker_count_;
};

} // namespace gm
