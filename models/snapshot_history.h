// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/minute_series.h"
#include "models/row_history.h"
#include "pipeline/pipeline_snapshot.h"

#include <QString>
#include <array>
#include <set>
#include <tuple>

namespace gm {

struct HighValueKey {
    Uuid operator()(const HighValueAnomalyRow& row) const { return row.transaction_id; }
};
struct HighQuantityKey {
    std::tuple<Uuid, ProductId> operator()(const HighQuantityAnomalyRow& row) const {
        return {row.transaction_id, row.product_id};
    }
};
struct SuspiciousKey {
    std::tuple<TimestampUs, UserId> operator()(const SuspiciousPatternRow& row) const {
        return {row.window_start, row.user_id};
    }
};
struct AlertKey {
    std::uint64_t operator()(const AlertRow& row) const { return row.alert_id; }
};
struct SameAlert {
    bool operator()(const AlertRow& a, const AlertRow& b) const {
        return a.occurrences == b.occurrences && a.last_seen == b.last_seen &&
               a.severity == b.severity && a.acknowledged == b.acknowledged;
    }
};
struct SameStock {
    bool operator()(const StockLevelRow& a, const StockLevelRow& b) const {
        return a.stock_on_hand == b.stock_on_hand && a.updated_at == b.updated_at;
    }
};
struct AbandonedKey {
    std::tuple<UserId, Uuid> operator()(const AbandonedCartRow& row) const {
        return {row.user_id, row.session_id};
    }
};
struct HighDemandKey {
    std::tuple<TimestampUs, ProductId> operator()(const HighDemandAlertRow& row) const {
        return {row.window_start, row.product_id};
    }
};
struct RestockKey {
    std::tuple<TimestampUs, ProductId, Country> operator()(const RestockAlertRow& row) const {
        return {row.window_start, row.product_id, row.country};
    }
};
struct LowStockKey {
    std::tuple<ProductId, TimestampUs> operator()(const LowStockAlertRow& row) const {
        return {row.product_id, row.detected_at};
    }
};
struct StockKey {
    ProductId operator()(const StockLevelRow& row) const { return row.product_id; }
};

// Remembers which contents a view last drew: redraw only when the history or run changed.
class VersionGate {
public:
    bool changed(std::uint64_t generation, std::uint64_t version) {
        if (generation == generation_ && version == version_) {
            return false;
        }
        generation_ = generation;
        version_ = version;
        return true;
    }

private:
    std::uint64_t generation_ = ~std::uint64_t{0};
    std::uint64_t version_ = ~std::uint64_t{0};
};

// Everything the pages show, gathered from successive snapshots on the UI thread: bounded row
// histories for the drill-down tables and per-window series for the charts. Snapshots only carry
// the newest rows of each table; this keeps enough to look back a few hours.
class SnapshotHistory {
public:
    static constexpr std::size_t kRowCapacity = 2000;

    SnapshotHistory();

    void absorb(const SnapshotPtr& snapshot);
    // PipelineConfig::recent_rows_per_table: tells when a snapshot's list was trimmed.
    void setRecentRowsPerTable(std::size_t rows) { recent_rows_per_table_ = rows; }
    void clear();
    // Changes on every clear() (a new run), so views never mistake new rows for drawn ones.
    std::uint64_t generation() const { return generation_; }

    // Alerts are acknowledged here (the analyst's view); see the report on pipeline support.
    void acknowledge(std::uint64_t alert_id) {
        acknowledged_.insert(alert_id);
        ++acknowledged_version_;
    }
    std::uint64_t acknowledgedVersion() const { return acknowledged_version_; }
    bool isAcknowledged(std::uint64_t alert_id) const { return acknowledged_.count(alert_id) > 0; }
    const std::set<std::uint64_t>& acknowledged() const { return acknowledged_; }

    RowHistory<HighValueAnomalyRow, HighValueKey> high_value;
    RowHistory<HighQuantityAnomalyRow, HighQuantityKey> high_quantity;
    RowHistory<SuspiciousPatternRow, SuspiciousKey> suspicious;
    RowHistory<AlertRow, AlertKey, SameAlert> alerts;
    RowHistory<AbandonedCartRow, AbandonedKey> abandoned_carts;
    RowHistory<HighDemandAlertRow, HighDemandKey> high_demand;
    RowHistory<RestockAlertRow, RestockKey> restock;
    RowHistory<LowStockAlertRow, LowStockKey> low_stock;
    RowHistory<StockLevelRow, StockKey, SameStock> stock_levels;

    // Per-minute series (window start -> value).
    MinuteSeries revenue;   // dollars
    MinuteSeries orders;    // transactions
    MinuteSeries avg_order; // dollars
    MinuteSeries units_sold;
    // Percent, per country: one series for each active country (built-in and added by
    // --reference-data), indexed by Country; at most kMaxCountries series of 240 minutes each.
    std::vector<MinuteSeries> abandonment;
    // anomaly_stats summed over countries: index 0 critical, 1 high, 2 medium.
    std::array<MinuteSeries, 3> anomalies;

    SnapshotPtr latest; // for the latest-window tables (trending, categories, searches)

    // The earliest sales minute this run has produced (closed or open); 0 before the first. A
    // run rarely starts on a minute boundary, so that minute holds only part of a minute's sales.
    TimestampUs firstSalesMinute() const { return first_sales_minute_; }

    // Cart abandonment summed over countries, (adds − checkouts) / adds as in cart_metrics, and
    // the adds and checkouts it comes from.
    MinuteSeries abandonment_total; // percent
    MinuteSeries cart_adds;
    MinuteSeries cart_checkouts;

private:
    // The series of a country, added when a country of the active list first appears.
    MinuteSeries* abandonmentOf(Country country);

    std::set<std::uint64_t> acknowledged_;
    std::uint64_t acknowledged_version_ = 0;
    std::size_t recent_rows_per_table_ = 200;
    std::uint64_t generation_ = 0;
    TimestampUs first_sales_minute_ = 0;
};

// cart_metrics' abandonment_rate_pct for given totals: (adds − checkouts) / adds × 100, clamped
// to 0–100, 0 without adds.
double abandonmentPercent(double adds, double checkouts);

} // namespace gm
