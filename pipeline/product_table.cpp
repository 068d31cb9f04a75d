// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/product_table.h"

#include "generator/id_dictionary.h"

namespace gm {

std::string ProductTable::nameOf(ProductId id) const {
    if (live) {
        if (const NameId name = live->get(id).name; name != kNoName) {
            return std::string(productNames().text(name));
        }
    }
    return id < size() ? (*this)[id].name : std::string();
}

std::uint64_t ProductTable::outsideCatalogCount() const {
    return IdDictionary::products().outsideCatalog(static_cast<std::uint32_t>(size()));
}

std::uint64_t ProductTable::stockUnknownCount() const {
    // Every product of extra_stock was looked up in the dictionary when its file was read, so
    // it is among those counted outside the catalog.
    const std::uint64_t outside = outsideCatalogCount();
    return outside > extra_stock.size() ? outside - extra_stock.size() : 0;
}

ProductTable productTableFrom(const Catalog& catalog, const InitialStock& stock) {
    ProductTable table;
    table.reserve(catalog.productCount());
    for (ProductId id = 0; id < catalog.productCount(); ++id) {
        const Product& product = catalog.product(id);
        table.push_back(
            {catalog.productName(id), product.category, product.price, product.inventory});
    }
    for (const auto& [product, level] : stock.levels) {
        if (product < table.size()) {
            table[product].inventory = level;
        } else {
            table.extra_stock.emplace_back(product, level); // ascending, as in the file's table
        }
    }
    return table;
}

ProductTable productTableFrom(const Catalog& catalog) {
    return productTableFrom(catalog, initialStock());
}

} // namespace gm
