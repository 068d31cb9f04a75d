// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/events.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gm {

class Catalog;

// Writes events as the JSON objects of docs/events.md, with the spec's field names and order; the
// names are those of event_fields.h, rendered at compile time.
// Product names come from the catalog; the encoder keeps them pre-escaped in one buffer because
// Catalog::productName builds a new string on every call, which would dominate encoding.
// Construction takes a few milliseconds per 100,000 products. Encoding is const and thread-safe;
// the catalog must outlive the encoder.
class EventEncoder {
public:
    explicit EventEncoder(const Catalog& catalog);

    // Append one JSON object to out (which is not cleared, so callers can batch into one buffer).
    void append(const Transaction& transaction, std::string& out) const;
    void append(const CartEvent& event, std::string& out) const;
    void append(const ProductViewEvent& event, std::string& out) const;

    template <typename Event> std::string encode(const Event& event) const {
        std::string out;
        append(event, out);
        return out;
    }

    const Catalog& catalog() const { return catalog_; }

private:
    // The product's name as an escaped JSON string body (no quotes); empty if not in the catalog.
    std::string_view escapedName(ProductId product) const;
    void appendName(ProductId product, NameId name, std::string& out) const;
    // The fields common to cart and product-view events, named by Members (json::Members of the
    // stream's event_fields description).
    template <typename Members>
    void appendCommon(const Uuid& event_id, std::string_view type, TimestampUs timestamp,
                      UserId user, const Uuid& session_id, Country country, std::string& out) const;
    // "product_id":…,"product_name":…,"category":…,"price":… (no separator before it).
    template <typename Members>
    void appendProductFields(ProductId product, NameId name, CategoryId category, Cents price,
                             std::string& out) const;
    void appendCartItem(const CartEvent& event, std::string& out) const;
    void appendCheckout(const CartEvent& event, std::string& out) const;

    const Catalog& catalog_;
    std::string names_;
    std::vector<std::uint32_t> name_offsets_; // productCount() + 1 entries
};

} // namespace gm
