// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/stock_tracker.h"

#include <algorithm>

namespace gm {

StockTracker::StockTracker(const ProductTable& products, const PipelineConfig& config)
    : threshold_(config.low_stock_threshold),
      catalog_size_(static_cast<std::uint32_t>(products.size())) {
    stock_.reserve(products.size() + products.extra_stock.size());
    for (const ProductInfo& product : products) {
        stock_.push_back(std::max<std::int64_t>(0, product.inventory));
    }
    for (const auto& [product, level] : products.extra_stock) {
        extra_products_.push_back(product);
        stock_.push_back(std::max<std::int64_t>(0, level));
    }
    touched_.assign(stock_.size(), 0);
    alerted_.assign(stock_.size(), 0);
}

std::optional<std::uint32_t> StockTracker::slotOf(ProductId product) const {
    if (product < catalog_size_) {
        return product;
    }
    const auto at = std::lower_bound(extra_products_.begin(), extra_products_.end(), product);
    if (at == extra_products_.end() || *at != product) {
        return std::nullopt;
    }
    return catalog_size_ + static_cast<std::uint32_t>(at - extra_products_.begin());
}

void StockTracker::take(std::span<const Transaction> transactions) {
    for (const Transaction& tx : transactions) {
        for (const OrderLine& line : tx.products) {
            const std::optional<std::uint32_t> slot = slotOf(line.product);
            if (!slot) {
                continue; // stock unknown: outside the catalog and the initial stock file
            }
            std::int64_t& stock = stock_[*slot];
            stock = std::max<std::int64_t>(0, stock - line.quantity);
            if (!touched_[*slot]) {
                touched_[*slot] = 1;
                touched_list_.push_back(*slot);
            }
            // One alert per fall to or below the threshold; a product that starts there alerts
            // with its first sale. Without restock events it never re-arms.
            if (stock <= threshold_ && !alerted_[*slot]) {
                alerted_[*slot] = 1;
                crossings_.push_back({line.product, stock, tx.timestamp});
            }
        }
    }
}

void StockTracker::collect(std::vector<StockLevelRow>& levels,
                           std::vector<LowStockAlertRow>& alerts,
                           std::vector<TimestampUs>& low_stock_times) {
    std::sort(touched_list_.begin(), touched_list_.end());
    for (const std::uint32_t slot : touched_list_) {
        const ProductId product =
            slot < catalog_size_ ? slot : extra_products_[slot - catalog_size_];
        levels.push_back({product, stock_[slot], 0});
        touched_[slot] = 0;
    }
    touched_list_.clear();
    std::sort(crossings_.begin(), crossings_.end(),
              [](const Crossing& a, const Crossing& b) { return a.product < b.product; });
    for (const Crossing& crossing : crossings_) {
        alerts.push_back({crossing.product, 0, crossing.stock, threshold_,
                          crossing.stock == 0 ? Severity::Critical : Severity::High});
        low_stock_times.push_back(crossing.time);
    }
    crossings_.clear();
}

} // namespace gm
