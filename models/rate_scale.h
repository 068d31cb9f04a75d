// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The events-per-second slider is logarithmic: equal slider steps multiply the rate by the same
// factor, so 1 event/s and 10 million events/s are both reachable with a precise hand.
namespace gm {

inline constexpr double kMinRate = 1.0;
inline constexpr double kMaxRate = 10'000'000.0;
inline constexpr int kRateSliderSteps = 1400; // 200 steps per decade

double rateFromSlider(int position); // 0 -> 1, kRateSliderSteps -> 10,000,000
int sliderFromRate(double rate);     // nearest position; clamps out-of-range rates
double clampRate(double rate);

} // namespace gm
