// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/events.h"

#include "generator/short_text.h"

namespace gm {
namespace {
constexpr std::array<std::string_view, kCartEventTypeCount> kCartTypes = {
    "add_to_cart", "remove_from_cart", "update_quantity", "checkout"};
constexpr std::array<std::string_view, kViewEventTypeCount> kViewTypes = {"view", "search",
                                                                          "filter", "compare"};
} // namespace

std::string_view cartEventTypeName(CartEventType type) {
    return kCartTypes[static_cast<std::size_t>(type)];
}

std::optional<CartEventType> parseCartEventType(std::string_view name) {
    for (std::size_t i = 0; i < kCartTypes.size(); ++i) {
        if (sameShortText(kCartTypes[i], name)) {
            return static_cast<CartEventType>(i);
        }
    }
    return std::nullopt;
}

std::string_view viewEventTypeName(ViewEventType type) {
    return kViewTypes[static_cast<std::size_t>(type)];
}

std::optional<ViewEventType> parseViewEventType(std::string_view name) {
    for (std::size_t i = 0; i < kViewTypes.size(); ++i) {
        if (sameShortText(kViewTypes[i], name)) {
            return static_cast<ViewEventType>(i);
        }
    }
    return std::nullopt;
}

} // namespace gm
