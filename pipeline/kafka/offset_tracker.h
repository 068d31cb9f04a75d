// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/timestamp.h"
#include "pipeline/topic_partition.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace gm {

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
    // Scale-out (docs/scale-out.md step 2.3): the same, with each partition's own oldest open
    // event time (PartitionShards::oldestOpenStart of the partition).
    using OldestOpenOf = std::function<TimestampUs(const TopicPartition&)>;
    std::map<TopicPartition, std::int64_t> release(std::uint64_t end_sequence,
                                                   const OldestOpenOf& oldest_open);

    // Where a member taking a partition over must start reading to rebuild what was open at the
    // last release: the first offset not released, and the newest event time read before it
    // (PartitionShards::resumePartition). next_offset: after the last range recorded up to the
    // end_sequence of the last release. nullopt: nothing recorded or released for the partition.
    struct ReplayPoint {
        std::int64_t replay_from = 0;
        std::int64_t next_offset = 0;
        TimestampUs newest_before = std::numeric_limits<TimestampUs>::min();
    };
    std::optional<ReplayPoint> replayPoint(const TopicPartition& partition) const;
    // A partition resumed from the store: releases continue from its stored replay point.
    void seed(const TopicPartition& partition, const ReplayPoint& point);

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
    template <typename OldestOpen>
    std::map<TopicPartition, std::int64_t> releaseLocked(std::uint64_t end_sequence,
                                                         OldestOpen&& oldest_open);

    mutable std::mutex mutex_;
    std::map<TopicPartition, std::deque<Held>> held_;
    std::map<TopicPartition, std::int64_t> released_;
    // Per partition: the newest event time of the released ranges, and the offset after the
    // last range the last release covered by sequence (released or not).
    std::map<TopicPartition, TimestampUs> released_newest_;
    std::map<TopicPartition, std::int64_t> read_through_;
};

} // namespace gm
