// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/timestamp.h"
#include "pipeline/rows.h"

#include <cstddef>
#include <string>
#include <vector>

namespace gm {

// One table's stored rows in a time range: the newest `limit` of them (oldest first, as the
// window's in-memory rows are) and how many the range holds in all, so a view can say
// "showing the newest N of M".
template <typename Row> struct RowsInRange {
    std::vector<Row> rows;
    std::size_t total = 0;      // rows in the range, in the database
    std::size_t unreadable = 0; // among the newest `limit`: an id or name that does not parse
    bool cut() const { return rows.size() + unreadable < total; }
};

// The rows the tables of the ranged pages show for a past range. Which column puts a row in
// [from, to) (docs/time-ranges.md): the event time for the anomaly rows ("timestamp", a
// transaction's time), the window start for the windowed tables (suspicious_patterns: the
// window's start; abandoned_carts: the session's first cart event; high_demand_alerts and
// restock_alerts: the sales window's start), the detection time of a low-stock alert, and for
// an alert (deduplicated over up to 10 minutes) any overlap of [first_seen, last_seen] with the
// range. Plain header: the window reads it on a worker thread.
struct StoredRows {
    TimestampUs from = 0;
    TimestampUs to = 0;
    RowsInRange<HighValueAnomalyRow> high_value;
    RowsInRange<HighQuantityAnomalyRow> high_quantity;
    RowsInRange<SuspiciousPatternRow> suspicious;
    RowsInRange<AbandonedCartRow> abandoned_carts;
    RowsInRange<AlertRow> alerts;
    RowsInRange<HighDemandAlertRow> high_demand;
    RowsInRange<RestockAlertRow> restock;
    RowsInRange<LowStockAlertRow> low_stock;
    std::string error; // non-empty: the database could not be read (one line)

    // Over every table: rows loaded, and whether any table held more than were loaded.
    std::size_t loadedRows() const;
    bool anyCut() const;
};

// At most this many rows per table: a week of anomalies is far more than a table can show and
// would take seconds to read and build.
inline constexpr std::size_t kStoredRowLimit = 10'000;

// Which row tables to read (bits, StoredTables continues them in minute_history.h).
enum StoredRowTables : unsigned {
    kStoredAnomalyRows = 16,    // high_value, high_quantity, suspicious
    kStoredAbandonedCarts = 32, // abandoned_carts
    kStoredAlertRows = 64,      // alerts
    kStoredInventoryRows = 128, // high_demand_alerts, restock_alerts, low_stock_alerts
    kStoredRowsAll = 240,
};

// Reads [from, to) in one read-only transaction. A row whose id or name does not parse is
// skipped and counted in `unreadable`, never shown with a made-up value.
StoredRows readStoredRows(const std::string& conninfo, TimestampUs from, TimestampUs to,
                          unsigned tables, std::size_t limit = kStoredRowLimit);

} // namespace gm
