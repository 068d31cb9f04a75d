// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/shop_thinning.h"

#include <algorithm>
#include <cmath>

namespace gm {

namespace {
constexpr double kMinimumRate = 1e-3;
} // namespace

ShopThinning::ShopThinning(double requested_rate)
    : requested_(std::max(requested_rate, kMinimumRate)) {}

void ShopThinning::setRequestedRate(double events_per_second) {
    requested_ = std::max(events_per_second, kMinimumRate);
}

double ShopThinning::deliverableRate() const {
    return smoothed_busy_ > 0 ? smoothed_events_ / smoothed_busy_ : 0.0;
}

double ShopThinning::simulatedRate() const {
    if (!thinned_) {
        return requested_; // exactly: an unthinned run's event times do not change
    }
    const double deliverable = deliverableRate();
    if (deliverable <= 0) {
        return requested_;
    }
    return std::clamp(deliverable * kHeadroom, kMinimumRate, requested_);
}

void ShopThinning::record(double now, std::size_t events, double busy_seconds, double missed_events,
                          double behind_seconds) {
    const double elapsed = last_ < 0 ? 0.0 : std::max(0.0, now - last_);
    last_ = now;
    const double decay = std::exp(-elapsed / kSmoothingSeconds);
    smoothed_events_ = smoothed_events_ * decay + static_cast<double>(events);
    smoothed_busy_ = smoothed_busy_ * decay + std::max(0.0, busy_seconds);
    if (thinned_) {
        thinned_seconds_ += elapsed;
        const bool delivers_the_rate = deliverableRate() * kHeadroom >= requested_;
        if (delivers_the_rate && behind_seconds < kCaughtUpSeconds) {
            thinned_ = false;
            fallen_behind_seconds_ = 0;
        }
        return;
    }
    // Events the rate asked for and the machine did not produce leave event time behind by
    // missed / rate seconds for good (the token bucket releases no more than the rate). A late
    // start (the clock running before the generator) is not counted: the machine is not slow.
    fallen_behind_seconds_ += std::max(0.0, missed_events) / requested_;
    if (fallen_behind_seconds_ > kFallenBehindSeconds) {
        thinned_ = true;
    }
}

} // namespace gm
