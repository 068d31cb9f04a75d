// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/pipeline_config.h"
#include "pipeline/product_table.h"
#include "pipeline/rows.h"

#include <optional>
#include <span>
#include <vector>

namespace gm {

// Stock on hand per product whose stock is known (the product table's: the catalog, and products
// outside it given by an initial stock file): starts at its inventory, sold units take it down
// (never below zero). Sales of any other product leave no stock row and raise no alert: its stock
// is unknown, not zero. Not windowed: every valid transaction counts, late or not, in stream order,
// so it runs on the router thread over whole batches.
class StockTracker {
public:
    StockTracker(const ProductTable& products, const PipelineConfig& config);

    // Applies the transactions; appends one stock_levels row per product changed (by product)
    // and one low_stock_alerts row per product that fell to or below the threshold (processing
    // time left 0). `low_stock_times` gets, per alert row, the event time of the transaction
    // that crossed the threshold (the alert's time for deduplication).
    void apply(std::span<const Transaction> transactions, std::vector<StockLevelRow>& levels,
               std::vector<LowStockAlertRow>& alerts, std::vector<TimestampUs>& low_stock_times) {
        take(transactions);
        collect(levels, alerts, low_stock_times);
    }
    // apply() in parts, for a batch ingested in chunks: take() each chunk's transactions in
    // stream order, then collect() the rows of all of them, as one apply() would.
    void take(std::span<const Transaction> transactions);
    void collect(std::vector<StockLevelRow>& levels, std::vector<LowStockAlertRow>& alerts,
                 std::vector<TimestampUs>& low_stock_times);
    bool stockKnown(ProductId product) const { return slotOf(product).has_value(); }
    // product must be one whose stock is known.
    std::int64_t stockOf(ProductId product) const { return stock_[*slotOf(product)]; }

private:
    // Where a product's stock is held: the catalog's products at their own index, the others
    // after them in ascending order of product (so slot order is product order).
    std::optional<std::uint32_t> slotOf(ProductId product) const;

    std::int64_t threshold_;
    std::uint32_t catalog_size_;
    std::vector<ProductId> extra_products_; // ascending; slot catalog_size_ + i
    std::vector<std::int64_t> stock_;
    std::vector<std::uint8_t> touched_;
    std::vector<std::uint8_t> alerted_;
    std::vector<std::uint32_t> touched_list_; // slots
    struct Crossing {
        ProductId product;
        std::int64_t stock;
        TimestampUs time;
    };
    std::vector<Crossing> crossings_; // taken, not yet emitted
};

} // namespace gm
