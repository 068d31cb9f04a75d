// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/ids.h"
#include "generator/timestamp.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace gm {

// A shop's customers over a span of history: some are customers from its beginning, the others
// arrive at times spread evenly over it, and a share lapse - stop coming for good - at a time
// between their arrival and the end. A backfilled history then has monthly cohorts of first
// orders and customers whose recency grows, as a real shop's has. Off (every user shops all the
// time) unless the span is set; live runs leave it off.
struct LifecycleConfig {
    TimestampUs begin = 0;
    TimestampUs end = 0;        // end <= begin: off
    double initial_share = 0.4; // customers from the beginning
    double lapse_share = 0.1;   // of all users, lapse within the span
};

class CustomerLifecycle {
public:
    CustomerLifecycle(std::size_t users, const LifecycleConfig& config, std::uint64_t seed);

    bool enabled() const { return !arrival_.empty(); }
    // Whether `user` shops at `at`: arrived and not lapsed.
    bool active(UserId user, TimestampUs at) const;
    // Users arrived by `at` (lapsed or not), and the index-th of them in order of arrival.
    std::size_t arrivedCount(TimestampUs at) const;
    UserId arrivedUser(std::size_t index) const { return by_arrival_[index]; }
    // Users active at `at`.
    std::size_t activeCount(TimestampUs at) const;

    TimestampUs arrival(UserId user) const { return arrival_[user]; }
    TimestampUs lapse(UserId user) const { return lapse_[user]; } // kNever when it does not

    static constexpr TimestampUs kNever = std::numeric_limits<TimestampUs>::max();

private:
    std::vector<TimestampUs> arrival_;
    std::vector<TimestampUs> lapse_;
    std::vector<UserId> by_arrival_;
    std::vector<TimestampUs> sorted_arrivals_;
    std::vector<TimestampUs> sorted_lapses_;
};

} // namespace gm
