// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <deque>

namespace gm {

// Whether the generator keeps up with the rate asked of it, judged from its status over the last
// few seconds rather than from one reading: after a stall the simulated clock can stay a little
// behind for good, and a window that still said "cannot keep up" then would mislead.
class GeneratorPace {
public:
    enum class Verdict {
        OnTime,        // less than half a second behind
        Steady,        // behind, but no longer falling further behind (or catching up)
        FallingBehind, // events short of the rate, or the gap grows: this machine cannot keep up
    };

    // One reading a second: wall-clock seconds, GeneratorStatus::behind_seconds and
    // GeneratorStatus::missed_events.
    void add(double wall_seconds, double behind_seconds, double missed_events);
    void clear() { samples_.clear(); }
    Verdict verdict() const;
    double behindSeconds() const { return samples_.empty() ? 0 : samples_.back().behind; }

    static constexpr double kOnTimeSeconds = 0.5;
    static constexpr double kSpanSeconds = 3.0; // how far back growth is judged

private:
    struct Sample {
        double wall;
        double behind;
        double missed;
    };
    std::deque<Sample> samples_;
};

} // namespace gm
