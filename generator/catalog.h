// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/events.h"

#include <cstdint>
#include <string>
#include <vector>

namespace gm {

struct CatalogConfig {
    std::uint32_t users = 10'000;
    std::uint32_t products = 1'000;
    std::uint64_t seed = 42;
    // Registration dates lie up to five years before this day.
    TimestampUs reference_time = 0;
};

// Compact per-user attributes (8 bytes): ten million users take 80 MB.
struct UserProfile {
    Country country = Country::USA;
    std::uint8_t age = 0;
    std::uint8_t preferred_groups = 0; // bit i set: CategoryGroup i is preferred (1 to 3 bits)
    std::uint8_t reserved = 0;
    std::int32_t registration_day = 0; // days since 1970-01-01
};

struct Product {
    CategoryId category = 0;
    std::uint8_t brand = 0;
    std::uint16_t model_number = 0;
    std::int32_t inventory = 0; // stock on hand at start
    Cents price = 0;
    float rating = 0;
};

// Users, products and the indexes browsing needs. Built once from a seed; read-only afterwards,
// so every thread may share one instance.
class Catalog {
public:
    explicit Catalog(const CatalogConfig& config);

    const CatalogConfig& config() const { return config_; }
    std::uint32_t userCount() const { return static_cast<std::uint32_t>(users_.size()); }
    std::uint32_t productCount() const { return static_cast<std::uint32_t>(products_.size()); }
    const UserProfile& user(UserId id) const { return users_[id]; }
    const Product& product(ProductId id) const { return products_[id]; }
    bool hasProduct(ProductId id) const { return id < products_.size(); }
    bool hasUser(UserId id) const { return id < users_.size(); }

    // "<Brand> <Category> <model>", e.g. "Nexa Laptops 4821".
    std::string productName(ProductId id) const;
    std::string userEmail(UserId id) const;
    static std::string_view brandName(std::uint8_t brand);
    static int brandCount();

    // Products of one category, in id order (may be empty in a small catalog).
    const std::vector<ProductId>& productsIn(CategoryId category) const {
        return by_category_[category];
    }
    // Number of products of the category (kNoCategory: of all categories) priced in [min, max].
    std::uint32_t countInPriceRange(CategoryId category, Cents min, Cents max) const;

private:
    CatalogConfig config_;
    std::vector<UserProfile> users_;
    std::vector<Product> products_;
    std::vector<std::vector<ProductId>> by_category_;
    std::vector<std::vector<Cents>> sorted_prices_; // per category, plus one for all at the end
};

} // namespace gm
