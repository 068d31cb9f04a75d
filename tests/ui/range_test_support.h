// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared by the tests that drive one page's showData over stored and live rows.
#include "generator/timestamp.h"
#include "ui/dashboard_page.h"

#include <pqxx/pqxx>

namespace gm::test {

// Tables are refreshed (as on a page switch); nothing is generated or queued.
inline PageContext pageContext(const SnapshotHistory& history, SnapshotPtr snapshot, RunState state,
                               const HistoryView* range) {
    return PageContext{history,
                       std::move(snapshot),
                       std::nullopt,
                       nullptr,
                       state,
                       {},
                       {},
                       {0, 0},
                       0,
                       0,
                       0,
                       true,
                       {},
                       GeneratorPace::Verdict::OnTime,
                       range};
}

// One sales minute (2 orders, $20) per minute of [from, to): a stored history that ends at `to`,
// so "last N hours" ranges end there.
inline void seedSalesMinutes(pqxx::work& work, TimestampUs from, TimestampUs to) {
    work.exec_params("INSERT INTO sales_per_minute (window_start, window_end, total_transactions,"
                     " total_revenue, avg_order_value) SELECT t, t + interval '1 minute', 2, 20, 10"
                     " FROM generate_series($1::timestamptz, $2::timestamptz - interval '1 minute',"
                     " interval '1 minute') AS t",
                     formatIsoTimestamp(from), formatIsoTimestamp(to));
}

} // namespace gm::test
