// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/http/stored_tables.h"

#include "pipeline/table_schema.h"
#include "pipeline/warehouse/warehouse_runner.h"
#include "pipeline/warehouse/warehouse_tables.h"

#include <algorithm>
#include <cctype>

namespace gm {
namespace {

using warehouse::ColumnDescription;
using warehouse::TableDescription;

// The views of sql/warehouse/0002_batch_tables.sql; warehouse_tables.h lists their names only.
// NOT NULL as in the tables they select from; the key is what makes a row unique in the view.
// tests/http/tst_http_stored_tables.cpp checks them against information_schema.
const std::vector<TableDescription>& viewDescriptions() {
    static const std::vector<TableDescription> kViews = {
        {"v_customer_lifetime_value",
         {{"customer_id", "bigint", true},
          {"user_id", "text", true},
          {"country", "text", false},
          {"lifetime_value", "numeric(14,2)", true},
          {"total_orders", "integer", true},
          {"avg_order_value", "numeric(12,2)", false},
          {"first_transaction_date", "date", false},
          {"last_transaction_date", "date", false},
          {"lifetime_days", "integer", false},
          {"customer_segment", "text", false},
          {"rfm_score", "integer", false}},
         {"customer_id"}},
        {"v_top_products_by_revenue",
         {{"product_id", "text", true},
          {"product_name", "text", false},
          {"category", "text", false},
          {"total_sales", "bigint", true},
          {"total_quantity", "bigint", true},
          {"total_revenue", "numeric(16,2)", true},
          {"avg_price", "numeric(12,2)", false},
          {"total_views", "bigint", true},
          {"conversion_rate", "numeric(9,2)", false},
          {"overall_rank", "integer", true},
          {"performance_tier", "text", true},
          {"analysis_date", "date", true}},
         {"product_id"}},
    };
    return kViews;
}

// The parser's view of a PostgreSQL type: numbers compare as numbers, times as instants, the
// rest (text, dates) as text; dates in YYYY-MM-DD order as text as in time.
SqlType parserType(std::string_view sql_type) {
    if (sql_type == "bigint") {
        return SqlType::BigInt;
    }
    if (sql_type == "integer") {
        return SqlType::Integer;
    }
    if (sql_type.starts_with("numeric") || sql_type == "double precision") {
        return SqlType::Double;
    }
    if (sql_type == "boolean") {
        return SqlType::Boolean;
    }
    if (sql_type == "timestamp with time zone" || sql_type == "timestamptz") {
        return SqlType::Timestamptz;
    }
    return SqlType::Text;
}

PageColumn::Kind pageKind(std::string_view sql_type) {
    if (parserType(sql_type) == SqlType::Timestamptz) {
        return PageColumn::Kind::Time;
    }
    return sql_type == "text" ? PageColumn::Kind::Text : PageColumn::Kind::Other;
}

StoredTable describe(const TableDescription& description, bool view) {
    StoredTable table;
    table.info.name = description.name;
    table.schema = std::string(kWarehouseSchema);
    table.view = view;
    for (const ColumnDescription& column : description.columns) {
        const bool key = std::find(description.key.begin(), description.key.end(), column.name) !=
                         description.key.end();
        table.info.columns.push_back(
            {column.name, parserType(column.sql_type), key, !column.not_null});
        table.info.column_names.emplace_back(column.name);
        table.sql_types.emplace_back(column.sql_type);
    }
    for (const std::string_view key : description.key) {
        table.info.key_columns.emplace_back(key);
        const auto& names = table.info.column_names;
        table.key.push_back(
            static_cast<std::size_t>(std::find(names.begin(), names.end(), key) - names.begin()));
    }
    return table;
}

bool isWholeNumber(std::string_view text) {
    if (text.starts_with('-') || text.starts_with('+')) {
        text.remove_prefix(1);
    }
    return !text.empty() && text.size() <= 19 &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isUuid(std::string_view text) {
    if (text.size() != 36) {
        return false;
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? text[i] != '-' : std::isxdigit(static_cast<unsigned char>(text[i])) == 0) {
            return false;
        }
    }
    return true;
}

std::optional<std::string> valueProblem(std::string_view sql_type, const std::string& value) {
    if ((sql_type == "bigint" || sql_type == "integer") && !isWholeNumber(value)) {
        return "'" + value + "' is not a whole number";
    }
    if (sql_type == "date" && !warehouse::isIsoDate(value)) {
        return "'" + value + "' is not a date (YYYY-MM-DD)";
    }
    if (sql_type == "uuid" && !isUuid(value)) {
        return "'" + value + "' is not a uuid";
    }
    return std::nullopt;
}

} // namespace

const std::vector<StoredTable>& warehouseTables() {
    static const std::vector<StoredTable> kTables = [] {
        std::vector<StoredTable> tables;
        for (const TableDescription& table : warehouse::tables()) {
            tables.push_back(describe(table, false));
        }
        for (const TableDescription& view : viewDescriptions()) {
            tables.push_back(describe(view, true));
        }
        return tables;
    }();
    return kTables;
}

const StoredTable* findWarehouseTable(std::string_view name) {
    for (const StoredTable& table : warehouseTables()) {
        if (table.info.name == name) {
            return &table;
        }
    }
    return nullptr;
}

StoredTable storedRealtimeTable(TableId id) {
    StoredTable table;
    table.info = tableInfo(id);
    for (std::size_t c = 0; c < table.info.columns.size(); ++c) {
        table.sql_types.emplace_back(sqlTypeName(table.info.columns[c].type));
        if (table.info.columns[c].key) {
            table.key.push_back(c);
        }
    }
    return table;
}

std::optional<QueryError> storedValueProblem(const StoredTable& table, const TableQuery& query) {
    for (const ColumnFilter& filter : query.filters) {
        if (filter.op == FilterOp::Like) {
            continue; // compared as text
        }
        for (const std::string& value : filter.values) {
            if (auto problem = valueProblem(table.sql_types[filter.column], value)) {
                return QueryError{table.info.column_names[filter.column], *problem};
            }
        }
    }
    return std::nullopt;
}

RelationPageRequest relationPageRequest(const StoredTable& table, const TableQuery& query) {
    RelationPageRequest request;
    request.schema = table.schema;
    request.relation = std::string(table.info.name);
    for (std::size_t c = 0; c < table.info.columns.size(); ++c) {
        request.columns.push_back({table.info.column_names[c], pageKind(table.sql_types[c])});
    }
    request.tie_breakers = table.key;
    if (table.key.empty()) {
        for (std::size_t c = 0; c < table.info.columns.size(); ++c) {
            request.tie_breakers.push_back(c);
        }
    }
    static constexpr PageFilterOp kOps[] = {PageFilterOp::Eq,  PageFilterOp::Neq, PageFilterOp::Gt,
                                            PageFilterOp::Gte, PageFilterOp::Lt,  PageFilterOp::Lte,
                                            PageFilterOp::In,  PageFilterOp::Like};
    for (const ColumnFilter& filter : query.filters) {
        request.filters.push_back(
            {filter.column, kOps[static_cast<std::size_t>(filter.op)], filter.values});
    }
    for (const SortKey& key : query.order) {
        request.order.push_back({key.column, key.descending});
    }
    request.limit = query.limit;
    request.offset = query.offset;
    return request;
}

} // namespace gm
