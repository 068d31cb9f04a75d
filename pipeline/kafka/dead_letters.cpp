// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/kafka/dead_letters.h"

#include <algorithm>

namespace gm {

void DeadLetterQueue::push(DeadLetter&& letter) {
    total_.fetch_add(1);
    by_reason_[static_cast<std::size_t>(letter.reason)].fetch_add(1);
    letter.payload_bytes = std::max(letter.payload_bytes, letter.payload.size());
    if (letter.payload.size() > max_payload_bytes_) {
        letter.payload.resize(max_payload_bytes_);
    }
    std::lock_guard lock(mutex_);
    if (letters_.size() >= capacity_) {
        dropped_.fetch_add(1);
        return;
    }
    letters_.push_back(std::move(letter));
}

std::vector<DeadLetter> DeadLetterQueue::take(std::size_t max) {
    std::lock_guard lock(mutex_);
    const std::size_t n = std::min(max, letters_.size());
    std::vector<DeadLetter> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(std::move(letters_.front()));
        letters_.pop_front();
    }
    return out;
}

std::array<std::uint64_t, kRejectReasonCount> DeadLetterQueue::countsByReason() const {
    std::array<std::uint64_t, kRejectReasonCount> counts{};
    for (std::size_t i = 0; i < counts.size(); ++i) {
        counts[i] = by_reason_[i].load();
    }
    return counts;
}

std::size_t DeadLetterQueue::size() const {
    std::lock_guard lock(mutex_);
    return letters_.size();
}

} // namespace gm
