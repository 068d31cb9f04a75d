// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/http/table_query.h"

#include "generator/timestamp.h"
#include "pipeline/table_schema.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

namespace gm {
namespace {

bool isNumeric(SqlType type) {
    return type == SqlType::BigInt || type == SqlType::Integer || type == SqlType::Money ||
           type == SqlType::Double;
}

std::optional<double> number(std::string_view text) {
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
        !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

std::optional<FilterOp> parseOp(std::string_view name) {
    static constexpr std::pair<std::string_view, FilterOp> kOps[] = {
        {"eq", FilterOp::Eq},   {"neq", FilterOp::Neq},  {"gt", FilterOp::Gt},
        {"gte", FilterOp::Gte}, {"lt", FilterOp::Lt},    {"lte", FilterOp::Lte},
        {"in", FilterOp::In},   {"like", FilterOp::Like}};
    for (const auto& [text, op] : kOps) {
        if (text == name) {
            return op;
        }
    }
    return std::nullopt;
}

// The value as the column renders it, so that equal values compare equal as text.
std::optional<std::string> normalise(const ColumnInfo& column, const std::string& value,
                                     std::string& problem) {
    if (isNumeric(column.type)) {
        if (!number(value)) {
            problem = "'" + value + "' is not a number";
            return std::nullopt;
        }
        return value;
    }
    if (column.type == SqlType::Timestamptz) {
        const auto time = parseIsoTimestamp(value);
        if (!time) {
            problem = "'" + value + "' is not an ISO 8601 time (e.g. 2026-11-25T10:00:00Z)";
            return std::nullopt;
        }
        return formatIsoTimestamp(*time);
    }
    if (column.type == SqlType::Boolean && value != "true" && value != "false") {
        problem = "'" + value + "' is not true or false";
        return std::nullopt;
    }
    return value;
}

// SQL LIKE over bytes: % (or *) any run, _ one character.
bool likeMatch(std::string_view text, std::string_view pattern) {
    std::size_t t = 0;
    std::size_t p = 0;
    std::size_t star = std::string_view::npos;
    std::size_t mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '_' || pattern[p] == text[t]) &&
            pattern[p] != '%' && pattern[p] != '*') {
            ++t;
            ++p;
        } else if (p < pattern.size() && (pattern[p] == '%' || pattern[p] == '*')) {
            star = p++;
            mark = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && (pattern[p] == '%' || pattern[p] == '*')) {
        ++p;
    }
    return p == pattern.size();
}

// <0, 0, >0 like strcmp; both fields non-NULL.
int compareValues(SqlType type, const std::string& a, const std::string& b) {
    if (isNumeric(type)) {
        const double x = number(a).value_or(0);
        const double y = number(b).value_or(0);
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    // Timestamps share one fixed-width UTC rendering, so text order is time order.
    return a.compare(b);
}

bool matches(const TableInfo& table, const ColumnFilter& filter, const TextRow& row) {
    const std::string& field = row[filter.column];
    if (field.empty()) {
        return false; // NULL
    }
    const SqlType type = table.columns[filter.column].type;
    const auto compare = [&](const std::string& value) {
        return compareValues(type, field, value);
    };
    switch (filter.op) {
    case FilterOp::Eq:
        return compare(filter.values[0]) == 0;
    case FilterOp::Neq:
        return compare(filter.values[0]) != 0;
    case FilterOp::Gt:
        return compare(filter.values[0]) > 0;
    case FilterOp::Gte:
        return compare(filter.values[0]) >= 0;
    case FilterOp::Lt:
        return compare(filter.values[0]) < 0;
    case FilterOp::Lte:
        return compare(filter.values[0]) <= 0;
    case FilterOp::In:
        return std::any_of(filter.values.begin(), filter.values.end(),
                           [&](const std::string& value) { return compare(value) == 0; });
    case FilterOp::Like:
        return likeMatch(field, filter.values[0]);
    }
    return false;
}

std::optional<std::size_t> columnIndex(const TableInfo& table, std::string_view name) {
    for (std::size_t i = 0; i < table.column_names.size(); ++i) {
        if (table.column_names[i] == name) {
            return i;
        }
    }
    return std::nullopt;
}

std::vector<std::string> splitList(std::string_view text) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (true) {
        const auto comma = text.find(',', start);
        items.emplace_back(text.substr(start, comma - start));
        if (comma == std::string_view::npos) {
            return items;
        }
        start = comma + 1;
    }
}

std::optional<std::size_t> count(std::string_view text, std::size_t max) {
    std::size_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || value > max) {
        return std::nullopt;
    }
    return value;
}

