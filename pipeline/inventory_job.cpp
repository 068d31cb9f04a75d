// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/inventory_job.h"

namespace gm {

Severity demandLevel(std::int64_t units, const PipelineConfig& config) {
    if (units >= config.high_demand_critical) {
        return Severity::Critical;
    }
    return units >= config.high_demand_high ? Severity::High : Severity::Medium;
}

Severity restockUrgency(double rate_per_minute, const PipelineConfig& config) {
    if (rate_per_minute >= config.restock_high_rate) {
        return Severity::High;
    }
    return rate_per_minute >= config.restock_medium_rate ? Severity::Medium : Severity::Low;
}

InventoryShard::InventoryShard(const PipelineConfig& config)
    : by_country_(config.velocity_window), demand_(config.high_demand_window),
      metrics_(config.inventory_metrics_window) {}

std::uint64_t InventoryShard::add(std::span<const Transaction> transactions,
                                  TimestampUs watermark_before) {
    std::uint64_t late = 0;
    for (const Transaction& tx : transactions) {
        const TimestampUs time = tx.timestamp;
        const bool metrics_late = metrics_.isLate(time, watermark_before);
        const bool country_late = by_country_.isLate(time, watermark_before);
        const bool demand_late = demand_.isLate(time, watermark_before);
        late += metrics_late || country_late || demand_late ? 1 : 0;
        InventoryMetricsAcc* metrics =
            metrics_late ? nullptr : &metrics_.cell(time, static_cast<std::uint8_t>(tx.country));
        for (const OrderLine& line : tx.products) {
            const Cents amount = line.amount();
            if (!country_late) {
                const std::uint64_t key = static_cast<std::uint64_t>(line.product) << 8 |
                                          static_cast<std::uint64_t>(tx.country);
                UnitsAcc& acc = by_country_.cell(time, key);
                acc.units += line.quantity;
                acc.revenue += amount;
            }
            if (!demand_late) {
                UnitsAcc& acc = demand_.cell(time, line.product);
                acc.units += line.quantity;
                acc.revenue += amount;
            }
            if (metrics != nullptr) {
                metrics->units += line.quantity;
                metrics->revenue += amount;
                metrics->per_product.add(line.product, line.quantity);
            }
        }
    }
    return late;
}

void InventoryShard::close(TimestampUs watermark, InventoryClosed& out) {
    by_country_.close(watermark, out.by_country);
    demand_.close(watermark, out.demand);
    metrics_.close(watermark, out.metrics);
}

void InventoryShard::peek(InventoryClosed& out) const {
    metrics_.peek(out.metrics);
}

void emitInventory(std::vector<InventoryClosed*>& parts, const EmitContext& context,
                   RowBatch& out) {
    const PipelineConfig& config = context.config;
    std::vector<std::vector<ClosedWindow<std::uint64_t, UnitsAcc>>*> by_country;
    std::vector<std::vector<ClosedWindow<ProductId, UnitsAcc>>*> demand;
    std::vector<std::vector<ClosedWindow<std::uint8_t, InventoryMetricsAcc>>*> metrics;
    for (auto* part : parts) {
        by_country.push_back(&part->by_country);
        demand.push_back(&part->demand);
        metrics.push_back(&part->metrics);
    }
    const double window_minutes =
        static_cast<double>(config.velocity_window) / static_cast<double>(kMicrosPerMinute);
    mergeClosedWindows(by_country, [&](TimestampUs start, TimestampUs end, auto& cells) {
        // Cells are sorted by product then country, so one product's countries are adjacent.
        for (std::size_t i = 0; i < cells.size();) {
            const auto product = static_cast<ProductId>(cells[i].first >> 8);
            UnitsAcc total;
            for (; i < cells.size() && static_cast<ProductId>(cells[i].first >> 8) == product;
                 ++i) {
                const UnitsAcc& acc = cells[i].second;
                const auto country = static_cast<Country>(cells[i].first & 0xFF);
                total.merge(acc);
                out.inventory_by_country.push_back(
                    {start, end, product, country, acc.units, acc.revenue, context.now});
                const double rate = static_cast<double>(acc.units) / window_minutes;
                if (rate >= config.restock_min_rate) {
                    out.restock_alerts.push_back({start, end, product, country, acc.units, rate,
                                                  restockUrgency(rate, config), context.now,
                                                  context.now});
                }
            }
            if (total.units > 0) {
                out.product_sales_velocity.push_back(
                    {start, end, product, total.units, total.revenue,
                     static_cast<double>(total.revenue) / 100.0 / static_cast<double>(total.units),
                     context.now});
            }
        }
    });
    mergeClosedWindows(demand, [&](TimestampUs start, TimestampUs end, auto& cells) {
        for (const auto& [product, acc] : cells) {
            if (acc.units < config.high_demand_units) {
                continue;
            }
            out.high_demand_alerts.push_back({start, end, product, acc.units, acc.revenue,
                                              demandLevel(acc.units, config), context.now,
                                              context.now});
        }
    });
    mergeClosedWindows(metrics, [&](TimestampUs start, TimestampUs end, auto& cells) {
        for (auto& [country, acc] : cells) {
            const auto& products = acc.per_product.items();
            std::uint64_t fast = 0;
            for (const auto& [product, units] : products) {
                fast += units >= config.fast_moving_units ? 1 : 0;
            }
            out.inventory_metrics.push_back({start, end, static_cast<Country>(country), acc.units,
                                             products.size(), acc.revenue, fast, context.now});
        }
    });
}

} // namespace gm
