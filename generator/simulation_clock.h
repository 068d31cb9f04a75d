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

// Simulated time. Paced: it runs with the wall clock times the acceleration, except while
// paused: then it stands still, and resume() continues from the same simulated instant (a pause
// leaves no hole in event time). Unpaced ("as fast as possible"): it stands at the newest event
// time the generator reports. Thread-safe.
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
    // Stops simulated time where it is now; resume() lets it run on from there. Idempotent.
    void pause();
    void resume();
    bool paused() const;

private:
    using Steady = std::chrono::steady_clock;
    TimestampUs nowLocked() const;

    mutable std::mutex mutex_;
    const bool paced_;
    const TimestampUs start_;
    TimestampUs anchor_sim_;
    Steady::time_point anchor_wall_;
    double acceleration_;
    bool paused_ = false;
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
