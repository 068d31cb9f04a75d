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

ProductTable productTableFrom(const Catalog& catalog) {
    ProductTable table;
    table.reserve(catalog.productCount());
    for (ProductId id = 0; id < catalog.productCount(); ++id) {
        const Product& product = catalog.product(id);
        table.push_back(
            {catalog.productName(id), product.category, product.price, product.inventory});
    }
    return table;
}

} // namespace gm
