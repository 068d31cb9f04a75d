// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/table_data.h"
#include "pipeline/product_table.h"
#include "pipeline/rows.h"

#include <set>
#include <string>
#include <vector>

// Snapshot rows -> drill-down tables. Each view lists, by the names of its table's description
// (pipeline/table_columns.h), the columns it shows with their titles and filter roles; the CSV
// header, the kind and the cell values come from the description (text ids such as USER_...,
// PROD_..., UUIDs and country names as the description renders them). The few columns a view
// computes itself (a product's name from the product table, an alert acknowledged this session)
// are listed in snapshot_tables.cpp.
namespace gm {

TableData highValueTable(const std::vector<HighValueAnomalyRow>& rows);
TableData highQuantityTable(const std::vector<HighQuantityAnomalyRow>& rows,
                            const ProductTable* products);
TableData suspiciousTable(const std::vector<SuspiciousPatternRow>& rows);
TableData alertsTable(const std::vector<AlertRow>& rows, const std::set<std::uint64_t>& acked);
TableData abandonedCartsTable(const std::vector<AbandonedCartRow>& rows);
// The newest window only: "what is trending now".
TableData trendingTable(const std::vector<TrendingProductRow>& rows);
TableData categoryTable(const std::vector<CategoryPerformanceRow>& rows);
TableData searchTable(const std::vector<SearchBehaviorRow>& rows);
TableData highDemandTable(const std::vector<HighDemandAlertRow>& rows,
                          const ProductTable* products);
TableData restockTable(const std::vector<RestockAlertRow>& rows, const ProductTable* products);
TableData lowStockTable(const std::vector<LowStockAlertRow>& rows, const ProductTable* products);
TableData stockLevelsTable(const std::vector<StockLevelRow>& rows, const ProductTable* products);

// Every view against its table's description: a shown name neither described nor computed by
// the view, a described column neither shown nor listed as hidden. Empty when they agree.
std::vector<std::string> snapshotViewProblems();

// Newest window_start among rows (0 when empty).
template <typename Row> TimestampUs newestWindow(const std::vector<Row>& rows) {
    TimestampUs newest = 0;
    for (const Row& row : rows) {
        newest = std::max(newest, row.window_start);
    }
    return newest;
}

} // namespace gm
