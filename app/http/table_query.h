// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/table_descriptor.h"

#include <cstddef>
#include <string>
#include <utility>
#include <variant>
#include <vector>

// Filters, order and paging over a table's rows as text (the CSV rendering of
// table_descriptor.h), in the PostgREST style: `column=op.value` with eq, neq, gt, gte, lt, lte,
// in.(a,b) and like (wildcards * or %, and _); `order=col.asc,col2.desc`; `limit` and `offset`.
// Values compare by the column's type: numbers as numbers, timestamps as instants, the rest as
// text. An empty field is SQL NULL: no comparison matches it, and it sorts last.
namespace gm {

using TextRow = std::vector<std::string>;
using QueryParameters = std::vector<std::pair<std::string, std::string>>;

enum class FilterOp { Eq, Neq, Gt, Gte, Lt, Lte, In, Like };

struct ColumnFilter {
    std::size_t column = 0;
    FilterOp op = FilterOp::Eq;
    std::vector<std::string> values; // one, except for In; normalised to the column's rendering
};

struct SortKey {
    std::size_t column = 0;
    bool descending = false;
};

inline constexpr std::size_t kDefaultPageRows = 1000;
inline constexpr std::size_t kMaxPageRows = 10'000;

struct TableQuery {
    std::vector<ColumnFilter> filters;
    std::vector<SortKey> order;
    std::size_t limit = kDefaultPageRows;
    std::size_t offset = 0;
};

// A 400 answer: the parameter at fault and what is wrong with it.
struct QueryError {
    std::string parameter;
    std::string message;
};

// `ignored` names parameters that are not about rows (handled elsewhere) and are skipped.
std::variant<TableQuery, QueryError> parseTableQuery(const TableInfo& table,
                                                     const QueryParameters& parameters,
                                                     const std::vector<std::string>& ignored = {});

struct TablePage {
    std::vector<const TextRow*> rows; // the page, in order
    std::size_t total = 0;            // rows matching the filters
    std::size_t offset = 0;
};

TablePage runTableQuery(const TableInfo& table, const TableQuery& query,
                        const std::vector<TextRow>& rows);

// "0-99/1234", or "*/1234" for an empty page (PostgREST's Content-Range).
std::string contentRange(const TablePage& page);

} // namespace gm
