// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/stock_tracker.h"

#include <algorithm>

namespace gm {

StockTracker::StockTracker(const ProductTable& products, const PipelineConfig& config)
    : threshold_(config.low_stock_threshold), touched_(products.size(), 0),
      alerted_(products.size(), 0) {
    stock_.reserve(products.size());
    for (const ProductInfo& product : products) {
        stock_.push_back(std::max<std::int64_t>(0, product.inventory));
    }
}

void StockTracker::apply(std::span<const Transaction> transactions,
                         std::vector<StockLevelRow>& levels, std::vector<LowStockAlertRow>& alerts,
                         std::vector<TimestampUs>& low_stock_times) {
    struct Crossing {
        ProductId product;
        std::int64_t stock;
        TimestampUs time;
    };
    std::vector<Crossing> crossings;
    for (const Transaction& tx : transactions) {
        for (const OrderLine& line : tx.products) {
            if (line.product >= stock_.size()) {
                continue; // stock unknown: a product outside the catalog
            }
            std::int64_t& stock = stock_[line.product];
            stock = std::max<std::int64_t>(0, stock - line.quantity);
            if (!touched_[line.product]) {
                touched_[line.product] = 1;
                touched_list_.push_back(line.product);
            }
            // One alert per fall to or below the threshold; a product that starts there alerts
            // with its first sale. Without restock events it never re-arms.
            if (stock <= threshold_ && !alerted_[line.product]) {
                alerted_[line.product] = 1;
                crossings.push_back({line.product, stock, tx.timestamp});
            }
        }
    }
    std::sort(touched_list_.begin(), touched_list_.end());
    for (const ProductId product : touched_list_) {
        levels.push_back({product, stock_[product], 0});
        touched_[product] = 0;
    }
    touched_list_.clear();
    std::sort(crossings.begin(), crossings.end(),
              [](const Crossing& a, const Crossing& b) { return a.product < b.product; });
    for (const Crossing& crossing : crossings) {
        alerts.push_back({crossing.product, 0, crossing.stock, threshold_,
                          crossing.stock == 0 ? Severity::Critical : Severity::High});
        low_stock_times.push_back(crossing.time);
    }
}

} // namespace gm
