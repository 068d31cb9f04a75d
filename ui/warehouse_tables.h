// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/table_data.h"
#include "pipeline/warehouse/warehouse_reader.h"

// The Warehouse page's tables: the reader's rows as TableData (view, filters, CSV export).
namespace gm {

TableData segmentsTable(const std::vector<warehouse::SegmentRow>& rows);
TableData rfmCustomersTable(const std::vector<warehouse::RfmCustomer>& rows);
TableData topCustomersTable(const std::vector<warehouse::LifetimeValueRow>& rows);
TableData cohortTable(const std::vector<warehouse::CohortCell>& cells);
TableData productPerformanceTable(const std::vector<warehouse::ProductPerformanceRow>& rows);
TableData trendTable(const std::vector<warehouse::TrendPoint>& points);
TableData regionTable(const std::vector<warehouse::RegionSales>& rows);
TableData qualityTable(const std::vector<warehouse::QualityRow>& rows);
TableData batchRunsTable(const std::vector<warehouse::BatchRunRow>& rows);

} // namespace gm
