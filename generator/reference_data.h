// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

// Fixed vocabularies of the shop (docs/events.md, "Reference data"). Events carry these as small
// enums or indexes; names appear only at the edges (JSON, database, CSV).
namespace gm {

enum class Country : std::uint8_t { USA, UK, Germany, France, Japan };
inline constexpr int kCountryCount = 5;

enum class PaymentMethod : std::uint8_t { CreditCard, DebitCard, PayPal, ApplePay, GooglePay };
inline constexpr int kPaymentMethodCount = 5;

enum class CategoryGroup : std::uint8_t {
    Electronics,
    Clothing,
    Home,
    Books,
    Sports,
    Beauty,
    Toys
};
inline constexpr int kCategoryGroupCount = 7;

using CategoryId = std::uint8_t; // index into the 100 categories
inline constexpr int kCategoryCount = 100;

struct PriceRangeCents {
    std::int64_t min;
    std::int64_t max;
};

std::string_view countryName(Country country);
std::optional<Country> parseCountry(std::string_view name);

std::string_view paymentMethodName(PaymentMethod method);
std::optional<PaymentMethod> parsePaymentMethod(std::string_view name);

std::string_view categoryName(CategoryId category);
std::optional<CategoryId> parseCategory(std::string_view name);
CategoryGroup categoryGroup(CategoryId category);
std::string_view categoryGroupName(CategoryGroup group);
PriceRangeCents priceRange(CategoryGroup group);
// Categories of one group, in spec order.
std::span<const CategoryId> categoriesOf(CategoryGroup group);

} // namespace gm
