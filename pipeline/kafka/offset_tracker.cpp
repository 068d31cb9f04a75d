// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/kafka/offset_tracker.h"

namespace gm {

void OffsetTracker::record(std::uint64_t first_sequence, std::uint64_t end_sequence,
                           OffsetRanges ranges) {
    std::lock_guard lock(mutex_);
    held_.push_back(Held{first_sequence, end_sequence, std::move(ranges)});
}

std::map<TopicPartition, std::int64_t> OffsetTracker::release(std::uint64_t end_sequence) {
    std::lock_guard lock(mutex_);
    std::map<TopicPartition, std::int64_t> advanced;
    while (!held_.empty() && held_.front().end_sequence <= end_sequence) {
        for (const auto& [partition, range] : held_.front().ranges) {
            const std::int64_t next = range.second + 1;
            auto [it, inserted] = released_.try_emplace(partition, next);
            if (inserted || it->second < next) {
                it->second = next;
                advanced[partition] = next;
            }
        }
        held_.pop_front();
    }
    return advanced;
}

void OffsetTracker::forget(const TopicPartition& partition) {
    std::lock_guard lock(mutex_);
    for (auto& held : held_) {
        held.ranges.erase(partition);
    }
    released_.erase(partition);
}

std::size_t OffsetTracker::heldBatches() const {
    std::lock_guard lock(mutex_);
    return held_.size();
}

std::map<TopicPartition, std::int64_t> OffsetTracker::released() const {
    std::lock_guard lock(mutex_);
    return released_;
}

} // namespace gm
