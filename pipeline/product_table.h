// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/catalog.h"

#include <string>
#include <vector>

namespace gm {

// What the jobs need to know about a product beyond the events: its name and list price (for
// trending rows) and its starting stock. Built from the catalog, or by hand in tests.
struct ProductInfo {
    std::string name;
    CategoryId category = 0;
    Cents price = 0;
    std::int64_t inventory = 0;
};
using ProductTable = std::vector<ProductInfo>; // indexed by ProductId

ProductTable productTableFrom(const Catalog& catalog);

} // namespace gm
