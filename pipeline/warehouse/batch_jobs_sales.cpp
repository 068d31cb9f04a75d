// SPDX-License-Identifier: GPL-3.0-or-later
// Product and sales analytics. Revenue here is the sum of line amounts (quantity x unit price),
// so categories add up to the total; orders are always distinct transaction ids.
#include "pipeline/warehouse/batch_jobs.h"

#include <pqxx/pqxx>

namespace gm::warehouse {
namespace {

// Over all history up to the analysis date; products viewed or carted but never sold are
// included with zero sales. Category and name are those of the version valid at the end of the
// analysis date. performance_score (0-100) weighs the percentile of revenue (60%), of orders
// (20%) and of conversion (20%).
constexpr const char* kProductPerformance = R"SQL(
WITH sales AS (
    SELECT product_id, count(DISTINCT transaction_id) AS orders, sum(quantity) AS quantity,
           sum(total_amount) AS revenue, round(avg(unit_price), 2) AS avg_price
    FROM fact_sales WHERE transaction_timestamp < ($1::date + 1)::timestamptz
    GROUP BY product_id
),
views AS (
    SELECT product_id, count(*) AS views FROM fact_product_views
    WHERE event_type = 'view' AND product_id IS NOT NULL
      AND event_timestamp < ($1::date + 1)::timestamptz
    GROUP BY product_id
),
adds AS (
    SELECT product_id, count(*) AS adds FROM fact_cart_events
    WHERE event_type = 'add_to_cart' AND product_id IS NOT NULL
      AND event_timestamp < ($1::date + 1)::timestamptz
    GROUP BY product_id
),
products AS (
    SELECT product_id FROM sales UNION SELECT product_id FROM views
    UNION SELECT product_id FROM adds
),
base AS (
    SELECT p.product_id, d.product_name, d.category,
           coalesce(s.orders, 0) AS total_sales, coalesce(s.quantity, 0) AS total_quantity,
           coalesce(s.revenue, 0) AS total_revenue, s.avg_price,
           coalesce(v.views, 0) AS total_views, coalesce(a.adds, 0) AS cart_adds,
           CASE WHEN v.views > 0 THEN round(100.0 * coalesce(s.orders, 0) / v.views, 2) END
               AS conversion_rate,
           CASE WHEN a.adds > 0
                THEN round(100.0 * greatest(a.adds - coalesce(s.orders, 0), 0) / a.adds, 2) END
               AS cart_abandonment_rate
    FROM products p
    LEFT JOIN sales s USING (product_id)
    LEFT JOIN views v USING (product_id)
    LEFT JOIN adds a USING (product_id)
    LEFT JOIN dim_products d ON d.product_id = p.product_id
        AND d.effective_start_date < ($1::date + 1)::timestamptz
        AND d.effective_end_date >= ($1::date + 1)::timestamptz
),
ranked AS (
    SELECT b.*,
           dense_rank() OVER (PARTITION BY category ORDER BY total_revenue DESC)
               AS category_rank,
           dense_rank() OVER (ORDER BY total_revenue DESC) AS overall_rank,
           round((100 * (0.6 * percent_rank() OVER (ORDER BY total_revenue)
                         + 0.2 * percent_rank() OVER (ORDER BY total_sales)
                         + 0.2 * percent_rank() OVER (ORDER BY coalesce(conversion_rate, 0))
                        ))::numeric, 2) AS performance_score
    FROM base b
)
INSERT INTO product_performance (product_id, analysis_date, product_name, category, total_sales,
                                 total_quantity, total_revenue, avg_price, total_views,
                                 cart_adds, conversion_rate, cart_abandonment_rate,
                                 category_rank, overall_rank, performance_score,
                                 performance_tier)
SELECT product_id, $1::date, product_name, category, total_sales, total_quantity, total_revenue,
       avg_price, total_views, cart_adds, conversion_rate, cart_abandonment_rate, category_rank,
       overall_rank, performance_score,
       CASE WHEN overall_rank <= 10 THEN 'Top Seller'
            WHEN overall_rank <= 50 THEN 'High Performer'
            WHEN overall_rank <= 200 THEN 'Moderate'
            ELSE 'Low Performer' END
FROM ranked
)SQL";

// Every period of each type up to the analysis date, per category (a line's category is that of
// the product version it points at; unknown ones count as 'Unknown') and for all categories
// together (category NULL). The text keys are grouped and counted bytewise (COLLATE "C": the
// same groups, equality does not depend on the collation), which spares the 3.4M-row sort the
// locale's comparisons: 9.1 -> 8.1 s on the 90-day benchmark (BENCHMARKS.md). Growth compares
// revenue with the calendar period just before: a period without sales has no row, i.e. revenue 0,
// so the next period's growth is NULL.
constexpr const char* kSalesTrends = R"SQL(
WITH lines AS (
    SELECT f.transaction_id, f.user_id COLLATE "C" AS user_id, f.quantity, f.total_amount,
           f.transaction_timestamp::date AS day,
           coalesce(d.category, 'Unknown') COLLATE "C" AS category
    FROM fact_sales f
    LEFT JOIN dim_products d ON d.product_id_pk = f.product_id_pk
    WHERE f.transaction_timestamp < ($1::date + 1)::timestamptz
),
periods AS (
    SELECT t.period_type, l.*,
           CASE t.period_type
               WHEN 'daily' THEN l.day
               WHEN 'weekly' THEN date_trunc('week', l.day)::date
               WHEN 'monthly' THEN date_trunc('month', l.day)::date
               ELSE date_trunc('quarter', l.day)::date
           END AS period_start
    FROM lines l
    CROSS JOIN (VALUES ('daily'), ('weekly'), ('monthly'), ('quarterly')) AS t(period_type)
),
totals AS (
    SELECT period_type, period_start,
           CASE WHEN grouping(category) = 0 THEN category END AS category,
           count(DISTINCT transaction_id) AS total_sales, sum(total_amount) AS total_revenue,
           sum(quantity) AS total_quantity, count(DISTINCT user_id) AS unique_customers
    FROM periods
    GROUP BY GROUPING SETS ((period_type, period_start, category), (period_type, period_start))
)
INSERT INTO sales_trends (analysis_date, period_type, period_value, period_start, category,
                          total_sales, total_revenue, total_quantity, unique_customers,
                          avg_order_value, growth_rate)
SELECT $1::date, c.period_type,
       CASE c.period_type
           WHEN 'daily' THEN to_char(c.period_start, 'YYYY-MM-DD')
           WHEN 'weekly' THEN to_char(c.period_start, 'IYYY-"W"IW')
           WHEN 'monthly' THEN to_char(c.period_start, 'YYYY-MM')
           ELSE to_char(c.period_start, 'YYYY-"Q"Q')
       END,
       c.period_start, c.category, c.total_sales, c.total_revenue, c.total_quantity,
       c.unique_customers, round(c.total_revenue / c.total_sales, 2),
       CASE WHEN p.total_revenue > 0
            THEN round(100 * (c.total_revenue - p.total_revenue) / p.total_revenue, 2) END
FROM totals c
LEFT JOIN totals p
    ON p.period_type = c.period_type
   AND p.category IS NOT DISTINCT FROM c.category
   AND p.period_start = CASE c.period_type
                            WHEN 'daily' THEN c.period_start - 1
                            WHEN 'weekly' THEN c.period_start - 7
                            WHEN 'monthly' THEN (c.period_start - interval '1 month')::date
                            ELSE (c.period_start - interval '3 months')::date
                        END
)SQL";

