// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared by the history screenshot tool and bench_history: days of per-minute rows of the
// time-series tables (sales, anomaly stats, cart and inventory metrics for every country), with
// a daily rhythm, noise and a few bursts, written by SQL in one statement per table.
#include "generator/timestamp.h"
#include "pipeline/postgres/migration_runner.h"

#include <pqxx/pqxx>
#include <string>

namespace gm::test {

// Migrates the database and writes `days` days of minutes ending at `end` (exclusive).
inline void seedMinuteHistory(const std::string& conninfo, TimestampUs end, int days) {
    pqxx::connection connection(conninfo);
    MigrationRunner::embedded().migrate(connection);
    pqxx::work work(connection);
    const std::string minutes = std::to_string(days * 24 * 60);
    const std::string first = formatIsoTimestamp(end - days * 24 * 60 * kMicrosPerMinute);
    // A day peaks in the (UTC) afternoon; every 997th minute is a burst.
    const std::string series =
        " FROM generate_series(0, " + minutes +
        " - 1) AS i, LATERAL (SELECT $1::timestamptz + i * interval '1 minute',"
        " 0.6 + 0.4 * sin(2 * pi() * ((i % 1440) - 480) / 1440.0)) AS s(t, day)";
    work.exec_params("INSERT INTO sales_per_minute (window_start, window_end, total_transactions,"
                     " total_revenue, avg_order_value)"
                     " SELECT t, t + interval '1 minute', o, round((o * a)::numeric, 2),"
                     " round(a::numeric, 2) FROM (SELECT t,"
                     " (200 * day + 40 * random() + CASE WHEN i % 997 = 0 THEN 900 ELSE 0 END)"
                     "::bigint AS o, 80 + 15 * random() AS a" +
                         series + ") AS m",
                     first);
    work.exec_params("INSERT INTO anomaly_stats (window_start, window_end, country,"
                     " total_anomalies, high_value_count, high_quantity_count, critical_count,"
                     " high_severity_count, medium_severity_count)"
                     " SELECT t, t + interval '1 minute', c, 0, 0, 0,"
                     " (random() * 2 * day)::bigint, (random() * 4 * day)::bigint,"
                     " (random() * 8 * day)::bigint" +
                         series + ", unnest(ARRAY['USA','UK','Germany','France','Japan']) AS c",
                     first);
    work.exec_params("INSERT INTO cart_metrics (window_start, window_end, country,"
                     " total_cart_events, adds, removes, updates, checkouts, abandonment_rate_pct)"
                     " SELECT t, t + interval '1 minute', c, a, a, 0, 0, k,"
                     " CASE WHEN a > 0 THEN greatest(a - k, 0) * 100.0 / a ELSE 0 END"
                     " FROM (SELECT t, c, (60 * day + 10 * random())::bigint AS a,"
                     " (40 * day + 5 * random())::bigint AS k" +
                         series +
                         ", unnest(ARRAY['USA','UK','Germany','France','Japan']) AS c) AS m",
                     first);
    work.exec_params("INSERT INTO inventory_metrics (window_start, window_end, country,"
                     " total_units_sold, unique_products_sold, total_revenue, fast_moving_products)"
                     " SELECT t, t + interval '1 minute', c, (90 * day + 20 * random())::bigint,"
                     " 10, 0, 0" +
                         series + ", unnest(ARRAY['USA','UK','Germany','France','Japan']) AS c",
                     first);
    work.commit();
}

} // namespace gm::test
