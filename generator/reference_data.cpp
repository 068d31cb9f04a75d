// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/reference_data.h"

#include <vector>

namespace gm {
namespace {

constexpr std::array<std::string_view, kCountryCount> kCountries = {"USA", "UK", "Germany",
                                                                    "France", "Japan"};

constexpr std::array<std::string_view, kPaymentMethodCount> kPaymentMethods = {
    "Credit Card", "Debit Card", "PayPal", "Apple Pay", "Google Pay"};

constexpr std::array<std::string_view, kCategoryGroupCount> kGroupNames = {
    "Electronics",       "Clothing & Fashion",     "Home & Kitchen", "Books & Media",
    "Sports & Outdoors", "Beauty & Personal Care", "Toys & Games"};

constexpr std::array<PriceRangeCents, kCategoryGroupCount> kGroupPrices = {{{5000, 200000},
                                                                            {1000, 20000},
                                                                            {2000, 100000},
                                                                            {500, 5000},
                                                                            {1500, 50000},
                                                                            {500, 15000},
                                                                            {1000, 20000}}};

constexpr std::array<std::string_view, kCategoryCount> kCategories = {
    // Electronics (20)
    "Smartphones", "Laptops", "Tablets", "Desktop Computers", "Monitors", "Keyboards", "Mice",
    "Headphones", "Speakers", "Cameras", "Smart Watches", "Fitness Trackers", "Gaming Consoles",
    "VR Headsets", "Drones", "Printers", "Scanners", "External Hard Drives", "USB Drives",
    "Webcams",
    // Clothing & Fashion (20)
    "Men's T-Shirts", "Men's Jeans", "Men's Jackets", "Men's Shoes", "Men's Accessories",
    "Women's Dresses", "Women's Tops", "Women's Jeans", "Women's Shoes", "Women's Accessories",
    "Kids' Clothing", "Baby Clothing", "Sportswear", "Swimwear", "Underwear", "Socks", "Belts",
    "Hats", "Scarves", "Gloves",
    // Home & Kitchen (20)
    "Furniture", "Bedding", "Curtains", "Rugs", "Lighting", "Kitchen Appliances", "Cookware",
    "Dinnerware", "Cutlery", "Glassware", "Storage & Organization", "Cleaning Supplies",
    "Home Decor", "Wall Art", "Mirrors", "Bathroom Accessories", "Towels", "Pillows", "Blankets",
    "Mattresses",
    // Books & Media (10)
    "Fiction Books", "Non-Fiction Books", "E-Books", "Audiobooks", "Magazines", "Movies",
    "Music CDs", "Vinyl Records", "Video Games", "Board Games",
    // Sports & Outdoors (10)
    "Exercise Equipment", "Yoga Mats", "Dumbbells", "Treadmills", "Bicycles", "Camping Gear",
    "Hiking Equipment", "Fishing Gear", "Sports Balls", "Athletic Shoes",
    // Beauty & Personal Care (10)
    "Skincare", "Makeup", "Hair Care", "Fragrances", "Nail Care", "Bath & Body", "Shaving Products",
    "Oral Care", "Personal Hygiene", "Beauty Tools",
    // Toys & Games (10)
    "Action Figures", "Dolls", "Building Blocks", "Puzzles", "Educational Toys",
    "Remote Control Toys", "Stuffed Animals", "Arts & Crafts", "Musical Toys", "Outdoor Toys"};

// First category index of each group; the groups are contiguous in kCategories.
constexpr std::array<int, kCategoryGroupCount + 1> kGroupStarts = {0, 20, 40, 60, 70, 80, 90, 100};

template <std::size_t N>
std::optional<std::uint8_t> indexOf(const std::array<std::string_view, N>& names,
                                    std::string_view name) {
    for (std::size_t i = 0; i < N; ++i) {
        if (names[i] == name) {
            return static_cast<std::uint8_t>(i);
        }
    }
    return std::nullopt;
}

struct GroupMembers {
    std::array<std::vector<CategoryId>, kCategoryGroupCount> members;
    GroupMembers() {
        for (int g = 0; g < kCategoryGroupCount; ++g) {
            for (int c = kGroupStarts[g]; c < kGroupStarts[g + 1]; ++c) {
                members[g].push_back(static_cast<CategoryId>(c));
            }
        }
    }
};

} // namespace

std::string_view countryName(Country country) {
    return kCountries[static_cast<std::size_t>(country)];
}

std::optional<Country> parseCountry(std::string_view name) {
    if (auto index = indexOf(kCountries, name)) {
        return static_cast<Country>(*index);
    }
    return std::nullopt;
}

std::string_view paymentMethodName(PaymentMethod method) {
    return kPaymentMethods[static_cast<std::size_t>(method)];
}

std::optional<PaymentMethod> parsePaymentMethod(std::string_view name) {
    if (auto index = indexOf(kPaymentMethods, name)) {
        return static_cast<PaymentMethod>(*index);
    }
    return std::nullopt;
}

std::string_view categoryName(CategoryId category) {
    return kCategories.at(category);
}

std::optional<CategoryId> parseCategory(std::string_view name) {
    return indexOf(kCategories, name);
}

CategoryGroup categoryGroup(CategoryId category) {
    for (int g = 0; g < kCategoryGroupCount; ++g) {
        if (category < kGroupStarts[g + 1]) {
            return static_cast<CategoryGroup>(g);
        }
    }
    return CategoryGroup::Toys;
}

std::string_view categoryGroupName(CategoryGroup group) {
    return kGroupNames[static_cast<std::size_t>(group)];
}

PriceRangeCents priceRange(CategoryGroup group) {
    return kGroupPrices[static_cast<std::size_t>(group)];
}

std::span<const CategoryId> categoriesOf(CategoryGroup group) {
    static const GroupMembers groups;
    return groups.members[static_cast<std::size_t>(group)];
}

} // namespace gm
