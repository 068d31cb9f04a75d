// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/snapshot_history.h"

#include <algorithm>
#include <cstdint>
#include <map>

namespace gm {
namespace {

constexpr std::size_t kStockCapacity = 100'000;

// Rows of a per-country table summed per window. When the snapshot's list is full its oldest
// window may have lost some countries to the trim, so that window is left out rather than
// shown too low.
template <typename Row, typename Value>
std::map<TimestampUs, std::array<double, 3>> sumPerWindow(const std::vector<Row>& rows,
                                                          std::size_t cap, Value value) {
    std::map<TimestampUs, std::array<double, 3>> sums;
    const bool trimmed = rows.size() >= cap && !rows.empty();
    const TimestampUs oldest = rows.empty() ? 0 : rows.front().window_start;
    for (const Row& row : rows) {
        if (trimmed && row.window_start == oldest) {
            continue;
        }
        const auto add = value(row);
        auto& sum = sums[row.window_start];
        for (std::size_t i = 0; i < sum.size(); ++i) {
            sum[i] += add[i];
        }
    }
    return sums;
}

std::array<double, 3> severities(const AnomalyStatsRow& row) {
    return {static_cast<double>(row.critical_count), static_cast<double>(row.high_severity_count),
            static_cast<double>(row.medium_severity_count)};
}

std::array<double, 3> cartCounts(const CartMetricsRow& row) {
    return {static_cast<double>(row.adds), static_cast<double>(row.checkouts), 0};
}

std::array<double, 3> units(const InventoryMetricsRow& row) {
    return {static_cast<double>(row.total_units_sold), 0, 0};
}

} // namespace

double abandonmentPercent(double adds, double checkouts) {
    if (adds <= 0) {
        return 0;
    }
    return std::clamp((adds - checkouts) / adds * 100.0, 0.0, 100.0);
}

SnapshotHistory::SnapshotHistory()
    : high_value(kRowCapacity), high_quantity(kRowCapacity), suspicious(kRowCapacity),
      alerts(kRowCapacity), abandoned_carts(kRowCapacity), high_demand(kRowCapacity),
      restock(kRowCapacity), low_stock(kRowCapacity), stock_levels(kStockCapacity),
      abandonment(static_cast<std::size_t>(countryCount())) {}

MinuteSeries* SnapshotHistory::abandonmentOf(Country country) {
    // The lists are loaded before a run starts, but a history made earlier grows to them here;
    // a country the active list does not hold (it never passes validation) gets no series.
    const auto index = static_cast<std::size_t>(country);
    if (index >= static_cast<std::size_t>(countryCount())) {
        return nullptr;
    }
    if (index >= abandonment.size()) {
        abandonment.resize(static_cast<std::size_t>(countryCount()));
    }
    return &abandonment[index];
}

void SnapshotHistory::clear() {
    const std::size_t recent_rows = recent_rows_per_table_;
    const std::uint64_t generation = generation_ + 1;
    *this = SnapshotHistory();
    recent_rows_per_table_ = recent_rows;
    generation_ = generation;
}

void SnapshotHistory::absorb(const SnapshotPtr& pointer) {
    if (!pointer) {
        return;
    }
    latest = pointer;
    const PipelineSnapshot& snapshot = *pointer;
    const RowBatch& recent = snapshot.recent;
    const RowBatch& partial = snapshot.partial;
    high_value.merge(recent.high_value_anomalies);
    high_quantity.merge(recent.high_quantity_anomalies);
    suspicious.merge(recent.suspicious_patterns);
    alerts.merge(recent.alerts);
    abandoned_carts.merge(recent.abandoned_carts);
    high_demand.merge(recent.high_demand_alerts);
    restock.merge(recent.restock_alerts);
    low_stock.merge(recent.low_stock_alerts);
    stock_levels.merge(recent.stock_levels);

    for (const auto* rows : {&recent.sales_per_minute, &partial.sales_per_minute}) {
        for (const SalesPerMinuteRow& row : *rows) {
            if (first_sales_minute_ == 0 || row.window_start < first_sales_minute_) {
                first_sales_minute_ = row.window_start;
            }
        }
    }
    for (const SalesPerMinuteRow& row : recent.sales_per_minute) {
        revenue.setClosed(row.window_start, static_cast<double>(row.total_revenue) / 100.0);
        orders.setClosed(row.window_start, static_cast<double>(row.total_transactions));
        avg_order.setClosed(row.window_start, row.avg_order_value);
    }
    revenue.clearPartial();
    orders.clearPartial();
    avg_order.clearPartial();
    for (const SalesPerMinuteRow& row : partial.sales_per_minute) {
        revenue.setPartial(row.window_start, static_cast<double>(row.total_revenue) / 100.0);
        orders.setPartial(row.window_start, static_cast<double>(row.total_transactions));
        avg_order.setPartial(row.window_start, row.avg_order_value);
    }

    for (MinuteSeries& series : abandonment) {
        series.clearPartial();
    }
    // One series per active country, countries added by --reference-data included.
    for (const CartMetricsRow& row : recent.cart_metrics) {
        if (MinuteSeries* series = abandonmentOf(row.country)) {
            series->setClosed(row.window_start, row.abandonment_rate_pct);
        }
    }
    for (const CartMetricsRow& row : partial.cart_metrics) {
        if (MinuteSeries* series = abandonmentOf(row.country)) {
            series->setPartial(row.window_start, row.abandonment_rate_pct);
        }
    }

    for (MinuteSeries* series : {&abandonment_total, &cart_adds, &cart_checkouts}) {
        series->clearPartial();
    }
    const auto set_carts = [this](TimestampUs start, const std::array<double, 3>& sum,
                                  bool closed) {
        const double rate = abandonmentPercent(sum[0], sum[1]);
        if (closed) {
            cart_adds.setClosed(start, sum[0]);
            cart_checkouts.setClosed(start, sum[1]);
            abandonment_total.setClosed(start, rate);
        } else {
            cart_adds.setPartial(start, sum[0]);
            cart_checkouts.setPartial(start, sum[1]);
            abandonment_total.setPartial(start, rate);
        }
    };
    for (const auto& [start, sum] :
         sumPerWindow(recent.cart_metrics, recent_rows_per_table_, cartCounts)) {
        set_carts(start, sum, true);
    }
    for (const auto& [start, sum] : sumPerWindow(partial.cart_metrics, SIZE_MAX, cartCounts)) {
        set_carts(start, sum, false);
    }

    for (MinuteSeries& series : anomalies) {
        series.clearPartial();
    }
    for (const auto& [start, sum] :
         sumPerWindow(recent.anomaly_stats, recent_rows_per_table_, severities)) {
        for (std::size_t i = 0; i < anomalies.size(); ++i) {
            anomalies[i].setClosed(start, sum[i]);
        }
    }
    for (const auto& [start, sum] : sumPerWindow(partial.anomaly_stats, SIZE_MAX, severities)) {
        for (std::size_t i = 0; i < anomalies.size(); ++i) {
            anomalies[i].setPartial(start, sum[i]);
        }
    }
    units_sold.clearPartial();
    for (const auto& [start, sum] :
         sumPerWindow(recent.inventory_metrics, recent_rows_per_table_, units)) {
        units_sold.setClosed(start, sum[0]);
    }
    for (const auto& [start, sum] : sumPerWindow(partial.inventory_metrics, SIZE_MAX, units)) {
        units_sold.setPartial(start, sum[0]);
    }
}

} // namespace gm
