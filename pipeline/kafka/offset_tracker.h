// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace gm {

struct TopicPartition {
    std::string topic;
    std::int32_t partition = 0;
    friend auto operator<=>(const TopicPartition&, const TopicPartition&) = default;
};

// The offsets one stretch of the stream was read from: per partition, first and last offset.
using OffsetRanges = std::map<TopicPartition, std::pair<std::int64_t, std::int64_t>>;

// Which Kafka offsets may be committed, given how far the pipeline's output is durable.
// The source records, for every batch it hands out, the event sequences [first, end) and the
// offsets they came from (including dead letters and duplicates read in the same stretch).
// When the lead reports that every event before sequence S has all its windows closed and
// their rows in PostgreSQL, every batch ending at or before S is released, and each partition
// may be committed up to one past its last released offset. Batches are released in order, and
// offsets grow with sequences within a partition, so that is also the smallest offset still held
// by an unreleased batch. Thread-safe.
class OffsetTracker {
public:
    void record(std::uint64_t first_sequence, std::uint64_t end_sequence, OffsetRanges ranges);
    // The offsets to commit (next offset to read, per partition) that moved forward.
    std::map<TopicPartition, std::int64_t> release(std::uint64_t end_sequence);
    // After a partition is revoked: its offsets are no longer ours to commit.
    void forget(const TopicPartition& partition);

    std::size_t heldBatches() const;
    // Next offset of each partition already released (what a commit said or will say).
    std::map<TopicPartition, std::int64_t> released() const;

private:
    struct Held {
        std::uint64_t first_sequence;
        std::uint64_t end_sequence;
        OffsetRanges ranges;
    };
    mutable std::mutex mutex_;
    std::deque<Held> held_;
    std::map<TopicPartition, std::int64_t> released_;
};

} // namespace gm
