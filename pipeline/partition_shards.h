// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/shard.h"

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace gm {

// What one partition hands to the group's store (scale-out, docs/scale-out.md step 2.3): the
// windows it closed and the per-event rows it produced since its last hand-over, with where it
// stands, so that a member taking the partition over can rebuild what was still open.
struct PartitionResume;

struct PartitionHandOver {
    EventKind topic = EventKind::Transaction;
    std::int32_t partition = 0;
    ShardOutput closed;                        // late counts stay with release()
    TimestampUs newest = kNoWatermark;         // newest event time read from the partition
    TimestampUs oldest_open = kFlushWatermark; // oldest window or session still open in it
    // Per job, the partition's watermark: every window ending at or before it is in `closed`
    // now or was in an earlier hand-over. A member resuming the partition takes these as floors.
    std::array<TimestampUs, kJobCount> watermarks{};
    // The assignment of the partition this state was built in (PartitionState::epoch): a group
    // member stores only the hand-overs of its current claim's assignment.
    std::uint32_t epoch = 0;
};

// Exact mode (`--exact-group`, docs/scale-out.md step 1): window state per topic partition
// instead of per hash range of users, so that the rows depend on the topic data alone and not
// on how the reads of the partitions interleave.
//
// Each partition has its own Shard and its own watermark: the newest event time read from that
// partition before an event, minus the job's lateness, judges that event (one event at a time,
// so batch boundaries do not matter either) and closes that partition's windows. Its closed
// windows wait here until every partition of the topic has closed them; then the windows of all
// partitions go out together, to be merged by the same emit* code that merges worker shards.
//
// A quiet partition (the source says it was read to the broker's high watermark and has been
// idle) stops holding windows back: its watermark is taken as the slowest active partition's of
// any topic, or, when every partition is quiet, as the newest event read (or the idle clock).
// Events it brings later for windows already released are late.
class PartitionShards {
public:
    explicit PartitionShards(const PipelineConfig& config);

    // The source's partitions as they are now: shards of new ones are created, shards of
    // partitions no longer listed are dropped with their state (another member owns them).
    // With a resume source (a scale-out member), a partition listed with a new epoch is dropped
    // and created again from the store.
    void assign(std::span<const PartitionState> partitions);
    // Events of one partition, in offset order (all of them of the partition's topic). A
    // partition not assigned yet is created.
    void add(std::int32_t partition, std::span<const ProductViewEvent> views,
             std::span<const CartEvent> carts, std::span<const Transaction> transactions);
    // The source has been idle past the timeout: when every partition is quiet, windows may close
    // up to `now` (the simulation clock), as in the single-partition engine.
    void advanceIdle(TimestampUs now);
    // Moves what may leave into `out` (cleared first): windows every partition of their topic has
    // closed, per-event rows, late counts since the last call. Returns the watermarks: `before`
    // as they were at the previous release, `after` the ones released now.
    Watermarks release(ShardOutput& out);
    // Closes every window and session of every partition and releases all of them.
    void flush(ShardOutput& out);
    // See StreamEngine::resumeFrom: windows ending at or before these were written by a run
    // before; events for them are late (counted as replayed by the engine).
    void resumeFrom(const std::array<TimestampUs, kJobCount>& watermarks);

    // Scale-out (docs/scale-out.md step 2.3): a member does not wait for the topic's other
    // partitions, which other members may own. It hands each partition's closed windows and
    // per-event rows over (to be stored with the partition's progress, in one transaction) and
    // the group's finalizer merges them; release() then carries only the late counts. One entry
    // per partition, in partition order, also for partitions with nothing closed (their
    // progress moves).
    void handOver(std::vector<PartitionHandOver>& out);
    // Closes every window and session of every partition into what handOver() takes next (the
    // end of a run whose partitions are not taken over by anyone); that hand-over reports
    // kFlushWatermark for every job, and later events of these partitions are late.
    void closeAll();
    // A member takes the partition over from the store: windows ending at or before `floors`
    // (the stored PartitionHandOver::watermarks) were handed over by the previous owner, and
    // the events it replays from the stored replay offset were preceded by events up to
    // `newest_before` (OffsetTracker::ReplayPoint), so that lateness and session expiry are
    // judged as they were when those events were read the first time.
    void resumePartition(EventKind topic, std::int32_t partition,
                         const std::array<TimestampUs, kJobCount>& floors,
                         TimestampUs newest_before);
    // Scale-out: asked when a partition's shard is created (assigned, or its first events), so
    // that a partition taken over from the store resumes where the store says (resumePartition).
    using ResumeSource = std::function<std::optional<PartitionResume>(EventKind, std::int32_t)>;
    void setResumeSource(ResumeSource source) { resume_source_ = std::move(source); }

    // Event time of the oldest window or session open or held in one partition;
    // kFlushWatermark when none (or no such partition).
    TimestampUs oldestOpenStart(EventKind topic, std::int32_t partition) const;

    // Open and closed-but-held windows, for live values (see PipelineSnapshot::partial).
    void peek(ShardOutput& out) const;
    // Event time of the oldest window or session open or held; kFlushWatermark when none.
    TimestampUs oldestOpenStart() const;
    std::array<std::size_t, kJobCount> openWindows() const;
    std::size_t openSessions() const;
    std::size_t partitionCount() const { return partitions_.size(); }

private:
    struct Partition {
        explicit Partition(const PipelineConfig& config) : shard(config) {}
        Shard shard;
        TimestampUs newest = kNoWatermark; // newest event time read from the partition
        bool quiet = false;
        std::uint32_t epoch = 0; // PartitionState::epoch of its assignment
        // Per job: windows ending at or before this were written by an earlier run or owner.
        std::array<TimestampUs, kJobCount> floor{};
        ShardOutput held; // windows this partition closed, waiting for the topic's others
    };
    using Key = std::pair<EventKind, std::int32_t>;

    Partition& partitionOf(const Key& key);
    // Per job: the partition's own watermark, never below what was released (plus, for
    // tumbling windows, the resumed run's floor).
    Watermarks watermarksOf(const Partition& partition, TimestampUs newest_before,
                            TimestampUs newest_after) const;
    static TimestampUs oldestOpenStart(const Partition& partition);
    // Event time every partition of `topic` has reached, quiet ones counted as described above.
    TimestampUs topicTime(EventKind topic) const;
    // Moves what the last Shard::process call put in closed_ to the partition's held windows.
    void keepClosed(Partition& partition);
    void closeInto(Partition& partition, const Watermarks& watermarks);
    void closeEverything();

    const PipelineConfig& config_;
    ResumeSource resume_source_;
    std::map<Key, Partition> partitions_; // ordered: windows merge in a fixed partition order
    std::array<TimestampUs, kJobCount> released_;
    std::array<TimestampUs, kJobCount> resumed_;
    std::array<std::uint64_t, kJobCount> late_{};
    TimestampUs idle_until_ = kNoWatermark;
    ShardOutput closed_; // one call's output of a shard, moved to its partition's held windows
};

} // namespace gm
