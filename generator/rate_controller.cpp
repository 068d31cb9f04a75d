// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/rate_controller.h"

#include <algorithm>
#include <cmath>

namespace gm {

namespace {
constexpr double kMinimumRate = 1e-3;
constexpr double kBatchSeconds = 0.005;
// The bucket holds 100 ms of events (at least one batch): enough to absorb scheduling jitter.
constexpr double kBurstSeconds = 0.1;
} // namespace

RateController::RateController(double events_per_second)
    : rate_(std::max(events_per_second, kMinimumRate)) {}

void RateController::setRate(double events_per_second, double now) {
    refill(now);
    rate_ = std::max(events_per_second, kMinimumRate);
    tokens_ = std::min(tokens_, capacity());
}

double RateController::capacity() const {
    return std::max({rate_ * kBurstSeconds, 4.0 * rate_ * kBatchSeconds, 1.0});
}

void RateController::refill(double now) {
    if (last_ < 0) {
        last_ = now;
        return;
    }
    if (now <= last_) {
        return;
    }
    tokens_ += (now - last_) * rate_;
    last_ = now;
    const double cap = capacity();
    if (tokens_ > cap) {
        missed_ += tokens_ - cap;
        tokens_ = cap;
    }
}

std::size_t RateController::available(double now) {
    refill(now);
    return static_cast<std::size_t>(tokens_);
}

std::size_t RateController::take(std::size_t wanted, double now) {
    refill(now);
    const auto taken = std::min(wanted, static_cast<std::size_t>(tokens_));
    tokens_ -= static_cast<double>(taken);
    return taken;
}

double RateController::secondsUntil(std::size_t wanted, double now) {
    refill(now);
    const double missing = static_cast<double>(wanted) - tokens_;
    return missing <= 0 ? 0.0 : missing / rate_;
}

std::size_t RateController::batchSize(std::size_t max_batch) const {
    const double events = std::floor(rate_ * kBatchSeconds);
    return static_cast<std::size_t>(std::clamp(events, 1.0, static_cast<double>(max_batch)));
}

} // namespace gm
