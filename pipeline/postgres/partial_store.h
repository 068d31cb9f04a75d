// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/timestamp.h"
#include "pipeline/postgres/table_batch.h"
#include "pipeline/topic_partition.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gm {

// Scale-out (issue 18, docs/scale-out.md step 2): where the members of one consumer group keep
// what each topic partition's shard closed (sql/migrations/0009_group_partials.sql and 0010) until
// the group merges it into the public tables. Payloads are opaque here (pipeline/partial_codec).

// Where a partition stands after its last commit.
struct PartitionProgress {
    std::int64_t next_offset = 0; // the first offset whose events are not covered yet
    std::int64_t replay_from = 0; // where a new owner reads from to rebuild the open windows
    std::optional<TimestampUs> newest_event; // the newest event time read from the partition
    std::optional<TimestampUs> caught_up_at; // read to the end and quiet since (idle rule)
    // The newest event time read before replay_from (PartitionShards::resumePartition).
    std::optional<TimestampUs> newest_before_replay;
    // Per job (JobId order), the partition's watermark at the commit: windows ending at or
    // before it are stored. Empty, or kJobCount values (kNoWatermark allowed).
    std::vector<TimestampUs> job_watermarks;
};

// What claiming a partition hands its new owner.
struct PartitionClaim {
    std::int64_t generation = 0;               // the commit token (see PartitionFenced)
    std::optional<PartitionProgress> progress; // nullopt: nobody committed anything yet
};

// One table's closed window of one partition.
struct StoredPartial {
    std::string table_id;
    TimestampUs window_start = 0;
    TimestampUs window_end = 0;
    std::string payload; // bytes
};

struct PartitionCommit {
    TopicPartition partition;
    std::int64_t generation = 0;
    PartitionProgress progress;
    std::vector<StoredPartial> partials;
    // Per-event rows (final when produced) for the finalizer to upsert into their tables
    // (group_rows, migration 0011); the COPY text and layout of PostgresRowSink's batches.
    std::vector<TableBatch> rows;
};

// A partition's row as stored, for the merge and the System page.
struct StoredPartitionState {
    TopicPartition partition;
    std::string owner;
    std::int64_t generation = 0;
    std::optional<PartitionProgress> progress;
};

// A commit refused because another member claimed the partition after this one did: its work
// for the partition is stale and must be dropped, never retried.
class PartitionFenced : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Blocking, one connection of its own; one thread at a time. Connection and SQL errors throw
// (pqxx exceptions, or std::invalid_argument for arguments the schema cannot hold).
class PartialStore {
public:
    PartialStore(const std::string& conninfo, std::string group_id);
    ~PartialStore();
    PartialStore(const PartialStore&) = delete;
    PartialStore& operator=(const PartialStore&) = delete;

    // Takes the partition over for member_id: raises its generation (so that the previous
    // owner's later commits are refused) and returns what was committed for it.
    PartitionClaim claim(const TopicPartition& partition, std::string_view member_id);

    // The partition's partials and its progress in one transaction: both or neither. A partial
    // for a window already stored for the partition replaces it (a replay writes the same
    // window again). Throws PartitionFenced, writing nothing, when the generation is not the
    // partition's current one.
    void commit(const PartitionCommit& commit);

    // Every partition of the topic the group has claimed, in partition order.
    std::vector<StoredPartitionState> partitions(std::string_view topic);

    // The topic's partials of windows ending at or before up_to, ordered by window end, table,
    // window start and partition (the order the merge consumes them in).
    std::vector<std::pair<std::int32_t, StoredPartial>> partialsEndingBy(std::string_view topic,
                                                                         TimestampUs up_to);

    const std::string& groupId() const { return group_id_; }

private:
    struct Connection; // libpqxx stays out of this header
    std::unique_ptr<Connection> connection_;
    std::string group_id_;
};

} // namespace gm
