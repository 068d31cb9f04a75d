// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/warehouse/etl_quality.h"

#include <pqxx/pqxx>

namespace gm::warehouse {
namespace {

// Each fact step's raw rows of the range (selected as the step selects them), each with the fact
// rows found under its key: none (present = false), one, or more if the key were duplicated.
// Nested loops on the facts' primary keys keep an incremental check proportional to the load.
const std::string kLoadedSales = R"SQL(
CREATE TEMP TABLE wh_quality_sales ON COMMIT DROP AS
WITH orders AS (
    SELECT transaction_id FROM transactions WHERE )SQL" +
                                 rangePredicate() +
                                 R"SQL(
    UNION
    SELECT transaction_id FROM transaction_items WHERE )SQL" +
                                 rangePredicate() + R"SQL(
),
raw AS (
    SELECT i.transaction_id, i.product_id
    FROM orders o
    JOIN transactions t ON t.transaction_id = o.transaction_id AND )SQL" +
                                 currentPredicate("t.") + R"SQL(
    JOIN transaction_items i ON i.transaction_id = o.transaction_id AND )SQL" +
                                 currentPredicate("i.") + R"SQL(
)
SELECT r.transaction_id, r.product_id, f.transaction_id IS NOT NULL AS present, f.product_id_pk,
       f.customer_id, f.date_id, f.geography_id
FROM raw r LEFT JOIN fact_sales f ON f.transaction_id = r.transaction_id
                                 AND f.product_id = r.product_id
)SQL";

std::string loadedEvents(const std::string& temp, const std::string& raw, const std::string& fact) {
    return "CREATE TEMP TABLE " + temp + " ON COMMIT DROP AS SELECT e.event_id, f.event_id IS " +
           "NOT NULL AS present, f.product_id, f.product_id_pk, f.customer_id, f.date_id, " +
           "f.geography_id FROM " + raw + " e LEFT JOIN " + fact +
           " f ON f.event_id = e.event_id WHERE " + rangePredicate("e.");
}

// Each check is (check_name, table_name, expected, actual); passed = expected equals actual.
constexpr const char* kChecks = R"SQL(
WITH checks (check_name, table_name, expected, actual) AS (
    SELECT 'row_count', 'fact_sales',
           (SELECT count(DISTINCT (transaction_id, product_id)) FROM wh_quality_sales)::numeric,
           (SELECT count(DISTINCT (transaction_id, product_id)) FROM wh_quality_sales
            WHERE present)::numeric
    UNION ALL
    SELECT 'row_count', 'fact_cart_events',
           (SELECT count(DISTINCT event_id) FROM wh_quality_carts)::numeric,
           (SELECT count(DISTINCT event_id) FROM wh_quality_carts WHERE present)::numeric
    UNION ALL
    SELECT 'row_count', 'fact_product_views',
           (SELECT count(DISTINCT event_id) FROM wh_quality_views)::numeric,
           (SELECT count(DISTINCT event_id) FROM wh_quality_views WHERE present)::numeric
    UNION ALL
    SELECT 'null_keys', 'fact_sales', 0,
           (SELECT count(*) FROM wh_quality_sales WHERE present AND (product_id_pk IS NULL
                OR customer_id IS NULL OR date_id IS NULL OR geography_id IS NULL))
    UNION ALL
    SELECT 'null_keys', 'fact_cart_events', 0,
           (SELECT count(*) FROM wh_quality_carts WHERE present AND (customer_id IS NULL
                OR date_id IS NULL OR geography_id IS NULL
                OR (product_id IS NOT NULL AND product_id_pk IS NULL)))
    UNION ALL
    SELECT 'null_keys', 'fact_product_views', 0,
           (SELECT count(*) FROM wh_quality_views WHERE present AND (customer_id IS NULL
                OR date_id IS NULL OR geography_id IS NULL
                OR (product_id IS NOT NULL AND product_id_pk IS NULL)))
    UNION ALL
    SELECT 'orphan_keys', 'fact_sales', 0,
           (SELECT count(*) FROM wh_quality_sales f
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
           (SELECT count(*) FROM wh_quality_carts f
            LEFT JOIN dim_products p ON p.product_id_pk = f.product_id_pk
            LEFT JOIN dim_customers c ON c.customer_id = f.customer_id
            LEFT JOIN dim_date d ON d.date_id = f.date_id
            WHERE (f.product_id_pk IS NOT NULL AND p.product_id_pk IS NULL)
               OR (f.customer_id IS NOT NULL AND c.customer_id IS NULL)
               OR (f.date_id IS NOT NULL AND d.date_id IS NULL))
    UNION ALL
    SELECT 'orphan_keys', 'fact_product_views', 0,
           (SELECT count(*) FROM wh_quality_views f
            LEFT JOIN dim_products p ON p.product_id_pk = f.product_id_pk
            LEFT JOIN dim_customers c ON c.customer_id = f.customer_id
            LEFT JOIN dim_date d ON d.date_id = f.date_id
            WHERE (f.product_id_pk IS NOT NULL AND p.product_id_pk IS NULL)
               OR (f.customer_id IS NOT NULL AND c.customer_id IS NULL)
               OR (f.date_id IS NOT NULL AND d.date_id IS NULL))
    UNION ALL
    SELECT 'duplicate_keys', 'fact_sales', 0,
           (SELECT count(*) - count(DISTINCT (transaction_id, product_id)) FROM wh_quality_sales
            WHERE present)
    UNION ALL
    SELECT 'duplicate_keys', 'fact_cart_events', 0,
           (SELECT count(*) - count(DISTINCT event_id) FROM wh_quality_carts WHERE present)
    UNION ALL
    SELECT 'duplicate_keys', 'fact_product_views', 0,
           (SELECT count(*) - count(DISTINCT event_id) FROM wh_quality_views WHERE present)
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
           (SELECT count(*) FROM (SELECT date_id FROM wh_quality_sales UNION SELECT date_id
                                  FROM wh_quality_carts UNION SELECT date_id
                                  FROM wh_quality_views) f
            LEFT JOIN dim_date d USING (date_id)
            WHERE f.date_id IS NOT NULL AND d.date_id IS NULL)
)
INSERT INTO etl_quality (run_id, check_name, table_name, expected, actual, passed)
SELECT $1, check_name, table_name, expected, actual, expected = actual FROM checks
RETURNING check_name, table_name, expected::text, actual::text, passed
)SQL";

} // namespace

std::vector<QualityCheck> runQualityChecks(pqxx::transaction_base& txn, std::int64_t run_id,
                                           const FactRanges& ranges) {
    txn.exec("DROP TABLE IF EXISTS wh_quality_sales, wh_quality_carts, wh_quality_views");
    execInRange(txn, kLoadedSales, ranges.sales);
    execInRange(txn, loadedEvents("wh_quality_carts", "cart_events", "fact_cart_events"),
                ranges.cart_events);
    execInRange(txn, loadedEvents("wh_quality_views", "product_view_events", "fact_product_views"),
                ranges.product_views);
    std::vector<QualityCheck> checks;
    for (const auto& row : txn.exec_params(kChecks, run_id)) {
        checks.push_back({row[0].as<std::string>(), row[1].as<std::string>(),
                          row[2].as<std::string>(), row[3].as<std::string>(), row[4].as<bool>()});
    }
    return checks;
}

} // namespace gm::warehouse
