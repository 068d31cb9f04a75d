// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/rate_scale.h"

#include <algorithm>
#include <cmath>

namespace gm {
namespace {
const double kDecades = std::log10(kMaxRate / kMinRate);
}

double clampRate(double rate) {
    return std::clamp(rate, kMinRate, kMaxRate);
}

double rateFromSlider(int position) {
    const int clamped = std::clamp(position, 0, kRateSliderSteps);
    const double rate =
        kMinRate * std::pow(10.0, kDecades * clamped / static_cast<double>(kRateSliderSteps));
    // Round to 3 significant digits so the number next to the slider reads cleanly.
    const double magnitude = std::pow(10.0, std::floor(std::log10(rate)) - 2);
    return clampRate(std::max(1.0, std::round(std::round(rate / magnitude) * magnitude)));
}

int sliderFromRate(double rate) {
    const double fraction = std::log10(clampRate(rate) / kMinRate) / kDecades;
    return static_cast<int>(std::lround(fraction * kRateSliderSteps));
}

} // namespace gm
