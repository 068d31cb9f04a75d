// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/history_view.h"
#include "pipeline/rows.h"

#include <QString>
#include <vector>

namespace gm {

// The tables' rows for the page's time range: Live shows what memory holds; a range shows the
// rows in memory whose time lies in it together with the stored rows loaded for it
// (HistoryView::storedRows), each row once — by the table's natural key (its primary key in
// PostgreSQL), memory's copy winning — oldest first. What decides "in range" is what
// readStoredRows filters on: the event time of an anomaly, the detection time of a low-stock
// alert, the window start of a windowed row; an alert is in every range its
// [first_seen, last_seen] overlaps (ordered by last_seen), and keeps an acknowledgement stored
// in PostgreSQL even when memory's copy wins.
std::vector<HighValueAnomalyRow> rowsInRange(const std::vector<HighValueAnomalyRow>& live,
                                             const HistoryView* view);
std::vector<HighQuantityAnomalyRow> rowsInRange(const std::vector<HighQuantityAnomalyRow>& live,
                                                const HistoryView* view);
std::vector<SuspiciousPatternRow> rowsInRange(const std::vector<SuspiciousPatternRow>& live,
                                              const HistoryView* view);
std::vector<AbandonedCartRow> rowsInRange(const std::vector<AbandonedCartRow>& live,
                                          const HistoryView* view);
std::vector<AlertRow> rowsInRange(const std::vector<AlertRow>& live, const HistoryView* view);
std::vector<HighDemandAlertRow> rowsInRange(const std::vector<HighDemandAlertRow>& live,
                                            const HistoryView* view);
std::vector<RestockAlertRow> rowsInRange(const std::vector<RestockAlertRow>& live,
                                         const HistoryView* view);
std::vector<LowStockAlertRow> rowsInRange(const std::vector<LowStockAlertRow>& live,
                                          const HistoryView* view);

// The note beside a table's row count under a range: empty for Live; "in the time range" and,
// when the database holds more rows in it than were loaded, "newest N of M stored loaded";
// "memory only" when nothing was loaded for the range (no database, or the load failed).
QString rangeRowsNote(const HistoryView* view, std::size_t loaded, std::size_t stored_total,
                      std::size_t unreadable, bool has_stored);
template <typename Row>
QString rangeRowsNote(const HistoryView* view, const RowsInRange<Row>* stored) {
    return stored == nullptr
               ? rangeRowsNote(view, 0, 0, 0, false)
               : rangeRowsNote(view, stored->rows.size(), stored->total, stored->unreadable, true);
}

} // namespace gm
