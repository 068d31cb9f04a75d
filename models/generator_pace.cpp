// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/generator_pace.h"

namespace gm {

void GeneratorPace::add(double wall_seconds, double behind_seconds, double missed_events) {
    samples_.push_back({wall_seconds, behind_seconds, missed_events});
    // Keep one sample at or before the span's start to compare against.
    while (samples_.size() > 2 && samples_[1].wall <= wall_seconds - kSpanSeconds) {
        samples_.pop_front();
    }
}

GeneratorPace::Verdict GeneratorPace::verdict() const {
    if (samples_.empty()) {
        return Verdict::OnTime;
    }
    const Sample& now = samples_.back();
    const Sample& then = samples_.front();
    // Missed events grow only while the generator cannot produce what the rate asks; a gap that
    // grows by more than a quarter second over the span says the same.
    if (samples_.size() >= 2 &&
        (now.missed - then.missed >= 1.0 || now.behind > then.behind + 0.25)) {
        return Verdict::FallingBehind;
    }
    if (samples_.size() < 2 && now.behind >= kOnTimeSeconds) {
        return Verdict::FallingBehind; // one reading: no trend yet, say what it shows
    }
    return now.behind >= kOnTimeSeconds ? Verdict::Steady : Verdict::OnTime;
}

} // namespace gm
