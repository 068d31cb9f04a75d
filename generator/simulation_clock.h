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

// For checking the command line: whether a paced run starting at `start` and lasting
// `wall_seconds` of real time at `acceleration` simulated seconds per real second keeps its event
// times inside the range every stage accepts (kMinEventTime..kMaxEventTime, timestamp.h).
// wall_seconds <= 0 means "until interrupted": checked over kUnboundedRunWallSeconds.
inline constexpr double kUnboundedRunWallSeconds = 366.0 * 86'400; // a year of running
bool simulatedTimeStaysInRange(TimestampUs start, double acceleration, double wall_seconds);
// The last simulated time of such a run (saturating: never overflows).
TimestampUs simulatedEndTime(TimestampUs start, double acceleration, double wall_seconds);

} // namespace gm
