// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/events.h"
#include "pipeline/partial_codec.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/product_table.h"

#include <array>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace gm {

class PgSession;

// A topic the group consumes: its kind of events, its name and how many partitions it has (from
// the broker's metadata). A window of the topic's jobs is final only when every one of those
// partitions has handed it over.
struct GroupTopic {
    EventKind kind = EventKind::Transaction;
    std::string name;
    std::int32_t partitions = 0;
};

struct FinalizeReport {
    bool locked = false; // false: another member holds the group's finalizer lock; nothing done
    // Per job (JobId order), the event time up to which windows are in the public tables after
    // the call; kNoWatermark while some partition of the job's topic has committed nothing.
    std::array<TimestampUs, kJobCount> finalized_up_to{};
    std::size_t partials = 0; // windows of partitions merged
    std::size_t cells = 0;
    std::size_t row_batches = 0; // group_rows batches of per-event rows upserted
    std::size_t rows = 0;        // rows upserted into the public tables
    // Partials of windows merged before (a replay's copies), deleted without being merged.
    std::size_t stale_partials = 0;
};

// A stored partial that cannot be decoded (damaged, or of a format this build does not read):
// the finalization is rolled back and nothing is deleted, so no window is merged without it.
class UnreadablePartial : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The group's finalizer (scale-out, docs/scale-out.md step 2.4): merges the windows every
// partition of their topic has handed over into the public tables, with the code a single
// process emits its rows with (emitMergedParts), so that N members write the rows one process
// writes. One transaction per call, under the group's advisory lock (any member may call it;
// one at a time does the work): the rows upserted, the merged partials and the group_rows
// batches deleted, group_progress advanced. Stock on hand, low-stock alerts and alerts are not
// produced here yet (step 3). Blocking, one connection of its own, one thread at a time.
class GroupFinalizer {
public:
    // `dictionaries` intern the payloads' texts into this process's indexes (ProcessDictionaries
    // in the program); `products` name products in the rows, as the single process does.
    GroupFinalizer(std::string conninfo, std::string group_id, std::vector<GroupTopic> topics,
                   const PipelineConfig& config, std::shared_ptr<const ProductTable> products,
                   PartialDictionaries& dictionaries);
    ~GroupFinalizer();
    GroupFinalizer(const GroupFinalizer&) = delete;
    GroupFinalizer& operator=(const GroupFinalizer&) = delete;

    // Throws PgError (connection, or a serialization failure when a commit raced it: call again)
    // and UnreadablePartial; on any error nothing is written. `now` stamps the rows' processing
    // time columns.
    FinalizeReport finalize(TimestampUs now);

private:
    std::array<TimestampUs, kJobCount> finalWatermarks();
    std::array<TimestampUs, kJobCount> storedProgress();

    std::string conninfo_;
    std::string group_id_;
    std::vector<GroupTopic> topics_;
    const PipelineConfig& config_;
    std::shared_ptr<const ProductTable> products_;
    PartialDictionaries& dictionaries_;
    std::unique_ptr<PgSession> session_;
};

// The topic each job reads (docs/scale-out.md: every job reads one stream).
EventKind topicOfJob(JobId job);

} // namespace gm
