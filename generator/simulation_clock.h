// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/timestamp.h"

#include <chrono>
#include <mutex>

namespace gm {

// The last time an event can carry: 9999-12-31T23:59:59.999999Z. ISO 8601 timestamps (and
// PostgreSQL's timestamptz input) stop at year 9999; a generator reaching it ends, as at an
// --events limit, instead of writing times no reader can parse.
inline constexpr TimestampUs kLatestEventTime = 253'402'300'799'999'999;

// Simulated time. Paced: it runs with the wall clock times the acceleration (and keeps running
// while the generator is paused, so windows still close). Unpaced ("as fast as possible"): it
// stands at the newest event time the generator reports. Thread-safe.
class SimulationClock {
public:
    SimulationClock(TimestampUs start, double acceleration, bool paced);

    TimestampUs now() const;
    // The time the clock was created with: where the simulation's first event is stamped.
    TimestampUs startTime() const { return start_; }
    double acceleration() const;
    bool paced() const { return paced_; }
    // Changes the speed from now on without a jump.
    void setAcceleration(double acceleration);
    // Unpaced mode: the generator's newest event time.
    void follow(TimestampUs event_time);
    // Back to the start time, running from this moment: called when the run really starts, so
    // that the time spent preparing (connecting to PostgreSQL, Kafka, ...) does not count.
    void restart();

private:
    using Steady = std::chrono::steady_clock;
    TimestampUs nowLocked() const;

    mutable std::mutex mutex_;
    const bool paced_;
    const TimestampUs start_;
    TimestampUs anchor_sim_;
    Steady::time_point anchor_wall_;
    double acceleration_;
};

} // namespace gm
