// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/http/table_query.h"
#include "pipeline/postgres/relation_page_reader.h"
#include "pipeline/table_descriptor.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Tables the API reads from PostgreSQL rather than from the run's snapshot: every warehouse
// table and view (schema "warehouse" of the run's database), and the stored history of the
// real-time tables (`?source=database`). The same PostgREST-style query as the snapshot tables
// (table_query.h) becomes a parameterised statement (relation_page_reader.h): identifiers come
// from these descriptions only, never from the request.
namespace gm {

struct StoredTable {
    TableInfo info;                     // names, and types as the query parser knows them
    std::vector<std::string> sql_types; // per column, as PostgreSQL's format_type() prints them
    std::string schema;                 // empty: the search path (real-time tables)
    bool view = false;                  // a warehouse view
    std::vector<std::size_t> key;       // order of rows with equal sort values
};

inline constexpr std::string_view kWarehouseSchema = "warehouse";

// Warehouse tables (pipeline/warehouse/warehouse_tables.h) then views, by name.
const std::vector<StoredTable>& warehouseTables();
const StoredTable* findWarehouseTable(std::string_view name);
// The stored rows of a real-time table: its description, minus nothing, plus nothing.
StoredTable storedRealtimeTable(TableId table);

// Values the snapshot parser accepts but PostgreSQL's column type would refuse (1.5 for an
// integer, 2026-13-01 for a date, a uuid that is not one): a 400 naming the parameter.
std::optional<QueryError> storedValueProblem(const StoredTable& table, const TableQuery& query);

RelationPageRequest relationPageRequest(const StoredTable& table, const TableQuery& query);

} // namespace gm
