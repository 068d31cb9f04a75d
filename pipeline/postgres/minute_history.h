// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/reference_data.h"
#include "generator/timestamp.h"

#include <array>
#include <string>
#include <vector>

namespace gm {

struct StoredPoint {
    TimestampUs window_start = 0;
    double value = 0;
    // The window holds only part of its span: a generator run started or was stopped inside it
    // (window_is_partial, sql/migrations/0007). Drawn like an open window, never as a full one.
    bool partial = false;
};

// The closed windows PostgreSQL holds for the window's time-series charts, in [from, to) by
// window start, oldest first. Per-country tables are summed per window the way the window's
// in-memory series are (models/snapshot_history.cpp), so stored and live points are comparable
// and can be joined into one line. Plain header: the window reads it on a worker thread.
struct StoredMinutes {
    TimestampUs from = 0;
    TimestampUs to = 0;
    std::vector<StoredPoint> revenue; // sales_per_minute, dollars
    std::vector<StoredPoint> orders;
    std::vector<StoredPoint> avg_order;
    std::vector<StoredPoint> units_sold;        // inventory_metrics, all countries
    std::vector<StoredPoint> cart_adds;         // cart_metrics, all countries
    std::vector<StoredPoint> cart_checkouts;    // cart_metrics, all countries
    std::vector<StoredPoint> abandonment_total; // percent, from the adds and checkouts
    // Percent, per country: one series for each active country (built-in and added by
    // --reference-data, countryCount()), indexed by Country.
    std::vector<std::vector<StoredPoint>> abandonment =
        std::vector<std::vector<StoredPoint>>(static_cast<std::size_t>(countryCount()));
    std::array<std::vector<StoredPoint>, 3> anomalies; // anomaly_stats: critical, high, medium
    std::string error; // non-empty: the database could not be read (one line)

    std::size_t rowCount() const; // points over all series
};

// Which tables to read: a page needs only its own (a week of per-country cart rows is 50,000).
enum StoredTables : unsigned {
    kStoredSales = 1,     // revenue, orders, avg_order
    kStoredInventory = 2, // units_sold
    kStoredCarts = 4,     // cart_adds, cart_checkouts, abandonment_total, abandonment
    kStoredAnomalies = 8, // anomalies
    kStoredAll = 15,
};

// Reads [from, to) in one read-only transaction; a summed window is partial when any of its
// rows is. Each query is a range scan on a primary key
// that leads with window_start, so the cost follows the range, not the table.
StoredMinutes readStoredMinutes(const std::string& conninfo, TimestampUs from, TimestampUs to,
                                unsigned tables = kStoredAll);

} // namespace gm
