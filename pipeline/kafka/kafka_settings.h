// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/events.h"
#include "generator/timestamp.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gm {

// The topic names of docs/events.md; configurable because the original project used
// "transactions-topic", ... and we read what its producers wrote.
struct KafkaTopics {
    std::string transactions = "transactions";
    std::string cart_events = "cart-events";
    std::string product_views = "product-views";
    std::string alerts = "alerts";

    const std::string& forKind(EventKind kind) const;
    std::optional<EventKind> kindOf(std::string_view topic) const;
    // The original project's names: every default with a "-topic" suffix.
    static KafkaTopics original();
};

// Everything the command line says about Kafka. Defaults suit a local broker; `properties` (the
// -X pairs) are applied last, so a user can override any default we set, like kcat.
struct KafkaSettings {
    bool consume = false;  // --source kafka
    bool publish = false;  // --publish: generator events (and critical alerts) go to the topics
    bool embedded = false; // --embedded-kafka: start a mock broker in this process
    std::string brokers;   // bootstrap.servers; empty with `embedded`: the embedded broker's
    KafkaTopics topics;
    std::string group = "globalmart-monitor";
    std::string compression = "lz4";
    int linger_ms = 20;
    int embedded_partitions = 32;
    std::vector<std::pair<std::string, std::string>> properties;

    // Consumer side.
    // --exact-group: window state and watermarks per partition (docs/scale-out.md): the rows
    // depend on the topic data alone, not on how the partitions' reads interleave.
    bool exact_group = false;
    // --group-member: one member of a scale-out group (docs/scale-out.md step 2): exact mode,
    // partitions claimed and their windows committed in PostgreSQL, the public tables written by
    // the group's finalizer. No deduplication by event id (dedup_horizon 0): a member reading a
    // partition again from its stored replay point must see those events again.
    bool group_member = false;
    // A partition read to the broker's high watermark that brought nothing for this long is
    // quiet: it no longer holds windows back.
    int idle_partition_ms = 1000;
    std::size_t max_batch = 4096;              // events per EventBatch
    std::size_t queue_batches = 16;            // batches buffered before partitions are paused
    std::size_t dedup_horizon = 1'000'000;     // ids remembered to drop duplicates; 0: none
    std::size_t dead_letter_capacity = 10'000; // dead letters held until someone takes them
    std::size_t dead_letter_payload_bytes = 64 * 1024; // longer payloads are kept cut
    // An event further ahead of the newest one accepted (and of the wall clock) is a dead letter
    // (timestamp_too_far_ahead, generator/event_time_horizon.h).
    TimestampUs max_event_time_ahead = kMicrosPerDay;
};

// Applies one command-line option, named without dashes: "source", "publish", "brokers", "X",
// "group", "topics", "embedded-kafka", "compression", "linger-ms", "topic-partitions",
// "exact-group", "group-member". Flags ("publish", "embedded-kafka", "exact-group",
// "group-member") take an empty value. Returns a
// one-line error naming the option, or nothing when applied. "X" checks the property against
// librdkafka right away, so a typo fails at start-up rather than when the first client is created.
std::optional<std::string> applyKafkaOption(KafkaSettings& settings, std::string_view key,
                                            std::string_view value);
// True for the keys applyKafkaOption understands.
bool isKafkaOption(std::string_view key);
// Checks the combination once every option is applied (e.g. a Kafka source needs a broker).
std::optional<std::string> validateKafkaSettings(const KafkaSettings& settings);
// The --help lines for these options.
std::string kafkaOptionsHelp();

} // namespace gm