constexpr const char* kSalesByRegion = R"SQL(
INSERT INTO sales_by_region (analysis_date, sale_date, country, region, continent, total_sales,
                             total_revenue, unique_customers, avg_order_value)
SELECT $1::date, f.transaction_timestamp::date, g.country, g.region, g.continent,
       count(DISTINCT f.transaction_id), sum(f.total_amount), count(DISTINCT f.user_id),
       round(sum(f.total_amount) / count(DISTINCT f.transaction_id), 2)
FROM fact_sales f
JOIN dim_geography g USING (geography_id)
WHERE f.transaction_timestamp < ($1::date + 1)::timestamptz
GROUP BY 2, 3, 4, 5
)SQL";

std::int64_t replaceDate(pqxx::transaction_base& txn, const char* table, const char* insert,
                         const std::string& analysis_date) {
    txn.exec_params(std::string("DELETE FROM ") + table + " WHERE analysis_date = $1::date",
                    analysis_date);
    return static_cast<std::int64_t>(txn.exec_params(insert, analysis_date).affected_rows());
}

} // namespace

std::int64_t runProductPerformance(pqxx::transaction_base& txn, const std::string& analysis_date) {
    return replaceDate(txn, "product_performance", kProductPerformance, analysis_date);
}

std::int64_t runSalesTrends(pqxx::transaction_base& txn, const std::string& analysis_date) {
    return replaceDate(txn, "sales_trends", kSalesTrends, analysis_date);
}

std::int64_t runSalesByRegion(pqxx::transaction_base& txn, const std::string& analysis_date) {
    return replaceDate(txn, "sales_by_region", kSalesByRegion, analysis_date);
}

const std::vector<BatchJob>& batchJobs() {
    static const std::vector<BatchJob> kJobs = {
        {"rfm_analysis", runRfmAnalysis},
        {"customer_segments", runCustomerSegments},
        {"product_performance", runProductPerformance},
        {"sales_trends", runSalesTrends},
        {"sales_by_region", runSalesByRegion},
        {"cohort_retention", runCohortRetention},
    };
    return kJobs;
}

} // namespace gm::warehouse
