// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/simulation_clock.h"

#include <algorithm>

namespace gm {

SimulationClock::SimulationClock(TimestampUs start, double acceleration, bool paced)
    : paced_(paced), start_(start), anchor_sim_(start), anchor_wall_(Steady::now()),
      acceleration_(std::max(acceleration, 1e-3)) {}

TimestampUs SimulationClock::nowLocked() const {
    if (!paced_) {
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

void SimulationClock::follow(TimestampUs event_time) {
    std::lock_guard lock(mutex_);
    if (!paced_) {
        anchor_sim_ = std::max(anchor_sim_, event_time);
    }
}

} // namespace gm
