// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/timestamp.h"

#include <chrono>
#include <mutex>

namespace gm {

// Simulated time. Paced: it runs with the wall clock times the acceleration (and keeps running
// while the generator is paused, so windows still close). Unpaced ("as fast as possible"): it
// stands at the newest event time the generator reports. Thread-safe.
class SimulationClock {
public:
    SimulationClock(TimestampUs start, double acceleration, bool paced);

    TimestampUs now() const;
    double acceleration() const;
    bool paced() const { return paced_; }
    // Changes the speed from now on without a jump.
    void setAcceleration(double acceleration);
    // Unpaced mode: the generator's newest event time.
    void follow(TimestampUs event_time);

private:
    using Steady = std::chrono::steady_clock;
    TimestampUs nowLocked() const;

    mutable std::mutex mutex_;
    const bool paced_;
    TimestampUs anchor_sim_;
    Steady::time_point anchor_wall_;
    double acceleration_;
};

} // namespace gm
