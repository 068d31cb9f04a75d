// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/catalog.h"
#include "pipeline/initial_stock.h"
#include "pipeline/product_attributes.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace gm {

// What the jobs know about a product beyond the events: for the products of the generated
// catalog (or built by hand in tests) the catalog's name, category, list price and starting
// stock, indexed by ProductId. Any other product the stream names has no entry here: its stock
// is unknown (no stock_levels rows, no low-stock alerts) unless an initial stock file gives it
// (`extra_stock`), and its name, category and price are what the events sent (`live`, written by
// the engine's router thread).
struct ProductInfo {
    std::string name;
    CategoryId category = 0;
    Cents price = 0;
    std::int64_t inventory = 0;
};

struct ProductTable : std::vector<ProductInfo> {
    ProductTable() = default;
    ProductTable(std::vector<ProductInfo> known) : std::vector<ProductInfo>(std::move(known)) {}

    // Attributes from the events; shared so that readers (the window) may hold them.
    std::shared_ptr<ProductAttributes> live = std::make_shared<ProductAttributes>();

    // Products outside the catalog whose stock an initial stock file gives, by index, ascending.
    std::vector<std::pair<ProductId, std::int64_t>> extra_stock;

    bool stockKnown(ProductId id) const {
        return id < size() ||
               std::binary_search(extra_stock.begin(), extra_stock.end(),
                                  std::pair<ProductId, std::int64_t>{id, 0},
                                  [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    // Distinct products named outside the catalog (by the stream or the initial stock file,
    // since the program started: the dictionaries are process-wide), and of those the ones
    // without a known stock.
    std::uint64_t outsideCatalogCount() const;
    std::uint64_t stockUnknownCount() const;
    // The name to show: the newest the events sent, else the catalog's, else empty.
    std::string nameOf(ProductId id) const;
};

// The catalog's products with the initial stock applied: a catalog product's inventory is
// replaced, any other product gets known stock. The one-argument form applies the process-wide
// initialStock().
ProductTable productTableFrom(const Catalog& catalog, const InitialStock& stock);
ProductTable productTableFrom(const Catalog& catalog);

} // namespace gm
