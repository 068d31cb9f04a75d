// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/catalog.h"

#include "generator/random.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>

namespace gm {
namespace {

constexpr std::array<std::string_view, 20> kBrands = {
    "Acme",  "Nexa",   "Orbit",  "Zenith", "Lumen",   "Vertex", "Nova",
    "Apex",  "Pulse",  "Summit", "Aurora", "Kestrel", "Harbor", "Cobalt",
    "Maple", "Quartz", "Ember",  "Atlas",  "Willow",  "Falcon"};

// Age bands of docs/events.md: 18-24 15%, 25-34 30%, 35-44 25%, 45-54 20%, 55-75 10%.
constexpr std::array<double, 5> kAgeBandWeights = {0.15, 0.30, 0.25, 0.20, 0.10};
constexpr std::array<std::pair<int, int>, 5> kAgeBands = {
    {{18, 24}, {25, 34}, {35, 44}, {45, 54}, {55, 75}}};

// Inventory classes: 10% low 0-20, 50% medium 20-100, 40% high 100-1000.
constexpr std::array<double, 3> kInventoryWeights = {0.10, 0.50, 0.40};
constexpr std::array<std::pair<int, int>, 3> kInventoryRanges = {{{0, 20}, {20, 100}, {100, 1000}}};

UserProfile makeUser(Rng& rng, std::int64_t reference_day) {
    UserProfile user;
    user.country = static_cast<Country>(rng.below(kCountryCount));
    const auto band = kAgeBands[rng.weighted(kAgeBandWeights)];
    user.age = static_cast<std::uint8_t>(rng.between(band.first, band.second));
    const auto preferred = 1 + rng.below(3);
    while (static_cast<std::uint64_t>(std::popcount(user.preferred_groups)) < preferred) {
        user.preferred_groups |= static_cast<std::uint8_t>(1U << rng.below(kCategoryGroupCount));
    }
    user.registration_day = static_cast<std::int32_t>(reference_day - rng.between(0, 5 * 365));
    return user;
}

Product makeProduct(Rng& rng) {
    Product product;
    product.category = static_cast<CategoryId>(rng.below(kCategoryCount));
    product.brand = static_cast<std::uint8_t>(rng.below(kBrands.size()));
    product.model_number = static_cast<std::uint16_t>(rng.between(100, 9999));
    // 70% of prices in the lower half of the group's range, 30% in the upper half.
    const PriceRangeCents range = priceRange(categoryGroup(product.category));
    const Cents middle = (range.min + range.max) / 2;
    product.price =
        rng.chance(0.7) ? rng.between(range.min, middle) : rng.between(middle, range.max);
    const auto inventory = kInventoryRanges[rng.weighted(kInventoryWeights)];
    product.inventory = static_cast<std::int32_t>(rng.between(inventory.first, inventory.second));
    // Ratings skew high: the best of two uniform draws on 1.0-5.0, to one decimal.
    const double rating = 1.0 + 4.0 * std::max(rng.unit(), rng.unit());
    product.rating = static_cast<float>(static_cast<int>(rating * 10 + 0.5)) / 10.0F;
    return product;
}

} // namespace

Catalog::Catalog(const CatalogConfig& config) : config_(config) {
    // Users and products draw from separate streams so that changing the number of users does
    // not change the products.
    Rng user_rng(config.seed ^ 0x5553455253ULL);
    Rng product_rng(config.seed ^ 0x50524F44ULL);
    const std::int64_t reference_day = config.reference_time / (86400 * kMicrosPerSecond);

    users_.resize(config.users);
    for (auto& user : users_) {
        user = makeUser(user_rng, reference_day);
    }
    products_.resize(config.products);
    by_category_.resize(kCategoryCount);
    sorted_prices_.resize(kCategoryCount + 1);
    for (ProductId id = 0; id < config.products; ++id) {
        products_[id] = makeProduct(product_rng);
        by_category_[products_[id].category].push_back(id);
        sorted_prices_[products_[id].category].push_back(products_[id].price);
        sorted_prices_[kCategoryCount].push_back(products_[id].price);
    }
    for (auto& prices : sorted_prices_) {
        std::sort(prices.begin(), prices.end());
    }
}

std::string Catalog::productName(ProductId id) const {
    const Product& product = products_.at(id);
    std::string name;
    name.reserve(48);
    name += kBrands[product.brand];
    name += ' ';
    name += categoryName(product.category);
    name += ' ';
    char digits[8];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, product.model_number);
    name.append(digits, end);
    return name;
}

std::string Catalog::userEmail(UserId id) const {
    char digits[12];
    auto [end, ec] =
        std::to_chars(digits, digits + sizeof digits, static_cast<std::uint64_t>(id) + 1);
    return "user" + std::string(digits, end) + "@example.com";
}

std::string_view Catalog::brandName(std::uint8_t brand) {
    return kBrands.at(brand);
}

int Catalog::brandCount() {
    return static_cast<int>(kBrands.size());
}

std::uint32_t Catalog::countInPriceRange(CategoryId category, Cents min, Cents max) const {
    const auto& prices = sorted_prices_[category == kNoCategory ? kCategoryCount : category];
    const auto first = std::lower_bound(prices.begin(), prices.end(), min);
    const auto last = std::upper_bound(prices.begin(), prices.end(), max);
    return static_cast<std::uint32_t>(last > first ? last - first : 0);
}

} // namespace gm
