// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/partition_shards.h"

#include "pipeline/partition_hand_over_sink.h"

#include <algorithm>
#include <iterator>
#include <type_traits>

namespace gm {
namespace {

EventKind topicOf(JobId job) {
    switch (job) {
    case JobId::Views:
        return EventKind::ProductView;
    case JobId::Carts:
        return EventKind::Cart;
    default:
        return EventKind::Transaction; // sales, anomalies, inventory
    }
}

// f(job, from, to) for every table of closed windows in two outputs.
template <typename From, typename To, typename F>
void forEachWindowTable(From& from, To& to, F&& f) {
    f(JobId::Sales, from.sales.by_country, to.sales.by_country);
    f(JobId::Carts, from.carts.metrics, to.carts.metrics);
    f(JobId::Carts, from.carts.sessions, to.carts.sessions);
    f(JobId::Views, from.views.trending, to.views.trending);
    f(JobId::Views, from.views.categories, to.views.categories);
    f(JobId::Views, from.views.searches, to.views.searches);
    f(JobId::Views, from.views.browsing, to.views.browsing);
    f(JobId::Anomalies, from.anomalies.suspicious, to.anomalies.suspicious);
    f(JobId::Anomalies, from.anomalies.stats, to.anomalies.stats);
    f(JobId::Inventory, from.inventory.by_country, to.inventory.by_country);
    f(JobId::Inventory, from.inventory.demand, to.inventory.demand);
    f(JobId::Inventory, from.inventory.metrics, to.inventory.metrics);
}

// f(from, to) for the rows that are final as soon as their partition produces them: per-event
// anomalies and abandoned carts (a session lives in one partition: its user's).
template <typename From, typename To, typename F> void forEachRowTable(From& from, To& to, F&& f) {
    f(from.carts.abandoned, to.carts.abandoned);
    f(from.anomalies.high_value, to.anomalies.high_value);
    f(from.anomalies.high_quantity, to.anomalies.high_quantity);
}

template <typename T> void moveAppend(std::vector<T>& from, std::vector<T>& to) {
    if (from.empty()) {
        return;
    }
    if (to.empty()) {
        to.swap(from);
        return;
    }
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
    from.clear();
}

// Appends everything in `from` to `to`, leaving `from` empty.
void moveAll(ShardOutput& from, ShardOutput& to) {
    forEachWindowTable(from, to, [](JobId, auto& a, auto& b) { moveAppend(a, b); });
    forEachRowTable(from, to, [](auto& a, auto& b) { moveAppend(a, b); });
}

} // namespace

PartitionShards::PartitionShards(const PipelineConfig& config) : config_(config) {
    released_.fill(kNoWatermark);
    resumed_.fill(kNoWatermark);
}

PartitionShards::Partition& PartitionShards::partitionOf(const Key& key) {
    auto found = partitions_.find(key);
    if (found == partitions_.end()) {
        found = partitions_.try_emplace(key, config_).first;
        Partition& created = found->second;
        created.floor = resumed_;
        if (resume_source_) {
            if (const std::optional<PartitionResume> resume =
                    resume_source_(key.first, key.second)) {
                for (std::size_t job = 0; job < kJobCount; ++job) {
                    created.floor[job] = std::max(created.floor[job], resume->floors[job]);
                }
                created.newest = std::max(created.newest, resume->newest_before);
            }
        }
        created.shard.resumeFrom(created.floor);
    }
    return found->second;
}

void PartitionShards::assign(std::span<const PartitionState> partitions) {
    std::map<Key, const PartitionState*> listed;
    for (const PartitionState& state : partitions) {
        listed[{state.topic, state.partition}] = &state;
    }
    std::erase_if(partitions_, [&](const auto& entry) {
        const auto found = listed.find(entry.first);
        // A group member's partition assigned anew was claimed anew: it is rebuilt from what the
        // store says (the source reads it again from the stored replay point), not continued.
        return found == listed.end() ||
               (resume_source_ && found->second->epoch != entry.second.epoch);
    });
    for (const auto& [key, state] : listed) {
        Partition& partition = partitionOf(key);
        partition.quiet = state->quiet;
        partition.epoch = state->epoch;
    }
}

void PartitionShards::resumeFrom(const std::array<TimestampUs, kJobCount>& watermarks) {
    resumed_ = watermarks;
    for (auto& [key, partition] : partitions_) {
        partition.floor = watermarks;
        partition.shard.resumeFrom(watermarks);
    }
}

void PartitionShards::resumePartition(EventKind topic, std::int32_t partition_id,
                                      const std::array<TimestampUs, kJobCount>& floors,
                                      TimestampUs newest_before) {
    Partition& partition = partitionOf({topic, partition_id});
    for (std::size_t job = 0; job < kJobCount; ++job) {
        partition.floor[job] = std::max(partition.floor[job], floors[job]);
    }
    partition.shard.resumeFrom(partition.floor);
    partition.newest = std::max(partition.newest, newest_before);
}

Watermarks PartitionShards::watermarksOf(const Partition& partition, TimestampUs newest_before,
                                         TimestampUs newest_after) const {
    Watermarks watermarks;
    // A scale-out member releases nothing itself (each partition hands its own windows over):
    // only a quiet partition follows the others' time, so that it does not hold the group's
    // windows forever. An active one, or one just taken over with older events, keeps its own.
    const bool follows_released = !resume_source_ || partition.quiet;
    for (std::size_t job = 0; job < kJobCount; ++job) {
        const TimestampUs lateness = config_.lateness[job];
        // Never below what was released: a window already out must not take more events.
        const TimestampUs released = follows_released ? released_[job] : kNoWatermark;
        watermarks.natural_before[job] = std::max(watermarkFrom(newest_before, lateness), released);
        watermarks.natural_after[job] = std::max(watermarkFrom(newest_after, lateness), released);
        watermarks.before[job] = std::max(watermarks.natural_before[job], partition.floor[job]);
        watermarks.after[job] = std::max(watermarks.natural_after[job], partition.floor[job]);
    }
    return watermarks;
}

void PartitionShards::keepClosed(Partition& partition) {
    for (std::size_t job = 0; job < kJobCount; ++job) {
        late_[job] += closed_.late[job];
    }
    moveAll(closed_, partition.held);
}

void PartitionShards::closeInto(Partition& partition, const Watermarks& watermarks) {
    partition.shard.process({}, {}, {}, watermarks, closed_, SIZE_MAX);
    keepClosed(partition);
}

void PartitionShards::add(std::int32_t partition_id, std::span<const ProductViewEvent> views,
                          std::span<const CartEvent> carts,
                          std::span<const Transaction> transactions) {
    // One event at a time: the event is judged against the partition's watermark just before
    // it, and what that watermark closes is closed before the next event. The rows then depend
    // on the partition's message order alone, however its messages were cut into batches.
    auto each = [&](EventKind topic, auto events) {
        if (events.empty()) {
            return;
        }
        Partition& partition = partitionOf({topic, partition_id});
        for (std::size_t i = 0; i < events.size(); ++i) {
            const auto one = events.subspan(i, 1);
            const TimestampUs newest = std::max(partition.newest, one.front().timestamp);
            const Watermarks watermarks = watermarksOf(partition, partition.newest, newest);
            using Event = typename decltype(one)::value_type;
            if constexpr (std::is_same_v<Event, ProductViewEvent>) {
                partition.shard.process(one, {}, {}, watermarks, closed_, SIZE_MAX);
            } else if constexpr (std::is_same_v<Event, CartEvent>) {
                partition.shard.process({}, one, {}, watermarks, closed_, SIZE_MAX);
            } else {
                partition.shard.process({}, {}, one, watermarks, closed_, SIZE_MAX);
            }
            partition.newest = newest;
            keepClosed(partition);
        }
    };
    each(EventKind::ProductView, views);
    each(EventKind::Cart, carts);
    each(EventKind::Transaction, transactions);
}

void PartitionShards::advanceIdle(TimestampUs now) {
    idle_until_ = std::max(idle_until_, now);
}

TimestampUs PartitionShards::topicTime(EventKind topic) const {
    bool any_active = false;
    TimestampUs slowest_active = kFlushWatermark;
    TimestampUs newest = idle_until_;
    for (const auto& [key, partition] : partitions_) {
        newest = std::max(newest, partition.newest);
        if (!partition.quiet) {
            any_active = true;
            slowest_active = std::min(slowest_active, partition.newest);
        }
    }
    // With every partition quiet the data is all read: the newest event (or the idle clock)
    // is the time, as for the single-partition engine. Before any event nothing closes.
    const TimestampUs quiet_time = any_active ? slowest_active : newest;
    TimestampUs time = kFlushWatermark;
    bool has_partition = false;
    for (const auto& [key, partition] : partitions_) {
        if (key.first != topic) {
            continue;
        }
        has_partition = true;
        time = std::min(time, partition.quiet ? std::max(partition.newest, quiet_time)
                                              : partition.newest);
    }
    return has_partition ? time : quiet_time;
}

Watermarks PartitionShards::release(ShardOutput& out) {
    out.clear();
    Watermarks watermarks;
    watermarks.natural_before = released_;
    for (std::size_t job = 0; job < kJobCount; ++job) {
        const TimestampUs time = topicTime(topicOf(static_cast<JobId>(job)));
        released_[job] = std::max(released_[job], watermarkFrom(time, config_.lateness[job]));
    }
    watermarks.natural_after = released_;
    for (std::size_t job = 0; job < kJobCount; ++job) {
        watermarks.before[job] = std::max(watermarks.natural_before[job], resumed_[job]);
        watermarks.after[job] = std::max(watermarks.natural_after[job], resumed_[job]);
    }
    for (auto& [key, partition] : partitions_) {
        // A quiet partition's own watermark may be behind what is released now: its windows up
        // to there close too, so that each window leaves once with every partition's part.
        if (partition.quiet) {
            closeInto(partition, watermarksOf(partition, partition.newest, partition.newest));
        }
        forEachWindowTable(partition.held, out, [&](JobId job, auto& held, auto& to) {
            const TimestampUs until = watermarks.after[static_cast<std::size_t>(job)];
            // Held windows are in closing order, which is ascending end: take a prefix.
            const auto ready = std::find_if(held.begin(), held.end(),
                                            [&](const auto& window) { return window.end > until; });
            to.insert(to.end(), std::make_move_iterator(held.begin()),
                      std::make_move_iterator(ready));
            held.erase(held.begin(), ready);
        });
        forEachRowTable(partition.held, out, [](auto& held, auto& to) { moveAppend(held, to); });
    }
    out.late = late_;
    late_.fill(0);
    return watermarks;
}

void PartitionShards::closeAll() {
    closeEverything();
    // Every window of every partition is closed now: the next hand-over says so, so that the
    // group can finalize them all.
    for (auto& [key, partition] : partitions_) {
        partition.floor.fill(kFlushWatermark);
    }
}

void PartitionShards::closeEverything() {
    Watermarks watermarks;
    watermarks.before.fill(kFlushWatermark);
    watermarks.after.fill(kFlushWatermark);
    watermarks.natural_before.fill(kFlushWatermark);
    watermarks.natural_after.fill(kFlushWatermark);
    for (auto& [key, partition] : partitions_) {
        closeInto(partition, watermarks);
    }
}

void PartitionShards::flush(ShardOutput& out) {
    out.clear();
    closeEverything();
    for (auto& [key, partition] : partitions_) {
        moveAll(partition.held, out);
    }
    out.late = late_;
    late_.fill(0);
}

void PartitionShards::handOver(std::vector<PartitionHandOver>& out) {
    out.resize(partitions_.size());
    auto entry = out.begin();
    for (auto& [key, partition] : partitions_) {
        // Whatever the reported watermarks allow is closed, also when the topic's release
        // raised them past this partition's own events (a quiet partition).
        const Watermarks watermarks = watermarksOf(partition, partition.newest, partition.newest);
        closeInto(partition, watermarks);
        entry->topic = key.first;
        entry->partition = key.second;
        entry->closed.clear();
        moveAll(partition.held, entry->closed);
        entry->newest = partition.newest;
        entry->oldest_open = oldestOpenStart(partition);
        entry->watermarks = watermarks.after;
        entry->epoch = partition.epoch;
        ++entry;
    }
}

void PartitionShards::peek(ShardOutput& out) const {
    out.clear();
    ShardOutput open;
    for (const auto& [key, partition] : partitions_) {
        partition.shard.peek(open);
        const ShardOutput& held = partition.held;
        // Copies of the held windows the snapshot shows (the tables Shard::peek covers).
        auto copy = [](const auto& from, auto& to) {
            to.insert(to.end(), from.begin(), from.end());
        };
        copy(held.sales.by_country, out.sales.by_country);
        copy(held.carts.metrics, out.carts.metrics);
        copy(held.anomalies.stats, out.anomalies.stats);
        copy(held.inventory.metrics, out.inventory.metrics);
        moveAll(open, out);
    }
}

TimestampUs PartitionShards::oldestOpenStart(const Partition& partition) {
    TimestampUs oldest = partition.shard.oldestOpenStart();
    const ShardOutput& held = partition.held;
    forEachWindowTable(held, held, [&](JobId, const auto& windows, const auto&) {
        if (!windows.empty()) {
            oldest = std::min(oldest, windows.front().start);
        }
    });
    // Rows not released yet (between add and release) are as good as open.
    for (const AbandonedCartRow& row : held.carts.abandoned) {
        oldest = std::min(oldest, row.window_start);
    }
    for (const HighValueAnomalyRow& row : held.anomalies.high_value) {
        oldest = std::min(oldest, row.timestamp);
    }
    for (const HighQuantityAnomalyRow& row : held.anomalies.high_quantity) {
        oldest = std::min(oldest, row.timestamp);
    }
    return oldest;
}

TimestampUs PartitionShards::oldestOpenStart() const {
    TimestampUs oldest = kFlushWatermark;
    for (const auto& [key, partition] : partitions_) {
        oldest = std::min(oldest, oldestOpenStart(partition));
    }
    return oldest;
}

TimestampUs PartitionShards::oldestOpenStart(EventKind topic, std::int32_t partition) const {
    const auto found = partitions_.find({topic, partition});
    return found == partitions_.end() ? kFlushWatermark : oldestOpenStart(found->second);
}

std::array<std::size_t, kJobCount> PartitionShards::openWindows() const {
    std::array<std::size_t, kJobCount> open{};
    for (const auto& [key, partition] : partitions_) {
        const auto counts = partition.shard.openWindows();
        for (std::size_t job = 0; job < kJobCount; ++job) {
            open[job] += counts[job];
        }
    }
    return open;
}

std::size_t PartitionShards::openSessions() const {
    std::size_t sessions = 0;
    for (const auto& [key, partition] : partitions_) {
        sessions += partition.shard.openSessions();
    }
    return sessions;
}

} // namespace gm
