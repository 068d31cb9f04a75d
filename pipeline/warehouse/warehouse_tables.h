// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>
#include <vector>

// The warehouse tables in one place: names, columns with their SQL types (as PostgreSQL's
// format_type() prints them) and keys. The migrations in sql/warehouse/ create them; a test checks
// this list against information_schema of a migrated database.
namespace gm::warehouse {

struct ColumnDescription {
    std::string_view name;
    std::string_view sql_type;
    bool not_null = false;
};

struct TableDescription {
    std::string_view name;
    std::vector<ColumnDescription> columns;
    std::vector<std::string_view> key; // primary key, or the unique key standing in for it
};

const std::vector<TableDescription>& tables();
const TableDescription* findTable(std::string_view name);
const std::vector<std::string_view>& views();

} // namespace gm::warehouse
