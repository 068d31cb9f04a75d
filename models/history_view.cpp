// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/history_view.h"

#include <algorithm>

namespace gm {

std::vector<SeriesPoint> mergeStoredAndLive(const std::vector<StoredPoint>& stored,
                                            const std::vector<SeriesPoint>& live,
                                            const std::optional<TimeSpan>& span) {
    const auto inside = [&](TimestampUs time) { return !span || span->contains(time); };
    // Both are sorted by window start (live: closed ones, then the open ones): one linear merge,
    // as a week of minutes is merged on the UI thread.
    std::vector<SeriesPoint> out;
    out.reserve(stored.size() + live.size());
    auto next_stored = stored.begin();
    auto next_live = live.begin();
    const auto live_closed_end = std::find_if(
        live.begin(), live.end(), [](const SeriesPoint& point) { return point.partial; });
    while (next_stored != stored.end() || next_live != live_closed_end) {
        const bool take_live =
            next_stored == stored.end() ||
            (next_live != live_closed_end && next_live->window_start <= next_stored->window_start);
        if (take_live) {
            if (next_stored != stored.end() &&
                next_stored->window_start == next_live->window_start) {
                ++next_stored; // memory's value wins for a window both hold
            }
            if (inside(next_live->window_start)) {
                out.push_back(*next_live);
            }
            ++next_live;
        } else {
            if (inside(next_stored->window_start)) {
                // A stored window a run's start or stop cut short stays partial.
                out.push_back(
                    {next_stored->window_start, next_stored->value, next_stored->partial});
            }
            ++next_stored;
        }
    }
    for (auto open = live_closed_end; open != live.end(); ++open) {
        // As in MinuteSeries: an open window at or before the newest closed one is outdated.
        if (open->partial && inside(open->window_start) &&
            (out.empty() || open->window_start > out.back().window_start)) {
            out.push_back(*open);
        }
    }
    return out;
}

namespace {
const StoredMinutes kNoneStored;
} // namespace

void HistoryView::setSpan(std::optional<TimeSpan> span) {
    if (span != span_) {
        span_ = span;
        ++revision_;
    }
}

void HistoryView::setStored(std::shared_ptr<const StoredMinutes> stored) {
    stored_ = std::move(stored);
    ++revision_;
}

void HistoryView::setStoredRows(std::shared_ptr<const StoredRows> rows) {
    rows_ = std::move(rows);
    ++revision_;
}

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
