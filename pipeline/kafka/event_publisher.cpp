// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/kafka/event_publisher.h"

namespace gm {

EventPublisher::EventPublisher(KafkaProducer& producer, const EventEncoder& encoder,
                               KafkaTopics topics)
    : producer_(producer), encoder_(encoder), topics_(std::move(topics)) {}

template <typename Event>
bool EventPublisher::publishOne(const Event& event, const std::string& topic) {
    char key[kMaxIdTextLength];
    const std::size_t key_size = formatUserId(event.user, key);
    value_.clear();
    encoder_.append(event, value_);
    return producer_.produce(topic, std::string_view(key, key_size), value_);
}

bool EventPublisher::publish(const EventBatch& batch) {
    bool all = true;
    for (const auto& event : batch.views) {
        all = publishOne(event, topics_.product_views) && all;
    }
    for (const auto& event : batch.carts) {
        all = publishOne(event, topics_.cart_events) && all;
    }
    for (const auto& event : batch.transactions) {
        all = publishOne(event, topics_.transactions) && all;
    }
    return all;
}

} // namespace gm
