// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/stored_history.h"

#include "pipeline/postgres/connection_errors.h"

#include <algorithm>
#include <array>
#include <pqxx/pqxx>
#include <string_view>

namespace gm {
namespace {

// Fixed-window tables whose key is the window plus attributes a later run produces again.
constexpr std::array<std::string_view, 13> kWindowTables{
    "sales_per_minute",       "sales_by_country",     "cart_metrics",        "trending_products",
    "category_performance",   "search_behavior",      "suspicious_patterns", "anomaly_stats",
    "product_sales_velocity", "inventory_by_country", "high_demand_alerts",  "restock_alerts",
    "inventory_metrics"};

// Per-event (transaction) times, each with a btree index that leads with the time. The alerts
// table is not among them: an alert's time is a transaction's or a window end's, both covered
// here, and a window end + 1 µs would move the start off the minute for nothing.
constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kEventTimes{{
    {"high_value_anomalies", "\"timestamp\""},
    {"high_quantity_anomalies", "\"timestamp\""},
    {"low_stock_alerts", "detected_at"},
}};

std::string historyEndSql() {
    std::string parts;
    for (const std::string_view table : kWindowTables) {
        // Windows of one table have one length: the newest start has the newest end. Ordering
        // by the primary key's leading columns lets PostgreSQL read one index entry.
        parts += parts.empty() ? "" : ", ";
        parts += "(SELECT window_end FROM " + std::string(table) +
                 " ORDER BY window_start DESC, window_end DESC LIMIT 1)";
    }
    for (const auto& [table, column] : kEventTimes) {
        parts += ", (SELECT max(" + std::string(column) + ") + interval '1 microsecond' FROM " +
                 std::string(table) + ")";
    }
    // GREATEST ignores NULLs (empty tables); NULL only when every table is empty.
    return "SELECT (extract(epoch FROM GREATEST(" + parts + ")) * 1000000)::bigint";
}

// Raw events beyond the newest window: a run that crashed wrote raw events whose windows it
// never closed. Their tables only have BRIN time indexes, which answer a range condition by
// reading just the block ranges that can hold it: from the windows' end on, that is the tail a
// crashed run left (often nothing), not the whole table.
std::string rawEventEndSql(bool bounded) {
    std::string parts;
    for (const char* table : {"transactions", "cart_events", "product_view_events"}) {
        parts += parts.empty() ? "" : ", ";
        parts += std::string("(SELECT max(\"timestamp\") + interval '1 microsecond' FROM ") +
                 table + (bounded ? " WHERE \"timestamp\" >= $1::timestamptz)" : ")");
    }
    return "SELECT (extract(epoch FROM GREATEST(" + parts + ")) * 1000000)::bigint";
}

} // namespace

StoredHistory readStoredHistory(const std::string& conninfo) {
    StoredHistory history;
    try {
        pqxx::connection connection(conninfo);
        pqxx::read_transaction work(connection);
        const pqxx::result windows = work.exec(historyEndSql());
        if (!windows.empty() && !windows[0][0].is_null()) {
            history.end = windows[0][0].as<TimestampUs>();
        }
        const pqxx::result raw =
            history.end ? work.exec_params(rawEventEndSql(true), formatIsoTimestamp(*history.end))
                        : work.exec(rawEventEndSql(false));
        if (!raw.empty() && !raw[0][0].is_null()) {
            const auto raw_end = raw[0][0].as<TimestampUs>();
            history.end = history.end ? std::max(*history.end, raw_end) : raw_end;
        }
    } catch (const std::exception& e) {
        history.error = firstLine(e.what());
    }
    return history;
}

} // namespace gm
