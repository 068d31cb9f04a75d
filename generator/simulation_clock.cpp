// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/simulation_clock.h"

#include <algorithm>

namespace gm {

SimulationClock::SimulationClock(TimestampUs start, double acceleration, bool paced)
    : paced_(paced), start_(start), anchor_sim_(start), anchor_wall_(Steady::now()),
      acceleration_(std::max(acceleration, 1e-3)) {}

TimestampUs SimulationClock::nowLocked() const {
    if (!paced_ || paused_) {
        return anchor_sim_;
    }
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::microseconds>(Steady::now() - anchor_wall_).count();
    return anchor_sim_ + static_cast<TimestampUs>(static_cast<double>(elapsed) * acceleration_);
}

TimestampUs SimulationClock::now() const {
    std::lock_guard lock(mutex_);
    return nowLocked();
}

double SimulationClock::acceleration() const {
    std::lock_guard lock(mutex_);
    return acceleration_;
}

void SimulationClock::setAcceleration(double acceleration) {
    std::lock_guard lock(mutex_);
    anchor_sim_ = nowLocked();
    anchor_wall_ = Steady::now();
    acceleration_ = std::max(acceleration, 1e-3);
}

void SimulationClock::restart() {
    std::lock_guard lock(mutex_);
    anchor_sim_ = start_;
    anchor_wall_ = Steady::now();
}

void SimulationClock::pause() {
    std::lock_guard lock(mutex_);
    if (!paused_) {
        anchor_sim_ = nowLocked();
        paused_ = true;
    }
}

void SimulationClock::resume() {
    std::lock_guard lock(mutex_);
    if (paused_) {
        anchor_wall_ = Steady::now(); // anchor_sim_ holds the instant the pause froze
        paused_ = false;
    }
}

bool SimulationClock::paused() const {
    std::lock_guard lock(mutex_);
    return paused_;
}

void SimulationClock::follow(TimestampUs event_time) {
    std::lock_guard lock(mutex_);
    if (!paced_) {
        anchor_sim_ = std::max(anchor_sim_, event_time);
    }
}

TimestampUs simulatedEndTime(TimestampUs start, double acceleration, double wall_seconds) {
    const double seconds = wall_seconds > 0 ? wall_seconds : kUnboundedRunWallSeconds;
    // In double: start + span may exceed int64. A NaN or negative acceleration advances nothing
    // (the clock clamps to at least 1e-3 anyway).
    const double rate = acceleration > 1e-3 ? acceleration : 1e-3;
    const double end = static_cast<double>(start) + seconds * rate * 1e6;
    constexpr double kLimit = 9.0e18; // below INT64_MAX, far beyond any accepted time
    return end >= kLimit ? static_cast<TimestampUs>(kLimit) : static_cast<TimestampUs>(end);
}

bool simulatedTimeStaysInRange(TimestampUs start, double acceleration, double wall_seconds) {
    return isEventTimeInRange(start) &&
           isEventTimeInRange(simulatedEndTime(start, acceleration, wall_seconds));
}

} // namespace gm
