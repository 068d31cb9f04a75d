// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/range_rows.h"

#include "models/human_format.h"

#include <QCoreApplication>
#include <algorithm>
#include <set>
#include <tuple>

namespace gm {
namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("RangeRows", text);
}

// Memory's rows in the span, then the stored rows memory does not hold, sorted by time.
// `inside` says whether a row belongs to the span, `time` orders the result.
template <typename Row, typename KeyFn, typename InsideFn, typename TimeFn>
std::vector<Row> mergedBy(const std::vector<Row>& live, const RowsInRange<Row>* stored,
                          const std::optional<TimeSpan>& span, KeyFn key, InsideFn inside,
                          TimeFn time) {
    if (!span) {
        return live;
    }
    std::vector<Row> out;
    using Key = decltype(key(std::declval<const Row&>()));
    std::set<Key> held;
    for (const Row& row : live) {
        if (inside(*span, row)) {
            held.insert(key(row));
            out.push_back(row);
        }
    }
    if (stored != nullptr) {
        for (const Row& row : stored->rows) {
            if (inside(*span, row) && !held.contains(key(row))) {
                out.push_back(row);
            }
        }
    }
    std::stable_sort(out.begin(), out.end(),
                     [&](const Row& a, const Row& b) { return time(a) < time(b); });
    return out;
}

// The common case: one time column puts a row in the span and orders the rows.
template <typename Row, typename KeyFn, typename TimeFn>
std::vector<Row> merged(const std::vector<Row>& live, const RowsInRange<Row>* stored,
                        const std::optional<TimeSpan>& span, KeyFn key, TimeFn time) {
    return mergedBy(
        live, stored, span, key,
        [&](const TimeSpan& within, const Row& row) { return within.contains(time(row)); }, time);
}

const StoredRows* storedRowsOf(const HistoryView* view) {
    return view ? view->storedRows() : nullptr;
}

std::optional<TimeSpan> spanOf(const HistoryView* view) {
    return view ? view->span() : std::nullopt;
}

} // namespace

std::vector<HighValueAnomalyRow> rowsInRange(const std::vector<HighValueAnomalyRow>& live,
                                             const HistoryView* view) {
    const StoredRows* stored = storedRowsOf(view);
    return merged(
        live, stored ? &stored->high_value : nullptr, spanOf(view),
        [](const HighValueAnomalyRow& row) { return row.transaction_id; },
        [](const HighValueAnomalyRow& row) { return row.timestamp; });
}

std::vector<HighQuantityAnomalyRow> rowsInRange(const std::vector<HighQuantityAnomalyRow>& live,
                                                const HistoryView* view) {
    const StoredRows* stored = storedRowsOf(view);
    return merged(
        live, stored ? &stored->high_quantity : nullptr, spanOf(view),
        [](const HighQuantityAnomalyRow& row) {
            return std::make_tuple(row.transaction_id, row.product_id);
        },
        [](const HighQuantityAnomalyRow& row) { return row.timestamp; });
}

std::vector<SuspiciousPatternRow> rowsInRange(const std::vector<SuspiciousPatternRow>& live,
                                              const HistoryView* view) {
    const StoredRows* stored = storedRowsOf(view);
    return merged(
        live, stored ? &stored->suspicious : nullptr, spanOf(view),
        [](const SuspiciousPatternRow& row) {
            return std::make_tuple(row.window_start, row.window_end, row.user_id);
        },
        [](const SuspiciousPatternRow& row) { return row.window_start; });
}

std::vector<AbandonedCartRow> rowsInRange(const std::vector<AbandonedCartRow>& live,
                                          const HistoryView* view) {
    const StoredRows* stored = storedRowsOf(view);
    return merged(
        live, stored ? &stored->abandoned_carts : nullptr, spanOf(view),
        [](const AbandonedCartRow& row) {
            return std::make_tuple(row.window_start, row.window_end, row.user_id, row.session_id);
        },
        [](const AbandonedCartRow& row) { return row.window_start; });
}

std::vector<AlertRow> rowsInRange(const std::vector<AlertRow>& live, const HistoryView* view) {
    const StoredRows* stored = storedRowsOf(view);
    const RowsInRange<AlertRow>* stored_alerts = stored ? &stored->alerts : nullptr;
    std::vector<AlertRow> out = mergedBy(
        live, stored_alerts, spanOf(view), [](const AlertRow& row) { return row.alert_id; },
        [](const TimeSpan& span, const AlertRow& row) {
            return row.last_seen >= span.from && row.first_seen < span.to;
        },
        [](const AlertRow& row) { return row.last_seen; });
    if (stored_alerts == nullptr) {
        return out;
    }
    // Memory's copy wins for the counts, but an acknowledgement stored in PostgreSQL (by another
    // window, the HTTP API or an earlier session) still holds: the pipeline never sets it.
    std::set<std::uint64_t> acknowledged;
    for (const AlertRow& row : stored_alerts->rows) {
        if (row.acknowledged) {
            acknowledged.insert(row.alert_id);
        }
    }
    for (AlertRow& row : out) {
        row.acknowledged = row.acknowledged || acknowledged.contains(row.alert_id);
    }
    return out;
}

std::vector<HighDemandAlertRow> rowsInRange(const std::vector<HighDemandAlertRow>& live,
                                            const HistoryView* view) {
    const StoredRows* stored = storedRowsOf(view);
    return merged(
        live, stored ? &stored->high_demand : nullptr, spanOf(view),
        [](const HighDemandAlertRow& row) {
            return std::make_tuple(row.window_start, row.window_end, row.product_id);
        },
        [](const HighDemandAlertRow& row) { return row.window_start; });
}

std::vector<RestockAlertRow> rowsInRange(const std::vector<RestockAlertRow>& live,
                                         const HistoryView* view) {
    const StoredRows* stored = storedRowsOf(view);
    return merged(
        live, stored ? &stored->restock : nullptr, spanOf(view),
        [](const RestockAlertRow& row) {
            return std::make_tuple(row.window_start, row.window_end, row.product_id, row.country);
        },
        [](const RestockAlertRow& row) { return row.window_start; });
}

std::vector<LowStockAlertRow> rowsInRange(const std::vector<LowStockAlertRow>& live,
                                          const HistoryView* view) {
    const StoredRows* stored = storedRowsOf(view);
    return merged(
        live, stored ? &stored->low_stock : nullptr, spanOf(view),
        [](const LowStockAlertRow& row) {
            return std::make_tuple(row.product_id, row.detected_at);
        },
        [](const LowStockAlertRow& row) { return row.detected_at; });
}

QString rangeRowsNote(const HistoryView* view, std::size_t loaded, std::size_t stored_total,
                      std::size_t unreadable, bool has_stored) {
    if (!spanOf(view)) {
        return {};
    }
    if (!has_stored) {
        return tr("in the time range, from memory only");
    }
    QString note = tr("in the time range");
    if (loaded + unreadable < stored_total) {
        note += tr(" · the newest %1 of %2 stored rows loaded")
                    .arg(groupedInt(static_cast<long long>(loaded + unreadable)),
                         groupedInt(static_cast<long long>(stored_total)));
    }
    if (unreadable > 0) {
        note += tr(" · %1 stored rows unreadable (an id or name that does not parse)")
                    .arg(groupedInt(static_cast<long long>(unreadable)));
    }
    return note;
}

} // namespace gm
