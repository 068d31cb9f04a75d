// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace gm {

// A Kafka topic partition by name: what the source commits offsets for and what the group's
// store (pipeline/postgres/partial_store.h) keeps progress for.
struct TopicPartition {
    std::string topic;
    std::int32_t partition = 0;
    friend auto operator<=>(const TopicPartition&, const TopicPartition&) = default;
};

} // namespace gm
