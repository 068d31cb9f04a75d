// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/events.h"

#include <deque>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gm {

class Catalog;

// Search queries as small integers. The built-in vocabulary (generic terms, category names and
// brand names, i.e. the start of product names) has fixed ids; queries seen in other producers'
// events are interned on demand. Thread-safe; texts stay valid for the table's lifetime.
class QueryTable {
public:
    static QueryTable& global();

    QueryTable();
    std::string_view text(QueryId id) const;
    QueryId intern(std::string_view text);
    std::size_t size() const;

    static std::size_t builtinCount();
    static std::span<const std::string_view> genericTerms();
    static QueryId genericTerm(std::size_t index);
    static QueryId categoryQuery(CategoryId category);
    static QueryId brandQuery(std::uint8_t brand);

private:
    mutable std::shared_mutex mutex_;
    std::deque<std::string> texts_;
    std::unordered_map<std::string_view, QueryId> ids_;
};

// results_count of each built-in query against one catalog: products whose name or category
// contains the query, case-insensitive.
class SearchIndex {
public:
    explicit SearchIndex(const Catalog& catalog);
    std::uint32_t resultsCount(QueryId builtin_query) const { return counts_.at(builtin_query); }

private:
    std::vector<std::uint32_t> counts_;
};

} // namespace gm
