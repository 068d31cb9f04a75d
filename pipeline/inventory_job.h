// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/distinct_set.h"
#include "pipeline/emit_context.h"
#include "pipeline/rows.h"
#include "pipeline/tumbling_windows.h"

#include <span>

namespace gm {

// Job 5, over transaction lines: product_sales_velocity, inventory_by_country and
// restock_alerts share one 5-minute product x country state; high_demand_alerts has its own
// 10-minute product state; inventory_metrics is minute x country with units per product.
struct UnitsAcc {
    std::int64_t units = 0;
    Cents revenue = 0;
    void merge(const UnitsAcc& other) {
        units += other.units;
        revenue += other.revenue;
    }
};

struct InventoryMetricsAcc {
    std::int64_t units = 0;
    Cents revenue = 0;
    CountPerId per_product;
    void merge(const InventoryMetricsAcc& other) {
        units += other.units;
        revenue += other.revenue;
        per_product.merge(other.per_product);
    }
};

struct InventoryClosed {
    std::vector<ClosedWindow<std::uint64_t, UnitsAcc>> by_country; // product << 8 | country
    std::vector<ClosedWindow<ProductId, UnitsAcc>> demand;
    std::vector<ClosedWindow<std::uint8_t, InventoryMetricsAcc>> metrics;
    void clear() {
        by_country.clear();
        demand.clear();
        metrics.clear();
    }
};

Severity demandLevel(std::int64_t units, const PipelineConfig& config);
Severity restockUrgency(double rate_per_minute, const PipelineConfig& config);

class InventoryShard {
public:
    explicit InventoryShard(const PipelineConfig& config);
    std::uint64_t add(std::span<const Transaction> transactions, TimestampUs watermark_before);
    void close(TimestampUs watermark, InventoryClosed& out);
    void peek(InventoryClosed& out) const;
    std::size_t openWindows() const {
        return by_country_.openWindows() + demand_.openWindows() + metrics_.openWindows();
    }
    // Event time of the oldest state still open (kFlushWatermark: none): no event older than
    // this can change a row that is still to come.
    TimestampUs oldestOpenStart() const {
        return std::min(
            {by_country_.oldestOpenStart(), demand_.oldestOpenStart(), metrics_.oldestOpenStart()});
    }

private:
    TumblingWindows<std::uint64_t, UnitsAcc> by_country_;
    TumblingWindows<ProductId, UnitsAcc> demand_;
    TumblingWindows<std::uint8_t, InventoryMetricsAcc> metrics_;
};

void emitInventory(std::vector<InventoryClosed*>& parts, const EmitContext& context, RowBatch& out);

} // namespace gm
