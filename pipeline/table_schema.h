// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/rows.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Names, columns and text rendering of the output tables: what CSV files and PostgreSQL COPY
// need. Text ids (USER_..., PROD_..., UUIDs, country names) appear only here.
namespace gm {

std::string_view tableName(TableId table); // spec name, e.g. "sales_per_minute"
std::optional<TableId> parseTableName(std::string_view name);
const std::vector<std::string>& columns(TableId table);
// created_at, detected_at, analyzed_at, alert_generated_at, abandonment_detected_at, updated_at:
// stamped from the clock when the row is produced, so not a function of the events.
bool isProcessingTimeColumn(std::string_view column);

// Field texts in column order. An empty text is SQL NULL (no column holds an empty string).
// Timestamps are ISO 8601 UTC with microseconds and Z, money has two decimals (dollars),
// averages and rates are rounded to two decimals, booleans are true/false.
void appendFields(const SalesPerMinuteRow& row, std::vector<std::string>& out);
void appendFields(const SalesByCountryRow& row, std::vector<std::string>& out);
void appendFields(const CartSessionRow& row, std::vector<std::string>& out);
void appendFields(const CartMetricsRow& row, std::vector<std::string>& out);
void appendFields(const AbandonedCartRow& row, std::vector<std::string>& out);
void appendFields(const TrendingProductRow& row, std::vector<std::string>& out);
void appendFields(const CategoryPerformanceRow& row, std::vector<std::string>& out);
void appendFields(const SearchBehaviorRow& row, std::vector<std::string>& out);
void appendFields(const BrowsingSessionRow& row, std::vector<std::string>& out);
void appendFields(const HighValueAnomalyRow& row, std::vector<std::string>& out);
void appendFields(const HighQuantityAnomalyRow& row, std::vector<std::string>& out);
void appendFields(const SuspiciousPatternRow& row, std::vector<std::string>& out);
void appendFields(const AnomalyStatsRow& row, std::vector<std::string>& out);
void appendFields(const ProductSalesVelocityRow& row, std::vector<std::string>& out);
void appendFields(const InventoryByCountryRow& row, std::vector<std::string>& out);
void appendFields(const HighDemandAlertRow& row, std::vector<std::string>& out);
void appendFields(const RestockAlertRow& row, std::vector<std::string>& out);
void appendFields(const InventoryMetricsRow& row, std::vector<std::string>& out);
void appendFields(const StockLevelRow& row, std::vector<std::string>& out);
void appendFields(const LowStockAlertRow& row, std::vector<std::string>& out);
void appendFields(const AlertRow& row, std::vector<std::string>& out);

template <typename Row> std::vector<std::string> rowFields(const Row& row) {
    std::vector<std::string> fields;
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
