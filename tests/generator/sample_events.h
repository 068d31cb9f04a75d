// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Sample events and the small catalog the codec and validation tests share.
#include "generator/catalog.h"
#include "generator/event_encoder.h"
#include "generator/events.h"

#include <variant>

namespace gm::test {

inline constexpr TimestampUs kStart = 1'795'000'000'000'000;

inline const Catalog& catalog() {
    static const Catalog instance(
        CatalogConfig{.users = 1'000, .products = 200, .seed = 7, .reference_time = kStart});
    return instance;
}

inline const EventEncoder& encoder() {
    static const EventEncoder instance(catalog());
    return instance;
}

inline Uuid uuid(std::uint64_t n) {
    return makeUuidV4(n * 0x9E3779B97F4A7C15ULL, ~n * 31);
}

inline OrderLine line(ProductId product, std::uint16_t quantity) {
    const Product& p = catalog().product(product);
    return OrderLine{product, p.category, quantity, p.price};
}

using AnyEvent = std::variant<Transaction, CartEvent, ProductViewEvent>;

inline CartEvent cartEvent(CartEventType type) {
    CartEvent e;
    e.event_id = uuid(2);
    e.session_id = uuid(3);
    e.timestamp = kStart + 7;
    e.user = 999;
    e.event_type = type;
    e.country = Country::Japan;
    if (type == CartEventType::Checkout) {
        e.items = {line(3, 1), line(150, 2), line(199, 3)};
        for (const OrderLine& l : e.items) {
            e.total_items += l.quantity;
            e.total_value += l.amount();
        }
        e.cart_value = e.total_value;
        e.cart_size = 3;
        return e;
    }
    const OrderLine item = line(17, 2);
    e.product = item.product;
    e.category = item.category;
    e.price = item.price;
    if (type == CartEventType::UpdateQuantity) {
        e.old_quantity = 2;
        e.new_quantity = 3;
    } else {
        e.quantity = 2;
    }
    e.cart_size = 4;
    e.cart_value = 123'45;
    return e;
}

inline EventKind kindOf(const AnyEvent& event) {
    if (std::holds_alternative<Transaction>(event)) {
        return EventKind::Transaction;
    }
    return std::holds_alternative<CartEvent>(event) ? EventKind::Cart : EventKind::ProductView;
}

} // namespace gm::test
