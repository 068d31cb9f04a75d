// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/timestamp.h"

#include <cstdint>
#include <deque>
#include <limits>
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

// What one batch read from one partition: first and last offset, and the newest event time
// among the events it handed out from there (min() when only bad or duplicate messages).
struct OffsetRange {
    std::int64_t first = -1;
    std::int64_t last = -1;
    TimestampUs latest_event = std::numeric_limits<TimestampUs>::min();
};
using OffsetRanges = std::map<TopicPartition, OffsetRange>;

// Which Kafka offsets may be committed, given how far the pipeline's output is durable.
// The source records, for every batch it hands out, its event sequences [first, end) and, per
// partition, the offsets and newest event time it read there (dead letters and duplicates
// included). The lead then reports that every event below sequence S has been processed and
// that no window or session older than event time `oldest_open` is still open, with the rows
// of everything else in PostgreSQL. A partition may then be committed past each of its ranges,
// in order, whose batch ended at or before S and whose newest event is older than
// oldest_open. Per partition rather than per batch: when a backlog is read, one batch can hold
// one partition's events far ahead of another's, and must not hold the other back.
// Thread-safe.
class OffsetTracker {
public:
    void record(std::uint64_t first_sequence, std::uint64_t end_sequence, OffsetRanges ranges);
    // The offsets to commit (next offset to read, per partition) that moved forward.
    std::map<TopicPartition, std::int64_t>
    release(std::uint64_t end_sequence,
            TimestampUs oldest_open = std::numeric_limits<TimestampUs>::max());
    // After a partition is revoked: its offsets are no longer ours to commit.
    void forget(const TopicPartition& partition);

    std::size_t heldRanges() const;
    // Next offset of each partition already released (what a commit said or will say).
    std::map<TopicPartition, std::int64_t> released() const;

private:
    struct Held {
        std::uint64_t end_sequence;
        OffsetRange range;
    };
    mutable std::mutex mutex_;
    std::map<TopicPartition, std::deque<Held>> held_;
    std::map<TopicPartition, std::int64_t> released_;
};

} // namespace gm
