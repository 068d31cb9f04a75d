// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/rows.h"
#include "pipeline/table_columns.h"
#include "pipeline/table_descriptor.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The output tables as CSV files and PostgreSQL COPY see them, all derived from the one
// description per table in table_columns.h. Text ids (USER_..., PROD_..., UUIDs, country names)
// appear only at this edge.
namespace gm {

std::string_view tableName(TableId table); // spec name, e.g. "sales_per_minute"
std::optional<TableId> parseTableName(std::string_view name);
// Names, types, keys of a table, from its description in table_columns.h.
const TableInfo& tableInfo(TableId table);
const std::vector<std::string>& columns(TableId table);
// The natural primary key, as in sql/migrations: the writer's ON CONFLICT target.
const std::vector<std::string>& primaryKey(TableId table);
// created_at, detected_at, analyzed_at, alert_generated_at, abandonment_detected_at, updated_at:
// stamped from the clock when the row is produced, so not a function of the events.
bool isProcessingTimeColumn(std::string_view column);

// Field texts in column order (table_columns.h says how each column renders).
template <typename Row> void appendFields(const Row& row, std::vector<std::string>& out) {
    for (const auto& column : TableColumns<Row>::kColumns) {
        out.push_back(column.text(row));
    }
}

template <typename Row> std::vector<std::string> rowFields(const Row& row) {
    std::vector<std::string> fields;
    fields.reserve(TableColumns<Row>::kColumns.size());
    appendFields(row, fields);
    return fields;
}

// Every row of one table in a batch, as field texts.
std::vector<std::vector<std::string>> tableText(const RowBatch& batch, TableId table);

// Formatting shared with the row text: "1234.56" for 123456 cents, "-0.05" for -5.
std::string formatCents(Cents cents);
// Two decimals, half away from zero.
std::string formatDecimal2(double value);

} // namespace gm
