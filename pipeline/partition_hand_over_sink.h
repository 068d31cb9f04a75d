// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/partition_shards.h"

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace gm {

// Where a partition taken over from the group's store stands before its first event is read
// (PartitionShards::resumePartition).
struct PartitionResume {
    std::array<TimestampUs, kJobCount> floors{};
    TimestampUs newest_before = kNoWatermark;
};

// A member of a scale-out consumer group (docs/scale-out.md step 2): instead of emitting rows,
// the exact-mode engine hands each partition's closed windows and per-event rows to this sink
// from time to time, to be stored with the partition's progress; the group's finalizer writes
// the rows. Called on the engine's thread.
class PartitionHandOverSink {
public:
    virtual ~PartitionHandOverSink() = default;
    // Whether to hand over now (the engine asks once per finished batch or idle tick).
    virtual bool handOverDue() = 0;
    // Every event with a sequence below end_sequence has been processed; `handed` holds each
    // assigned partition's hand-over (PartitionShards::handOver). `shards` answers where each
    // partition's oldest open window starts. May block (a database commit): the engine's input
    // then waits, which is the back-pressure the source needs.
    virtual void handOver(std::uint64_t end_sequence, std::vector<PartitionHandOver>& handed,
                          const PartitionShards& shards) = 0;
    // What the store says for a partition the engine is about to create; nullopt: start afresh.
    virtual std::optional<PartitionResume> resumeOf(EventKind topic, std::int32_t partition) = 0;
};

} // namespace gm
