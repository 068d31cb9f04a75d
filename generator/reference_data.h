// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

// Vocabularies of the shop (docs/events.md, "Reference data"; docs/reference-data.md). Events
// carry these as small enums or indexes; names appear only at the edges (JSON, database, CSV).
//
// The lists are data: generator/reference_data.txt, compiled in, is the default; a file given
// with --reference-data adds countries, payment methods and categories after the built-in ones
// (whose indexes, the enums below, never change). The built-in counts (kCountryCount, ...) are
// what the simulator and fixed per-country displays use; validation and every edge use the
// active counts (countryCount(), ...).
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

using CategoryId = std::uint8_t; // index into the categories (0xFE, 0xFF reserved)
inline constexpr int kCategoryCount = 100;

// Caps of the active lists (built-in + added).
inline constexpr int kMaxCountries = 64;
inline constexpr int kMaxPaymentMethods = 64;
inline constexpr int kMaxCategories = 250;

struct PriceRangeCents {
    std::int64_t min;
    std::int64_t max;
};

// The text of generator/reference_data.txt (generated source).
std::string_view builtinReferenceDataText();
// Adds the lists of a reference-data text to the active ones; names already known are skipped.
// On a fault nothing changes and the result is one line, "line N: what is wrong". Call before
// the threads that decode or print names start (names handed out stay valid for good).
std::optional<std::string> addReferenceData(std::string_view text);
// The same for a file: "cannot read FILE: reason" or "FILE: line N: ...".
std::optional<std::string> addReferenceDataFile(const std::string& path);
// Reads and checks a reference-data file as addReferenceDataFile does, without changing the
// active lists (the Settings dialog checks a file with it before it is used at the next launch).
std::optional<std::string> checkReferenceDataFile(const std::string& path);
// Back to the built-in lists (tests).
void resetReferenceData();

int countryCount();
int paymentMethodCount();
int categoryCount();

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
