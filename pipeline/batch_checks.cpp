// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/batch_checks.h"

#include <algorithm>

namespace gm {
namespace {

bool validCountry(Country country) {
    return static_cast<int>(country) < kCountryCount;
}

bool invalidView(const ProductViewEvent& event, std::size_t products) {
    if (!validCountry(event.country)) {
        return true;
    }
    return event.event_type == ViewEventType::View &&
           (event.product >= products || event.category >= kCategoryCount);
}

bool invalidCart(const CartEvent& event, std::size_t products) {
    if (!validCountry(event.country)) {
        return true;
    }
    if (event.event_type == CartEventType::Checkout) {
        return std::any_of(event.items.begin(), event.items.end(),
                           [&](const OrderLine& line) { return line.product >= products; });
    }
    return event.product >= products;
}

bool invalidTransaction(const Transaction& tx, std::size_t products) {
    if (!validCountry(tx.country)) {
        return true;
    }
    return std::any_of(tx.products.begin(), tx.products.end(), [&](const OrderLine& line) {
        return line.product >= products || line.quantity == 0;
    });
}

} // namespace

RejectedCounts removeInvalidEvents(EventBatch& batch, std::size_t product_count) {
    RejectedCounts counts;
    counts.views = std::erase_if(
        batch.views, [&](const auto& event) { return invalidView(event, product_count); });
    counts.carts = std::erase_if(
        batch.carts, [&](const auto& event) { return invalidCart(event, product_count); });
    counts.transactions = std::erase_if(
        batch.transactions, [&](const auto& tx) { return invalidTransaction(tx, product_count); });
    return counts;
}

TimestampUs maxEventTime(const EventBatch& batch, TimestampUs fallback) {
    TimestampUs result = fallback;
    for (const auto& event : batch.views) {
        result = std::max(result, event.timestamp);
    }
    for (const auto& event : batch.carts) {
        result = std::max(result, event.timestamp);
    }
    for (const auto& tx : batch.transactions) {
        result = std::max(result, tx.timestamp);
    }
    return result;
}

} // namespace gm
