// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

// What the window shows of the warehouse, read into plain structs (no libpqxx here: the window
// includes this header). Every figure comes from the warehouse tables the batch jobs write; see
// docs/warehouse.md for their definitions. Dates are "YYYY-MM-DD" (UTC days).
namespace gm::warehouse {

// A figure of the analysis day and of the day before it.
struct KpiValue {
    double current = 0;
    std::optional<double> previous; // nothing when the previous day has no value (no sales)
    // % change vs the previous day; nothing without a previous value or when it was 0.
    std::optional<double> changePct() const;
};

// The analysis day (00:00 to 24:00 UTC) from the facts, compared with the day before.
struct WarehouseKpis {
    std::string analysis_date;
    std::string previous_date;
    KpiValue revenue;             // sum of order lines
    KpiValue orders;              // distinct orders
    KpiValue average_order_value; // revenue / orders; previous empty when it had no orders
    KpiValue customers;           // distinct customers who ordered
    KpiValue units;               // items sold
    KpiValue conversion;          // orders / product views x 100; empty without views
};

struct SegmentRow {
    std::string segment;
    std::int64_t customers = 0;
    double customer_share_pct = 0;
    double revenue = 0;
    std::optional<double> revenue_share_pct;
    std::int64_t orders = 0;
    std::optional<double> average_order_value;
};

// One cell of the recency x frequency grid (scores 1-5).
struct RfmCell {
    int recency_score = 0;
    int frequency_score = 0;
    std::int64_t customers = 0;
    double monetary = 0; // sum of the cell's customers' monetary values
};

struct RfmCustomer {
    std::string user_id;
    int recency_days = 0;
    int frequency = 0;
    double monetary = 0;
    int rfm_score = 0;
    std::string segment;
};

struct LifetimeValueRow {
    std::string user_id;
    std::string country;
    double lifetime_value = 0;
    std::int64_t orders = 0;
    std::optional<double> average_order_value;
    std::string first_order_date;
    std::string last_order_date;
    std::string segment; // empty before the first RFM analysis
};

struct CohortCell {
    std::string cohort_month; // YYYY-MM
    int month_offset = 0;
    std::int64_t cohort_size = 0;
    std::int64_t active_customers = 0;
    double retention_pct = 0;
    double revenue = 0;
};

struct ProductPerformanceRow {
    std::string product_id;
    std::string name;
    std::string category;
    std::int64_t orders = 0;
    std::int64_t quantity = 0;
    double revenue = 0;
    std::int64_t views = 0;
    std::int64_t cart_adds = 0;
    std::optional<double> conversion_pct;
    std::optional<double> cart_abandonment_pct;
    int category_rank = 0;
    int overall_rank = 0;
    double performance_score = 0;
    std::string tier;
};

struct TrendPoint {
    std::string period_type;  // daily, weekly, monthly, quarterly
    std::string period_value; // 2026-11-25, 2026-W48, 2026-11, 2026-Q4
    std::string period_start; // YYYY-MM-DD
    std::string category;     // empty: all categories
    std::int64_t orders = 0;
    double revenue = 0;
    std::int64_t quantity = 0;
    std::int64_t customers = 0;
    std::optional<double> growth_pct;
};

struct RegionSales {
    std::string country;
    std::string region;
    std::int64_t orders = 0;
    double revenue = 0;
};

struct QualityRow {
    std::string check;
    std::string table;
    std::string expected;
    std::string actual;
    bool passed = false;
};

struct BatchRunRow {
    std::int64_t run_id = 0;
    std::string step;
    std::string analysis_date;
    std::string started_at; // YYYY-MM-DD HH:MM:SS UTC
    double seconds = 0;     // 0 while running
    std::string status;
    std::optional<std::int64_t> rows;
    std::string error;
};

// Everything the Warehouse page shows for one analysis date, read in one snapshot.
struct WarehouseView {
    bool migrated = false;                   // the warehouse schema exists
    std::vector<std::string> analysis_dates; // newest first; empty: no analysis yet
    std::string analysis_date;               // the date shown (empty without analyses)
    WarehouseKpis kpis;
    std::vector<SegmentRow> segments;
    std::vector<RfmCell> rfm_cells;
    std::vector<LifetimeValueRow> top_customers;
    std::vector<CohortCell> cohorts;
    std::vector<ProductPerformanceRow> products;
    std::vector<TrendPoint> trends; // every period type and category of the date
    std::vector<RegionSales> regions;
    std::int64_t quality_run_id = 0; // the last load that ran the data-quality checks
    std::vector<QualityRow> quality;
    std::vector<BatchRunRow> batch_runs; // newest first
    bool empty() const { return analysis_dates.empty(); }
};

// A read-only session on the warehouse: one connection, search path on the warehouse schema,
// UTC. Blocking: use it on a worker thread. Every method throws std::runtime_error with one
// line when the database cannot answer.
class WarehouseReader {
public:
    explicit WarehouseReader(const std::string& conninfo, const std::string& schema = "warehouse");
    ~WarehouseReader();
    WarehouseReader(const WarehouseReader&) = delete;
    WarehouseReader& operator=(const WarehouseReader&) = delete;

    bool migrated();
    // Every date some batch job has results for, newest first.
    std::vector<std::string> analysisDates();
    WarehouseKpis kpis(const std::string& date);
    // Largest segment first.
    std::vector<SegmentRow> segments(const std::string& date);
    std::vector<RfmCell> rfmCells(const std::string& date);
    // The customers of one cell, highest monetary value first.
    std::vector<RfmCustomer> cellCustomers(const std::string& date, int recency_score,
                                           int frequency_score, int limit = 500);
    // Current customers by lifetime value (sum of order totals), highest first.
    std::vector<LifetimeValueRow> topCustomers(int limit = 100);
    std::vector<CohortCell> cohorts(const std::string& date);
    // By overall rank.
    std::vector<ProductPerformanceRow> products(const std::string& date);
    // Oldest period first; category empty: all categories together.
    std::vector<TrendPoint> trends(const std::string& date);
    // Countries by revenue over every day up to the date.
    std::vector<RegionSales> regions(const std::string& date);
    // The checks of the newest load that ran them (run id in run_id).
    std::vector<QualityRow> lastQuality(std::int64_t* run_id = nullptr);
    std::vector<BatchRunRow> batchRuns(int limit = 200);

    // All of the above for date (empty: the newest analysed date).
    WarehouseView view(const std::string& date = {});

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace gm::warehouse
