// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/customer_lifecycle.h"

#include "generator/random.h"

#include <algorithm>
#include <numeric>

namespace gm {

CustomerLifecycle::CustomerLifecycle(std::size_t users, const LifecycleConfig& config,
                                     std::uint64_t seed) {
    if (config.end <= config.begin || users == 0) {
        return;
    }
    // A generator of its own: switching the lifecycle on must not shift the simulator's stream.
    Rng rng(seed ^ 0xC0401C0401ULL);
    const auto span = static_cast<double>(config.end - config.begin);
    const double initial = std::clamp(config.initial_share, 0.0, 1.0);
    arrival_.resize(users);
    lapse_.resize(users, kNever);
    for (std::size_t user = 0; user < users; ++user) {
        const double draw = rng.unit();
        // Arrivals end at 90% of the span, so the last cohort still has time to order.
        const double at = draw < initial ? 0.0 : 0.9 * (draw - initial) / (1.0 - initial);
        arrival_[user] = config.begin + static_cast<TimestampUs>(at * span);
        if (rng.chance(config.lapse_share)) {
            const double left = static_cast<double>(config.end - arrival_[user]);
            // After at least a tenth of what is left, so a lapsed customer was one first.
            lapse_[user] =
                arrival_[user] + static_cast<TimestampUs>((0.1 + 0.9 * rng.unit()) * left);
        }
    }
    by_arrival_.resize(users);
    std::iota(by_arrival_.begin(), by_arrival_.end(), UserId{0});
    std::stable_sort(by_arrival_.begin(), by_arrival_.end(),
                     [&](UserId a, UserId b) { return arrival_[a] < arrival_[b]; });
    sorted_arrivals_ = arrival_;
    std::sort(sorted_arrivals_.begin(), sorted_arrivals_.end());
    for (const TimestampUs lapse : lapse_) {
        if (lapse != kNever) {
            sorted_lapses_.push_back(lapse);
        }
    }
    std::sort(sorted_lapses_.begin(), sorted_lapses_.end());
}

bool CustomerLifecycle::active(UserId user, TimestampUs at) const {
    return !enabled() || (arrival_[user] <= at && at < lapse_[user]);
}

std::size_t CustomerLifecycle::arrivedCount(TimestampUs at) const {
    return static_cast<std::size_t>(
        std::upper_bound(sorted_arrivals_.begin(), sorted_arrivals_.end(), at) -
        sorted_arrivals_.begin());
}

std::size_t CustomerLifecycle::activeCount(TimestampUs at) const {
    // A lapse always follows its arrival, so the lapsed by `at` are among the arrived.
    const auto lapsed = static_cast<std::size_t>(
        std::upper_bound(sorted_lapses_.begin(), sorted_lapses_.end(), at) -
        sorted_lapses_.begin());
    return arrivedCount(at) - lapsed;
}

} // namespace gm
