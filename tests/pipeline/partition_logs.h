// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/catalog.h"
#include "generator/events.h"
#include "pipeline/topic_partition.h"

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace gm::test {

// A shop's events split into topic partitions the way our publisher splits them, for the exact
// mode and scale-out tests (docs/scale-out.md).
constexpr TimestampUs kPartitionLogStart = 1'767'225'600'000'000; // 2026-01-01T00:00:00Z
constexpr int kLogPartitions = 4;

// Events of one topic partition, in offset order (the offset of an event is its index).
struct PartitionLog {
    EventKind topic = EventKind::Transaction;
    std::int32_t partition = 0;
    EventBatch events; // only the topic's vector is filled
    std::size_t size() const { return events.size(); }
};

// Like our publisher: a user's events of one topic go to one partition.
std::int32_t partitionOfUser(UserId user);

// The shop's events in generation order (one batch per generate call) and the same events split
// into partition logs. With `late_every` > 0, every late_every-th event of a partition is
// followed by a copy two minutes older (a new id): late against that partition's watermark.
struct PartitionedShop {
    std::vector<EventBatch> in_order;
    std::vector<PartitionLog> logs; // topic-major: logs[topic * kLogPartitions + partition]
    std::size_t late_copies = 0;
};
PartitionedShop partitionedShop(const Catalog& catalog, int late_every);

// Every topic partition, none quiet.
std::vector<PartitionState> allLogPartitions();

// Events [from, from + count) of a partition log as one batch of that partition.
EventBatch slice(const PartitionLog& log, std::size_t from, std::size_t count);

enum class Order {
    RoundRobin,    // every partition a batch of 100 in turn
    OneFarAhead,   // partition 0 of every topic read to its end first, then the rest by turns
    RandomBatches, // a random partition, a random batch size (1 to 700), seeded
};

// The batches one interleaving of the logs makes, with consecutive sequences; the first carries
// the assignment.
std::vector<EventBatch> interleave(const std::vector<PartitionLog>& logs, Order order,
                                   unsigned seed);

// Scale-out tests without a broker: offsets are the events' positions in their partition's log,
// topics are named as our publisher's defaults.
const char* topicName(EventKind topic);
TopicPartition topicPartition(EventKind topic, std::int32_t partition);
EventKind topicOf(const TopicPartition& partition);

// A batch of one partition with the offset of its first event.
struct OffsetBatch {
    EventBatch events;
    EventKind topic = EventKind::Transaction;
    std::int64_t first_offset = 0;
};

// The logs from the given offsets on (0 where none is given), interleaved round robin, with
// their offsets; sequences start at first_sequence.
std::vector<OffsetBatch>
batchesFrom(const std::vector<PartitionLog>& logs,
            const std::map<std::pair<EventKind, std::int32_t>, std::int64_t>& start_offsets,
            std::uint64_t first_sequence);

// The newest event time of a batch.
TimestampUs newestOf(const EventBatch& batch);

} // namespace gm::test
