// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/history_view.h"

#include <map>

namespace gm {

std::vector<SeriesPoint> mergeStoredAndLive(const std::vector<StoredPoint>& stored,
                                            const std::vector<SeriesPoint>& live,
                                            const std::optional<TimeSpan>& span) {
    const auto inside = [&](TimestampUs time) { return !span || span->contains(time); };
    std::map<TimestampUs, SeriesPoint> closed;
    for (const StoredPoint& point : stored) {
        if (inside(point.window_start)) {
            closed[point.window_start] = {point.window_start, point.value, false};
        }
    }
    std::vector<SeriesPoint> partial;
    for (const SeriesPoint& point : live) {
        if (!inside(point.window_start)) {
            continue;
        }
        if (point.partial) {
            partial.push_back(point);
        } else {
            closed[point.window_start] = point;
        }
    }
    std::vector<SeriesPoint> out;
    out.reserve(closed.size() + partial.size());
    for (const auto& [start, point] : closed) {
        out.push_back(point);
    }
    for (const SeriesPoint& point : partial) {
        // As in MinuteSeries: an open window at or before the newest closed one is outdated.
        if (out.empty() || point.window_start > out.back().window_start) {
            out.push_back(point);
        }
    }
    return out;
}

namespace {
const StoredMinutes kNoneStored;
} // namespace

const StoredMinutes& HistoryView::stored() const {
    return stored_ ? *stored_ : kNoneStored;
}

const StoredMinutes& storedOf(const HistoryView* view) {
    return view ? view->stored() : kNoneStored;
}

std::vector<SeriesPoint> HistoryView::points(const MinuteSeries& live,
                                             const std::vector<StoredPoint>& stored) const {
    // Live shows what memory holds; stored windows there only serve a comparison.
    return mergeStoredAndLive(span_ ? stored : std::vector<StoredPoint>{}, live.points(), span_);
}

std::optional<TimeSpan> HistoryView::previousSpan(const TimeSpan& shown) const {
    const TimestampUs shift = compareShift(compare_);
    if (shift == 0) {
        return std::nullopt;
    }
    return TimeSpan{shown.from - shift, shown.to - shift};
}

std::vector<SeriesPoint> HistoryView::previous(const MinuteSeries& live,
                                               const std::vector<StoredPoint>& stored) const {
    const TimestampUs shift = compareShift(compare_);
    if (shift == 0) {
        return {};
    }
    const std::vector<SeriesPoint> current = live.points();
    std::optional<TimeSpan> before;
    if (span_) {
        before = previousSpan(*span_);
    } else if (!current.empty()) {
        before = previousSpan(
            {current.front().window_start, current.back().window_start + kMicrosPerMinute});
    } else {
        return {};
    }
    std::vector<SeriesPoint> out = mergeStoredAndLive(stored, current, before);
    std::erase_if(out, [](const SeriesPoint& point) { return point.partial; });
    for (SeriesPoint& point : out) {
        point.window_start += shift;
    }
    return out;
}

} // namespace gm
