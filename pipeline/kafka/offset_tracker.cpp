// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/kafka/offset_tracker.h"

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
    std::map<TopicPartition, std::int64_t> advanced;
    for (auto& [partition, ranges] : held_) {
        std::int64_t next = -1;
        while (!ranges.empty() && ranges.front().end_sequence <= end_sequence &&
               ranges.front().range.latest_event < oldest_open) {
            next = ranges.front().range.last + 1;
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

void OffsetTracker::forget(const TopicPartition& partition) {
    std::lock_guard lock(mutex_);
    held_.erase(partition);
    released_.erase(partition);
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
