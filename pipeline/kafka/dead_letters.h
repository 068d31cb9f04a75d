// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/timestamp.h"
#include "generator/validation.h"

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace gm {

// A message that failed decoding or validation, with where it came from, for the
// rejected_events table (RejectedEvent: source "kafka", reason = reasonName(reason)).
struct DeadLetter {
    TimestampUs received_at = 0; // wall clock, UTC
    std::string topic;
    std::int32_t partition = -1;
    std::int64_t offset = -1;
    std::string key;
    std::string payload;           // raw bytes, cut to the holder's payload limit
    std::size_t payload_bytes = 0; // size as received
    RejectReason reason = RejectReason::MalformedJson;
    std::string detail; // one line naming the field
};

// Dead letters between the consumer thread and whoever stores them. Bounded twice: in count,
// because a producer gone wrong can send millions, and in payload size, because a 1 MB payload
// times the capacity would be gigabytes. What does not fit is counted, never silently lost.
// Counts by reason include every dead letter, kept or not.
class DeadLetterQueue {
public:
    DeadLetterQueue(std::size_t capacity, std::size_t max_payload_bytes)
        : capacity_(capacity), max_payload_bytes_(max_payload_bytes) {}

    void push(DeadLetter&& letter);
    // Takes up to `max` of the oldest dead letters.
    std::vector<DeadLetter> take(std::size_t max = SIZE_MAX);

    std::uint64_t total() const { return total_.load(); }
    std::uint64_t dropped() const { return dropped_.load(); } // not kept: the queue was full
    std::uint64_t count(RejectReason reason) const {
        return by_reason_[static_cast<std::size_t>(reason)].load();
    }
    std::array<std::uint64_t, kRejectReasonCount> countsByReason() const;
    std::size_t size() const;
    std::size_t maxPayloadBytes() const { return max_payload_bytes_; }

private:
    const std::size_t capacity_;
    const std::size_t max_payload_bytes_;
    mutable std::mutex mutex_;
    std::deque<DeadLetter> letters_;
    std::atomic<std::uint64_t> total_{0};
    std::atomic<std::uint64_t> dropped_{0};
    std::array<std::atomic<std::uint64_t>, kRejectReasonCount> by_reason_{};
};

} // namespace gm
