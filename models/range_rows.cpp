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
template <typename Row, typename KeyFn, typename TimeFn>
std::vector<Row> merged(const std::vector<Row>& live, const RowsInRange<Row>* stored,
                        const std::optional<TimeSpan>& span, KeyFn key, TimeFn time) {
    if (!span) {
        return live;
    }
    std::vector<Row> out;
    using Key = decltype(key(std::declval<const Row&>()));
    std::set<Key> held;
    for (const Row& row : live) {
        if (span->contains(time(row))) {
            held.insert(key(row));
            out.push_back(row);
        }
    }
    if (stored != nullptr) {
        for (const Row& row : stored->rows) {
            if (span->contains(time(row)) && !held.contains(key(row))) {
                out.push_back(row);
            }
        }
    }
    std::stable_sort(out.begin(), out.end(),
                     [&](const Row& a, const Row& b) { return time(a) < time(b); });
    return out;
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
