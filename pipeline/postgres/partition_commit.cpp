// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/partition_commit.h"

#include "pipeline/partial_merge.h"
#include "pipeline/postgres/row_table_batches.h"

#include <limits>
#include <vector>

namespace gm {

namespace {

// Per-event rows travel as rows: the finalizer upserts them on their keys, so that a replay
// writing them again changes nothing.
constexpr std::size_t kRowsPerBatch = 20'000;

std::optional<TimestampUs> known(TimestampUs time) {
    return time == kNoWatermark ? std::nullopt : std::optional<TimestampUs>(time);
}

} // namespace

PartitionCommit partitionCommit(PartitionHandOver& handed, const TopicPartition& where,
                                std::int64_t generation, const PartitionPosition& position,
                                PartialEncoder& encoder, const EmitContext& context) {
    PartitionCommit commit;
    commit.partition = where;
    commit.generation = generation;
    commit.progress.next_offset = position.next_offset;
    commit.progress.replay_from = position.replay_from;
    commit.progress.newest_event = known(handed.newest);
    commit.progress.caught_up_at = position.caught_up_at;
    commit.progress.newest_before_replay = known(position.newest_before_replay);
    commit.progress.job_watermarks.assign(handed.watermarks.begin(), handed.watermarks.end());

    std::vector<EncodedPartial> encoded;
    encoder.encode(handed.closed, encoded);
    commit.partials.reserve(encoded.size());
    for (EncodedPartial& partial : encoded) {
        commit.partials.push_back({std::move(partial.table_id), partial.window_start,
                                   partial.window_end, std::move(partial.payload)});
    }

    std::vector<ShardOutput> per_event(1);
    per_event[0].carts.abandoned = std::move(handed.closed.carts.abandoned);
    per_event[0].anomalies.high_value = std::move(handed.closed.anomalies.high_value);
    per_event[0].anomalies.high_quantity = std::move(handed.closed.anomalies.high_quantity);
    handed.closed.clear();
    RowBatch rows;
    emitMergedParts(per_event, context, rows);
    forEachTableBatch(rows, kRowsPerBatch,
                      [&](TableBatch&& batch) { commit.rows.push_back(std::move(batch)); });
    return commit;
}

} // namespace gm
