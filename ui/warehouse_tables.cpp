// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/warehouse_tables.h"

namespace gm {
namespace {

QVariant text(const std::string& value) {
    return QString::fromStdString(value);
}
QVariant count(std::int64_t value) {
    return static_cast<qlonglong>(value);
}
QVariant optional(const std::optional<double>& value) {
    return value ? QVariant(*value) : QVariant();
}

} // namespace

TableData segmentsTable(const std::vector<warehouse::SegmentRow>& rows) {
    TableData table;
    table.columns = {{QObject::tr("Segment"), "segment_name", ColumnKind::Text, FilterRole::Key},
                     {QObject::tr("Customers"), "customer_count", ColumnKind::Integer},
                     {QObject::tr("Share of customers"), "customer_share_pct", ColumnKind::Percent},
                     {QObject::tr("Revenue"), "total_revenue", ColumnKind::Dollars},
                     {QObject::tr("Share of revenue"), "revenue_share_pct", ColumnKind::Percent},
                     {QObject::tr("Orders"), "total_orders", ColumnKind::Integer},
                     {QObject::tr("Avg order"), "avg_order_value", ColumnKind::Dollars}};
    for (const auto& r : rows) {
        table.rows.push_back({text(r.segment), count(r.customers), r.customer_share_pct, r.revenue,
                              optional(r.revenue_share_pct), count(r.orders),
                              optional(r.average_order_value)});
    }
    return table;
}

TableData rfmCustomersTable(const std::vector<warehouse::RfmCustomer>& rows) {
    TableData table;
    table.columns = {{QObject::tr("Customer"), "user_id", ColumnKind::Text, FilterRole::Key},
                     {QObject::tr("Days since last order"), "recency_days", ColumnKind::Integer},
                     {QObject::tr("Orders"), "frequency_count", ColumnKind::Integer},
                     {QObject::tr("Spent"), "monetary_value", ColumnKind::Dollars},
                     {QObject::tr("RFM score"), "rfm_score", ColumnKind::Integer},
                     {QObject::tr("Segment"), "rfm_segment", ColumnKind::Text}};
    for (const auto& r : rows) {
        table.rows.push_back({text(r.user_id), r.recency_days, r.frequency, r.monetary, r.rfm_score,
                              text(r.segment)});
    }
    return table;
}

TableData topCustomersTable(const std::vector<warehouse::LifetimeValueRow>& rows) {
    TableData table;
    table.columns = {
        {QObject::tr("Customer"), "user_id", ColumnKind::Text, FilterRole::Key},
        {QObject::tr("Country"), "country", ColumnKind::Text, FilterRole::Country},
        {QObject::tr("Lifetime value"), "lifetime_value", ColumnKind::Dollars},
        {QObject::tr("Orders"), "total_orders", ColumnKind::Integer},
        {QObject::tr("Avg order"), "avg_order_value", ColumnKind::Dollars},
        {QObject::tr("First order"), "first_transaction_date", ColumnKind::Text},
        {QObject::tr("Last order"), "last_transaction_date", ColumnKind::Text},
        {QObject::tr("Segment"), "customer_segment", ColumnKind::Text, FilterRole::Type}};
    for (const auto& r : rows) {
        table.rows.push_back({text(r.user_id), text(r.country), r.lifetime_value, count(r.orders),
                              optional(r.average_order_value), text(r.first_order_date),
                              text(r.last_order_date), text(r.segment)});
    }
    return table;
}

TableData cohortTable(const std::vector<warehouse::CohortCell>& cells) {
    TableData table;
    table.columns = {{QObject::tr("Cohort"), "cohort_month", ColumnKind::Text},
                     {QObject::tr("Months since first order"), "month_offset", ColumnKind::Integer},
                     {QObject::tr("Cohort size"), "cohort_size", ColumnKind::Integer},
                     {QObject::tr("Active"), "active_customers", ColumnKind::Integer},
                     {QObject::tr("Retained"), "retention_pct", ColumnKind::Percent},
                     {QObject::tr("Revenue"), "revenue", ColumnKind::Dollars}};
    for (const auto& c : cells) {
        table.rows.push_back({text(c.cohort_month), c.month_offset, count(c.cohort_size),
                              count(c.active_customers), c.retention_pct, c.revenue});
    }
    return table;
}

TableData productPerformanceTable(const std::vector<warehouse::ProductPerformanceRow>& rows) {
    TableData table;
    table.columns = {
        {QObject::tr("Rank"), "overall_rank", ColumnKind::Integer},
        {QObject::tr("Product"), "product_id", ColumnKind::Text, FilterRole::Key},
        {QObject::tr("Name"), "product_name", ColumnKind::Text},
        {QObject::tr("Category"), "category", ColumnKind::Text},
        {QObject::tr("Tier"), "performance_tier", ColumnKind::Text, FilterRole::Type},
        {QObject::tr("Orders"), "total_sales", ColumnKind::Integer},
        {QObject::tr("Units"), "total_quantity", ColumnKind::Integer},
        {QObject::tr("Revenue"), "total_revenue", ColumnKind::Dollars},
        {QObject::tr("Views"), "total_views", ColumnKind::Integer},
        {QObject::tr("Cart adds"), "cart_adds", ColumnKind::Integer},
        {QObject::tr("Conversion"), "conversion_rate", ColumnKind::Percent},
        {QObject::tr("Cart abandonment"), "cart_abandonment_rate", ColumnKind::Percent},
        {QObject::tr("Category rank"), "category_rank", ColumnKind::Integer},
        {QObject::tr("Score"), "performance_score", ColumnKind::Decimal}};
    for (const auto& r : rows) {
        table.rows.push_back({r.overall_rank, text(r.product_id), text(r.name), text(r.category),
                              text(r.tier), count(r.orders), count(r.quantity), r.revenue,
                              count(r.views), count(r.cart_adds), optional(r.conversion_pct),
                              optional(r.cart_abandonment_pct), r.category_rank,
                              r.performance_score});
    }
    return table;
}

TableData trendTable(const std::vector<warehouse::TrendPoint>& points) {
    TableData table;
    table.columns = {{QObject::tr("Period"), "period_value", ColumnKind::Text, FilterRole::Key},
                     {QObject::tr("Starts"), "period_start", ColumnKind::Text},
                     {QObject::tr("Category"), "category", ColumnKind::Text},
                     {QObject::tr("Orders"), "total_sales", ColumnKind::Integer},
                     {QObject::tr("Revenue"), "total_revenue", ColumnKind::Dollars},
                     {QObject::tr("Units"), "total_quantity", ColumnKind::Integer},
                     {QObject::tr("Customers"), "unique_customers", ColumnKind::Integer},
                     {QObject::tr("Growth"), "growth_rate", ColumnKind::Percent}};
    for (const auto& p : points) {
        table.rows.push_back({text(p.period_value), text(p.period_start),
                              p.category.empty() ? QObject::tr("All") : text(p.category),
                              count(p.orders), p.revenue, count(p.quantity), count(p.customers),
                              optional(p.growth_pct)});
    }
    return table;
}

TableData regionTable(const std::vector<warehouse::RegionSales>& rows) {
    TableData table;
    table.columns = {{QObject::tr("Country"), "country", ColumnKind::Text, FilterRole::Country},
                     {QObject::tr("Region"), "region", ColumnKind::Text},
                     {QObject::tr("Orders"), "total_sales", ColumnKind::Integer},
                     {QObject::tr("Revenue"), "total_revenue", ColumnKind::Dollars}};
    for (const auto& r : rows) {
        table.rows.push_back({text(r.country), text(r.region), count(r.orders), r.revenue});
    }
    return table;
}

TableData qualityTable(const std::vector<warehouse::QualityRow>& rows) {
    TableData table;
    table.columns = {{QObject::tr("Check"), "check_name", ColumnKind::Text, FilterRole::Type},
                     {QObject::tr("Table"), "table_name", ColumnKind::Text},
                     {QObject::tr("Expected"), "expected", ColumnKind::Text},
                     {QObject::tr("Actual"), "actual", ColumnKind::Text},
                     {QObject::tr("Passed"), "passed", ColumnKind::Boolean}};
    for (const auto& r : rows) {
        table.rows.push_back(
            {text(r.check), text(r.table), text(r.expected), text(r.actual), r.passed});
    }
    return table;
}

TableData batchRunsTable(const std::vector<warehouse::BatchRunRow>& rows) {
    TableData table;
    table.columns = {{QObject::tr("Run"), "run_id", ColumnKind::Integer},
                     {QObject::tr("Step"), "step", ColumnKind::Text},
                     {QObject::tr("Analysis date"), "analysis_date", ColumnKind::Text},
                     {QObject::tr("Started (UTC)"), "started_at", ColumnKind::Text},
                     {QObject::tr("Seconds"), "duration_s", ColumnKind::Decimal},
                     {QObject::tr("Status"), "status", ColumnKind::Text, FilterRole::Type},
                     {QObject::tr("Rows"), "rows", ColumnKind::Integer},
                     {QObject::tr("Error"), "error_message", ColumnKind::Text}};
    for (const auto& r : rows) {
        table.rows.push_back({count(r.run_id), text(r.step), text(r.analysis_date),
                              text(r.started_at), r.seconds, text(r.status),
                              r.rows ? count(*r.rows) : QVariant(), text(r.error)});
    }
    return table;
}

} // namespace gm