std::optional<QueryError> parseFilter(const TableInfo& table, std::size_t column,
                                      const std::string& name, const std::string& value,
                                      TableQuery& query) {
    const auto dot = value.find('.');
    const auto op = dot == std::string::npos ? std::nullopt : parseOp(value.substr(0, dot));
    if (!op) {
        return QueryError{name, "expected op.value with op one of eq, neq, gt, gte, lt, lte, in, "
                                "like (e.g. " +
                                    name + "=eq.42)"};
    }
    ColumnFilter filter{column, *op, {}};
    std::string operand = value.substr(dot + 1);
    if (*op == FilterOp::Like) {
        filter.values.push_back(operand);
    } else {
        std::vector<std::string> values{operand};
        if (*op == FilterOp::In) {
            if (operand.size() < 2 || operand.front() != '(' || operand.back() != ')') {
                return QueryError{name, "in takes a list in parentheses, e.g. in.(a,b)"};
            }
            values = splitList(std::string_view(operand).substr(1, operand.size() - 2));
        }
        for (const std::string& item : values) {
            std::string problem;
            auto normalised = normalise(table.columns[column], item, problem);
            if (!normalised) {
                return QueryError{name, problem};
            }
            filter.values.push_back(std::move(*normalised));
        }
    }
    query.filters.push_back(std::move(filter));
    return std::nullopt;
}

std::optional<QueryError> parseOrder(const TableInfo& table, const std::string& value,
                                     TableQuery& query) {
    for (const std::string& item : splitList(value)) {
        const auto dot = item.rfind('.');
        const std::string name = dot == std::string::npos ? item : item.substr(0, dot);
        const std::string direction = dot == std::string::npos ? "asc" : item.substr(dot + 1);
        const auto column = columnIndex(table, name);
        if (!column) {
            return QueryError{"order",
                              "'" + name + "' is not a column of " + std::string(table.name)};
        }
        if (direction != "asc" && direction != "desc") {
            return QueryError{"order", "'" + direction + "' is not asc or desc"};
        }
        query.order.push_back({*column, direction == "desc"});
    }
    return std::nullopt;
}

} // namespace

std::variant<TableQuery, QueryError> parseTableQuery(const TableInfo& table,
                                                     const QueryParameters& parameters,
                                                     const std::vector<std::string>& ignored) {
    TableQuery query;
    for (const auto& [name, value] : parameters) {
        if (std::find(ignored.begin(), ignored.end(), name) != ignored.end()) {
            continue;
        }
        if (name == "limit" || name == "offset") {
            const std::size_t max = name == "limit" ? kMaxPageRows : SIZE_MAX / 2;
            const auto parsed = count(value, max);
            if (!parsed) {
                return QueryError{name, "'" + value + "' is not a whole number from 0" +
                                            (name == "limit" ? " to " + std::to_string(kMaxPageRows)
                                                             : std::string())};
            }
            (name == "limit" ? query.limit : query.offset) = *parsed;
        } else if (name == "order") {
            if (auto problem = parseOrder(table, value, query)) {
                return *problem;
            }
        } else if (const auto column = columnIndex(table, name)) {
            if (auto problem = parseFilter(table, *column, name, value, query)) {
                return *problem;
            }
        } else {
            return QueryError{name, "not a column of " + std::string(table.name) +
                                        " nor one of order, limit, offset"};
        }
    }
    return query;
}

TablePage runTableQuery(const TableInfo& table, const TableQuery& query,
                        const std::vector<TextRow>& rows) {
    std::vector<const TextRow*> selected;
    for (const TextRow& row : rows) {
        if (std::all_of(query.filters.begin(), query.filters.end(),
                        [&](const ColumnFilter& filter) { return matches(table, filter, row); })) {
            selected.push_back(&row);
        }
    }
    if (!query.order.empty()) {
        std::stable_sort(selected.begin(), selected.end(), [&](const TextRow* a, const TextRow* b) {
            for (const SortKey& key : query.order) {
                const std::string& x = (*a)[key.column];
                const std::string& y = (*b)[key.column];
                if (x.empty() || y.empty()) {
                    if (x.empty() != y.empty()) {
                        return y.empty(); // NULLs last
                    }
                    continue;
                }
                const int c = compareValues(table.columns[key.column].type, x, y);
                if (c != 0) {
                    return key.descending ? c > 0 : c < 0;
                }
            }
            return false;
        });
    }
    TablePage page;
    page.total = selected.size();
    page.offset = query.offset;
    const std::size_t begin = std::min(query.offset, selected.size());
    const std::size_t end = begin + std::min(query.limit, selected.size() - begin);
    page.rows.assign(selected.begin() + static_cast<std::ptrdiff_t>(begin),
                     selected.begin() + static_cast<std::ptrdiff_t>(end));
    return page;
}

std::string contentRange(const TablePage& page) {
    if (page.rows.empty()) {
        return "*/" + std::to_string(page.total);
    }
    return std::to_string(page.offset) + "-" + std::to_string(page.offset + page.rows.size() - 1) +
           "/" + std::to_string(page.total);
}

} // namespace gm
