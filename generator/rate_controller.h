// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>

namespace gm {

// Token bucket for the generator: tokens (events) accrue at the configured rate, the generator
// takes them in batches. Time is passed in (seconds on any monotonic clock) so that it can be
// tested without sleeping. The burst cap keeps a stalled consumer from causing a flood later:
// events the machine could not produce in time are lost, and that shortfall is reported.
class RateController {
public:
    explicit RateController(double events_per_second);

    // Changes the rate from now on; tokens already earned stay.
    void setRate(double events_per_second, double now);
    double rate() const { return rate_; }

    // Tokens available at `now` (whole events).
    std::size_t available(double now);
    // Takes up to `wanted` tokens; returns how many were taken.
    std::size_t take(std::size_t wanted, double now);
    // Seconds until `wanted` tokens are available (0 when they already are).
    double secondsUntil(std::size_t wanted, double now);
    // Tokens discarded because the bucket was full: demand the generator did not meet.
    double missedEvents() const { return missed_; }
    // Events one batch should hold at this rate: about 5 ms worth, 1 to max_batch.
    std::size_t batchSize(std::size_t max_batch) const;

private:
    void refill(double now);
    double capacity() const;

    double rate_;
    double tokens_ = 0;
    double last_ = -1;
    double missed_ = 0;
};

} // namespace gm
