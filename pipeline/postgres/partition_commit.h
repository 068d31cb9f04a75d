// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/emit_context.h"
#include "pipeline/partial_codec.h"
#include "pipeline/partition_shards.h"
#include "pipeline/postgres/partial_store.h"

#include <cstdint>
#include <optional>

namespace gm {

// Where a partition's reading stands when its hand-over is committed (the offset tracker's
// replay point, docs/scale-out.md step 2.3).
struct PartitionPosition {
    std::int64_t next_offset = 0;
    std::int64_t replay_from = 0;
    TimestampUs newest_before_replay = kNoWatermark;
    std::optional<TimestampUs> caught_up_at;
};

// A partition's hand-over as the store takes it (scale-out step 2.3): each closed window encoded
// (pipeline/partial_codec), the per-event rows emitted as the single process emits them (the
// session emitter's order and stamps) and turned into the writer's COPY text, the progress from
// `position` and the hand-over's newest event time and watermarks. Empties handed.closed.
PartitionCommit partitionCommit(PartitionHandOver& handed, const TopicPartition& where,
                                std::int64_t generation, const PartitionPosition& position,
                                PartialEncoder& encoder, const EmitContext& context);

} // namespace gm
