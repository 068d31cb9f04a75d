// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/search_queries.h"

#include "generator/catalog.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>

namespace gm {
namespace {

constexpr std::array<std::string_view, 16> kGenericTerms = {
    "laptop", "phone", "shoes", "dress", "table",   "book",      "headphones",  "watch",
    "camera", "toy",   "game",  "shirt", "kitchen", "furniture", "electronics", "clothing"};

// Built-in ids: generic terms, then the 100 category names, then the brands.
constexpr QueryId kFirstCategoryQuery = kGenericTerms.size();
constexpr QueryId kFirstBrandQuery = kFirstCategoryQuery + kCategoryCount;

std::string lowered(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

} // namespace

QueryTable& QueryTable::global() {
    static QueryTable table;
    return table;
}

QueryTable::QueryTable() {
    for (std::string_view term : kGenericTerms) {
        intern(term);
    }
    for (int category = 0; category < kCategoryCount; ++category) {
        intern(categoryName(static_cast<CategoryId>(category)));
    }
    // Brand names are the start of every product name.
    for (int brand = 0; brand < Catalog::brandCount(); ++brand) {
        intern(Catalog::brandName(static_cast<std::uint8_t>(brand)));
    }
}

std::string_view QueryTable::text(QueryId id) const {
    std::shared_lock lock(mutex_);
    return id < texts_.size() ? std::string_view(texts_[id]) : std::string_view();
}

QueryId QueryTable::intern(std::string_view text) {
    {
        std::shared_lock lock(mutex_);
        if (auto found = ids_.find(text); found != ids_.end()) {
            return found->second;
        }
    }
    std::unique_lock lock(mutex_);
    if (auto found = ids_.find(text); found != ids_.end()) {
        return found->second;
    }
    const auto id = static_cast<QueryId>(texts_.size());
    texts_.emplace_back(text);
    ids_.emplace(texts_.back(), id);
    return id;
}

std::size_t QueryTable::size() const {
    std::shared_lock lock(mutex_);
    return texts_.size();
}

std::size_t QueryTable::builtinCount() {
    return kFirstBrandQuery + static_cast<std::size_t>(Catalog::brandCount());
}

std::span<const std::string_view> QueryTable::genericTerms() {
    return kGenericTerms;
}

QueryId QueryTable::genericTerm(std::size_t index) {
    return static_cast<QueryId>(index);
}

QueryId QueryTable::categoryQuery(CategoryId category) {
    return kFirstCategoryQuery + category;
}

QueryId QueryTable::brandQuery(std::uint8_t brand) {
    return kFirstBrandQuery + brand;
}

SearchIndex::SearchIndex(const Catalog& catalog) {
    // A product name is "<brand> <category> <digits>", so whether a letter-only query occurs in a
    // name depends only on the (brand, category) pair: count products per pair once, then test
    // each query against each pair's text instead of against every product.
    const int brands = Catalog::brandCount();
    std::vector<std::uint32_t> per_pair(static_cast<std::size_t>(brands) * kCategoryCount, 0);
    for (ProductId id = 0; id < catalog.productCount(); ++id) {
        const Product& product = catalog.product(id);
        ++per_pair[static_cast<std::size_t>(product.brand) * kCategoryCount + product.category];
    }
    std::vector<std::string> pair_texts;
    pair_texts.reserve(per_pair.size());
    for (int brand = 0; brand < brands; ++brand) {
        for (int category = 0; category < kCategoryCount; ++category) {
            pair_texts.push_back(
                lowered(std::string(catalog.brandName(static_cast<std::uint8_t>(brand))) + " " +
                        std::string(categoryName(static_cast<CategoryId>(category))) + " "));
        }
    }
    const QueryTable& table = QueryTable::global();
    counts_.assign(QueryTable::builtinCount(), 0);
    for (QueryId query = 0; query < counts_.size(); ++query) {
        const std::string needle = lowered(table.text(query));
        for (std::size_t pair = 0; pair < per_pair.size(); ++pair) {
            if (per_pair[pair] != 0 && pair_texts[pair].find(needle) != std::string::npos) {
                counts_[query] += per_pair[pair];
            }
        }
    }
}

} // namespace gm
