// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/catalog.h"
#include "pipeline/product_attributes.h"

#include <memory>
#include <string>
#include <vector>

namespace gm {

// What the jobs know about a product beyond the events: for the products of the generated
// catalog (or built by hand in tests) the catalog's name, category, list price and starting
// stock, indexed by ProductId. Any other product the stream names has no entry here: its stock
// is unknown (no stock_levels rows, no low-stock alerts) and its name, category and price are
// what the events sent (`live`, written by the engine's router thread).
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

    bool stockKnown(ProductId id) const { return id < size(); }
    // The name to show: the newest the events sent, else the catalog's, else empty.
    std::string nameOf(ProductId id) const;
};

ProductTable productTableFrom(const Catalog& catalog);

} // namespace gm
