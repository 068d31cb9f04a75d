// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/minute_series.h"
#include "models/time_range.h"
#include "pipeline/postgres/minute_history.h"
#include "pipeline/postgres/range_rows.h"

#include <memory>
#include <optional>
#include <vector>

namespace gm {

// Stored windows (from the database) and live windows (in memory) as one line: a window both
// hold is taken once, from memory, where it may be newer (a late event re-closed it); stored
// windows fill everything memory no longer (or never) held. Only windows whose start lies in
// `span` are kept (all of them without a span). Oldest first; the live partial points last.
std::vector<SeriesPoint> mergeStoredAndLive(const std::vector<StoredPoint>& stored,
                                            const std::vector<SeriesPoint>& live,
                                            const std::optional<TimeSpan>& span);

// What the time-series pages draw for the chosen range: which span, the history loaded for it
// and the period to compare with. Owned by the UI thread; the loader hands it finished results.
class HistoryView {
public:
    // Nothing: Live, everything in memory.
    void setSpan(std::optional<TimeSpan> span);
    const std::optional<TimeSpan>& span() const { return span_; }
    // Loaded history; null: none (no database, or Live).
    void setStored(std::shared_ptr<const StoredMinutes> stored);
    const StoredMinutes& stored() const;
    bool hasStored() const { return stored_ != nullptr; }
    // The tables' stored rows for the span; null: none (no database, Live, or not loaded).
    void setStoredRows(std::shared_ptr<const StoredRows> rows);
    const StoredRows* storedRows() const { return rows_.get(); }
    // Grows whenever the span or the loaded history changes: tables rebuild only when it moved.
    std::uint64_t revision() const { return revision_; }
    void setCompare(ComparePeriod period) { compare_ = period; }
    ComparePeriod compare() const { return compare_; }

    // The line for this range: stored ∪ live within the span.
    std::vector<SeriesPoint> points(const MinuteSeries& live,
                                    const std::vector<StoredPoint>& stored) const;
    // The previous period's closed windows, moved forward by the comparison's shift so that each
    // lies under the window it is compared with; empty without a comparison.
    std::vector<SeriesPoint> previous(const MinuteSeries& live,
                                      const std::vector<StoredPoint>& stored) const;
    // The span whose history the comparison needs loaded (span moved back, or the in-memory
    // span given for Live); nothing without a comparison.
    std::optional<TimeSpan> previousSpan(const TimeSpan& shown) const;

private:
    std::optional<TimeSpan> span_;
    std::shared_ptr<const StoredMinutes> stored_;
    std::shared_ptr<const StoredRows> rows_;
    std::uint64_t revision_ = 0;
    ComparePeriod compare_ = ComparePeriod::None;
};

// The view's stored windows; none without a view.
const StoredMinutes& storedOf(const HistoryView* view);

} // namespace gm
