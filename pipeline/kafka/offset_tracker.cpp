// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/kafka/offset_tracker.h"

#include <algorithm>

namespace gm {

void OffsetTracker::record(std::uint64_t, std::uint64_t end_sequence, OffsetRanges ranges) {
    std::lock_guard lock(mutex_);
    for (const auto& [partition, range] : ranges) {
        held_[partition].push_back(Held{end_sequence, range});
    }
}

std::map<TopicPartition, std::int64_t> OffsetTracker::release(std::uint64_t end_sequence,
                                                              TimestampUs oldest_open) {
    std::lock_guard lock(mutex_);
    return releaseLocked(end_sequence, [&](const TopicPartition&) { return oldest_open; });
}

std::map<TopicPartition, std::int64_t> OffsetTracker::release(std::uint64_t end_sequence,
                                                              const OldestOpenOf& oldest_open) {
    std::lock_guard lock(mutex_);
    return releaseLocked(end_sequence, oldest_open);
}

template <typename OldestOpen>
std::map<TopicPartition, std::int64_t> OffsetTracker::releaseLocked(std::uint64_t end_sequence,
                                                                    OldestOpen&& oldest_open) {
    std::map<TopicPartition, std::int64_t> advanced;
    for (auto& [partition, ranges] : held_) {
        for (const Held& held : ranges) {
            if (held.end_sequence > end_sequence) {
                break;
            }
            auto [through, inserted] = read_through_.try_emplace(partition, held.range.last + 1);
            through->second = std::max(through->second, held.range.last + 1);
        }
        const TimestampUs open = oldest_open(partition);
        std::int64_t next = -1;
        while (!ranges.empty() && ranges.front().end_sequence <= end_sequence &&
               ranges.front().range.latest_event < open) {
            next = ranges.front().range.last + 1;
            auto [newest, inserted] =
                released_newest_.try_emplace(partition, ranges.front().range.latest_event);
            newest->second = std::max(newest->second, ranges.front().range.latest_event);
            ranges.pop_front();
        }
        if (next < 0) {
            continue;
        }
        auto [it, inserted] = released_.try_emplace(partition, next);
        if (inserted || it->second < next) {
            it->second = next;
            advanced[partition] = next;
        }
    }
    std::erase_if(held_, [](const auto& entry) { return entry.second.empty(); });
    return advanced;
}

std::optional<OffsetTracker::ReplayPoint>
OffsetTracker::replayPoint(const TopicPartition& partition) const {
    std::lock_guard lock(mutex_);
    const auto released = released_.find(partition);
    const auto held = held_.find(partition);
    ReplayPoint point;
    if (released != released_.end()) {
        point.replay_from = released->second;
    } else if (held != held_.end() && !held->second.empty()) {
        point.replay_from = held->second.front().range.first; // nothing released: all of it
    } else {
        return std::nullopt;
    }
    const auto through = read_through_.find(partition);
    point.next_offset = std::max(
        point.replay_from, through == read_through_.end() ? point.replay_from : through->second);
    if (const auto newest = released_newest_.find(partition); newest != released_newest_.end()) {
        point.newest_before = newest->second;
    }
    return point;
}

void OffsetTracker::seed(const TopicPartition& partition, const ReplayPoint& point) {
    std::lock_guard lock(mutex_);
    released_[partition] = point.replay_from;
    released_newest_[partition] = point.newest_before;
    read_through_[partition] = point.next_offset;
}

void OffsetTracker::forget(const TopicPartition& partition) {
    std::lock_guard lock(mutex_);
    held_.erase(partition);
    released_.erase(partition);
    released_newest_.erase(partition);
    read_through_.erase(partition);
}

std::size_t OffsetTracker::heldRanges() const {
    std::lock_guard lock(mutex_);
    std::size_t count = 0;
    for (const auto& [partition, ranges] : held_) {
        count += ranges.size();
    }
    return count;
}

std::map<TopicPartition, std::int64_t> OffsetTracker::released() const {
    std::lock_guard lock(mutex_);
    return released_;
}

} // namespace gm
