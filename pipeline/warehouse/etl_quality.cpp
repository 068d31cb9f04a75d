// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/warehouse/etl_quality.h"

#include <pqxx/pqxx>

namespace gm::warehouse {
namespace {

// Each check is (check_name, table_name, expected, actual); passed = expected equals actual.
constexpr const char* kChecks = R"SQL(
WITH marks AS (
    SELECT job, high_water_snapshot::pg_snapshot AS snap,
           pg_snapshot_xmin(high_water_snapshot::pg_snapshot)::text::bigint AS lo,
           pg_snapshot_xmax(high_water_snapshot::pg_snapshot)::text::bigint AS hi
    FROM etl_state
),
sales AS (SELECT * FROM marks WHERE job = 'fact_sales'),
carts AS (SELECT * FROM marks WHERE job = 'fact_cart_events'),
views AS (SELECT * FROM marks WHERE job = 'fact_product_views'),
checks (check_name, table_name, expected, actual) AS (
    SELECT 'row_count', 'fact_sales',
           (SELECT count(*) FROM transaction_items i JOIN transactions t USING (transaction_id), sales m
            WHERE (i.ingest_xid < m.lo OR (i.ingest_xid < m.hi
                   AND pg_visible_in_snapshot(i.ingest_xid::text::xid8, m.snap)))
              AND (t.ingest_xid < m.lo OR (t.ingest_xid < m.hi
                   AND pg_visible_in_snapshot(t.ingest_xid::text::xid8, m.snap))))::numeric,
           (SELECT count(*) FROM fact_sales)::numeric
    UNION ALL
    SELECT 'row_count', 'fact_cart_events',
           (SELECT count(*) FROM cart_events, carts m
            WHERE ingest_xid < m.lo OR (ingest_xid < m.hi
                  AND pg_visible_in_snapshot(ingest_xid::text::xid8, m.snap)))::numeric,
           (SELECT count(*) FROM fact_cart_events)::numeric
    UNION ALL
    SELECT 'row_count', 'fact_product_views',
           (SELECT count(*) FROM product_view_events, views m
            WHERE ingest_xid < m.lo OR (ingest_xid < m.hi
                  AND pg_visible_in_snapshot(ingest_xid::text::xid8, m.snap)))::numeric,
           (SELECT count(*) FROM fact_product_views)::numeric
    UNION ALL
    SELECT 'null_keys', 'fact_sales', 0,
           (SELECT count(*) FROM fact_sales WHERE product_id_pk IS NULL OR customer_id IS NULL
                OR date_id IS NULL OR geography_id IS NULL)
    UNION ALL
    SELECT 'null_keys', 'fact_cart_events', 0,
           (SELECT count(*) FROM fact_cart_events WHERE customer_id IS NULL OR date_id IS NULL
                OR geography_id IS NULL OR (product_id IS NOT NULL AND product_id_pk IS NULL))
    UNION ALL
    SELECT 'null_keys', 'fact_product_views', 0,
           (SELECT count(*) FROM fact_product_views WHERE customer_id IS NULL OR date_id IS NULL
                OR geography_id IS NULL OR (product_id IS NOT NULL AND product_id_pk IS NULL))
    UNION ALL
    SELECT 'orphan_keys', 'fact_sales', 0,
           (SELECT count(*) FROM fact_sales f
            LEFT JOIN dim_products p ON p.product_id_pk = f.product_id_pk
            LEFT JOIN dim_customers c ON c.customer_id = f.customer_id
            LEFT JOIN dim_date d ON d.date_id = f.date_id
            LEFT JOIN dim_geography g ON g.geography_id = f.geography_id
            WHERE (f.product_id_pk IS NOT NULL AND p.product_id_pk IS NULL)
               OR (f.customer_id IS NOT NULL AND c.customer_id IS NULL)
               OR (f.date_id IS NOT NULL AND d.date_id IS NULL)
               OR (f.geography_id IS NOT NULL AND g.geography_id IS NULL))
    UNION ALL
    SELECT 'orphan_keys', 'fact_cart_events', 0,
           (SELECT count(*) FROM fact_cart_events f
            LEFT JOIN dim_products p ON p.product_id_pk = f.product_id_pk
            LEFT JOIN dim_customers c ON c.customer_id = f.customer_id
            LEFT JOIN dim_date d ON d.date_id = f.date_id
            WHERE (f.product_id_pk IS NOT NULL AND p.product_id_pk IS NULL)
               OR (f.customer_id IS NOT NULL AND c.customer_id IS NULL)
               OR (f.date_id IS NOT NULL AND d.date_id IS NULL))
    UNION ALL
    SELECT 'orphan_keys', 'fact_product_views', 0,
           (SELECT count(*) FROM fact_product_views f
            LEFT JOIN dim_products p ON p.product_id_pk = f.product_id_pk
            LEFT JOIN dim_customers c ON c.customer_id = f.customer_id
            LEFT JOIN dim_date d ON d.date_id = f.date_id
            WHERE (f.product_id_pk IS NOT NULL AND p.product_id_pk IS NULL)
               OR (f.customer_id IS NOT NULL AND c.customer_id IS NULL)
               OR (f.date_id IS NOT NULL AND d.date_id IS NULL))
    UNION ALL
    SELECT 'duplicate_keys', 'fact_sales', 0,
           (SELECT count(*) FROM (SELECT 1 FROM fact_sales GROUP BY transaction_id, product_id
                                  HAVING count(*) > 1) x)
    UNION ALL
    SELECT 'duplicate_keys', 'fact_cart_events', 0,
           (SELECT count(*) FROM (SELECT 1 FROM fact_cart_events GROUP BY event_id
                                  HAVING count(*) > 1) x)
    UNION ALL
    SELECT 'duplicate_keys', 'fact_product_views', 0,
           (SELECT count(*) FROM (SELECT 1 FROM fact_product_views GROUP BY event_id
                                  HAVING count(*) > 1) x)
    UNION ALL
    SELECT 'duplicate_current_versions', 'dim_products', 0,
           (SELECT count(*) FROM (SELECT product_id FROM dim_products GROUP BY product_id
                                  HAVING count(*) FILTER (WHERE is_current) <> 1) x)
    UNION ALL
    SELECT 'duplicate_current_versions', 'dim_customers', 0,
           (SELECT count(*) FROM (SELECT user_id FROM dim_customers GROUP BY user_id
                                  HAVING count(*) FILTER (WHERE is_current) <> 1) x)
    UNION ALL
    SELECT 'scd_overlap_or_gap', 'dim_products', 0,
           (SELECT count(*) FROM (
                SELECT effective_end_date, effective_start_date,
                       lead(effective_start_date) OVER w AS next_start,
                       row_number() OVER w AS n
                FROM dim_products WINDOW w AS (PARTITION BY product_id
                                               ORDER BY effective_start_date)) v
            WHERE effective_end_date <> coalesce(next_start, '9999-12-31 00:00:00+00')
               OR effective_end_date <= effective_start_date
               OR (n = 1 AND effective_start_date <> '1970-01-01 00:00:00+00'))
    UNION ALL
    SELECT 'scd_overlap_or_gap', 'dim_customers', 0,
           (SELECT count(*) FROM (
                SELECT effective_end_date, effective_start_date,
                       lead(effective_start_date) OVER w AS next_start,
                       row_number() OVER w AS n
                FROM dim_customers WINDOW w AS (PARTITION BY user_id
                                                ORDER BY effective_start_date)) v
            WHERE effective_end_date <> coalesce(next_start, '9999-12-31 00:00:00+00')
               OR effective_end_date <= effective_start_date
               OR (n = 1 AND effective_start_date <> '1970-01-01 00:00:00+00'))
    UNION ALL
    SELECT 'missing_dates', 'dim_date', 0,
           (SELECT count(*) FROM (SELECT DISTINCT date_id FROM fact_sales UNION SELECT DISTINCT
                                  date_id FROM fact_cart_events UNION SELECT DISTINCT date_id
                                  FROM fact_product_views) f
            LEFT JOIN dim_date d USING (date_id) WHERE d.date_id IS NULL)
)
INSERT INTO etl_quality (run_id, check_name, table_name, expected, actual, passed)
SELECT $1, check_name, table_name, expected, actual, expected = actual FROM checks
RETURNING check_name, table_name, expected::text, actual::text, passed
)SQL";

} // namespace

std::vector<QualityCheck> runQualityChecks(pqxx::transaction_base& txn, std::int64_t run_id) {
    std::vector<QualityCheck> checks;
    for (const auto& row : txn.exec_params(kChecks, run_id)) {
        checks.push_back({row[0].as<std::string>(), row[1].as<std::string>(),
                          row[2].as<std::string>(), row[3].as<std::string>(), row[4].as<bool>()});
    }
    return checks;
}

} // namespace gm::warehouse
