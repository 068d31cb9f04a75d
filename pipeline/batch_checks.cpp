// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/batch_checks.h"

#include <algorithm>

namespace gm {
namespace {

bool validCountry(Country country) {
    return static_cast<int>(country) < countryCount();
}

bool invalidView(const ProductViewEvent& event) {
    if (!validCountry(event.country)) {
        return true;
    }
    return event.event_type == ViewEventType::View && event.category >= categoryCount();
}

bool invalidCart(const CartEvent& event) {
    return !validCountry(event.country);
}

bool invalidTransaction(const Transaction& tx) {
    if (!validCountry(tx.country)) {
        return true;
    }
    return std::any_of(tx.products.begin(), tx.products.end(),
                       [&](const OrderLine& line) { return line.quantity == 0; });
}

} // namespace

RejectedCounts removeInvalidEvents(EventBatch& batch) {
    RejectedCounts counts;
    counts.views = std::erase_if(batch.views, [](const auto& event) { return invalidView(event); });
    counts.carts = std::erase_if(batch.carts, [](const auto& event) { return invalidCart(event); });
    counts.transactions =
        std::erase_if(batch.transactions, [](const auto& tx) { return invalidTransaction(tx); });
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
