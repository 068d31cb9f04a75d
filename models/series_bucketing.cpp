// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/series_bucketing.h"

#include <algorithm>

namespace gm {

std::vector<SeriesPoint> bucketToPixels(const std::vector<SeriesPoint>& points, TimestampUs from,
                                        TimestampUs to, int pixels) {
    const auto by_start = [](const SeriesPoint& point, TimestampUs time) {
        return point.window_start < time;
    };
    auto first = std::lower_bound(points.begin(), points.end(), from, by_start);
    auto last = std::lower_bound(first, points.end(), to, by_start);
    // One neighbour on each side, so the line runs on to the edge of the plot.
    if (first != points.begin()) {
        --first;
    }
    if (last != points.end()) {
        ++last;
    }
    const auto count = static_cast<std::size_t>(last - first);
    if (pixels <= 0 || to <= from || count <= 2 * static_cast<std::size_t>(pixels)) {
        return {first, last};
    }
    std::vector<SeriesPoint> out;
    out.reserve(2 * static_cast<std::size_t>(pixels) + 4);
    const double bucket_us = static_cast<double>(to - from) / pixels;
    const auto bucketOf = [&](TimestampUs time) {
        return std::clamp(static_cast<long long>(static_cast<double>(time - from) / bucket_us),
                          -1LL, static_cast<long long>(pixels));
    };
    auto it = first;
    while (it != last) {
        if (it->partial) {
            out.push_back(*it);
            ++it;
            continue;
        }
        const long long bucket = bucketOf(it->window_start);
        auto low = it;
        auto high = it;
        auto end = it;
        while (end != last && !end->partial && bucketOf(end->window_start) == bucket) {
            if (end->value < low->value) {
                low = end;
            }
            if (end->value > high->value) {
                high = end;
            }
            ++end;
        }
        if (low == high) {
            out.push_back(*low);
        } else if (low->window_start < high->window_start) {
            out.push_back(*low);
            out.push_back(*high);
        } else {
            out.push_back(*high);
            out.push_back(*low);
        }
        it = end;
    }
    return out;
}

} // namespace gm
