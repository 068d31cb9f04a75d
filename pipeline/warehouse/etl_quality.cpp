// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/warehouse/etl_quality.h"

#include <pqxx/pqxx>

namespace gm::warehouse {
namespace {

// One pass per fact: the raw rows of the step's range (selected as the step selects them),
// each joined to the fact rows under its key (none, one, or more if the key were duplicated),
// whose dimension keys are looked up; then one row per key, then one summary row:
//   raw_keys      distinct keys among the raw rows            row_count expected
//   present_keys  those with at least one fact row            row_count actual
//   duplicates    fact rows found beyond one per present key  duplicate_keys
//   null_keys     fact rows with a dimension key unset        null_keys
//   orphan_keys   fact rows pointing at no dimension row      orphan_keys
//   missing_dates the date_ids of fact rows not in dim_date   missing_dates (distinct)
// The checks used to read a temp table of every raw row once per check, with a sort for each
// count(DISTINCT): 60 s after a 10M-event full load (BENCHMARKS.md). Grouping by key once gives
// the same counts. Nested loops on the facts' primary keys keep an incremental check
// proportional to the load.
struct FactCheck {
    std::string temp;    // the summary table
    std::string raw;     // FROM ... WHERE: the raw rows of the range, as r
    std::string key;     // the key's columns (of r)
    std::string join;    // ON condition of the fact f to r
    std::string found;   // a NOT NULL column of f: set when a fact row was found
    std::string fact;    // the fact table
    std::string nulls;   // the fact row has a dimension key unset
    std::string orphans; // the fact row points at no dimension row
};

std::string summarySql(const FactCheck& check) {
    return "CREATE TEMP TABLE " + check.temp +
           " ON COMMIT DROP AS SELECT count(*) AS raw_keys, count(*) FILTER (WHERE copies > 0) "
           "AS present_keys, coalesce(sum(copies), 0) - count(*) FILTER (WHERE copies > 0) AS "
           "duplicates, coalesce(sum(nulls), 0) AS null_keys, coalesce(sum(orphans), 0) AS "
           "orphan_keys, string_to_array(string_agg(missing, ','), ',')::integer[] AS "
           "missing_dates FROM (SELECT count(found) AS copies, count(*) FILTER (WHERE found IS "
           "NOT NULL AND unset) AS nulls, count(*) FILTER (WHERE orphan) AS orphans, "
           "string_agg(missing_date::text, ',') AS missing FROM (SELECT r.*, " +
           check.found + " AS found, " + check.nulls + " AS unset, " + check.orphans +
           " AS orphan, CASE WHEN f.date_id NOT IN (SELECT date_id FROM dim_date) THEN f.date_id "
           "END AS missing_date FROM " +
           check.raw + " LEFT JOIN " + check.fact + " f ON " + check.join + ") x GROUP BY " +
           check.key + ") k";
}

// NOT IN (the dimension keys are NOT NULL) runs as hashed subplans: a lookup per fact row,
// cheaper than joining each dimension (which an increment's one-row estimate made nested loops).
const std::string kOrphanedEvent =
    "(f.product_id_pk IS NOT NULL AND f.product_id_pk NOT IN (SELECT product_id_pk FROM "
    "dim_products)) OR (f.customer_id IS NOT NULL AND f.customer_id NOT IN (SELECT customer_id "
    "FROM dim_customers)) OR (f.date_id IS NOT NULL AND f.date_id NOT IN (SELECT date_id FROM "
    "dim_date))";

// An order's header and lines, taken as fact_sales takes them (etl_facts.cpp).
const std::string kRawSales =
    "(WITH orders AS (SELECT transaction_id FROM transactions WHERE " + rangePredicate() +
    " UNION SELECT transaction_id FROM transaction_items WHERE " + rangePredicate() +
    ") SELECT i.transaction_id, i.product_id FROM orders o JOIN transactions t ON "
    "t.transaction_id = o.transaction_id AND " +
    currentPredicate("t.") +
    " JOIN transaction_items i ON i.transaction_id = o.transaction_id AND " +
    currentPredicate("i.") + ") r";

const FactCheck kSales{
    "wh_quality_sales",
    kRawSales,
    "transaction_id, product_id",
    "f.transaction_id = r.transaction_id AND f.product_id = r.product_id",
    "f.transaction_id",
    "fact_sales",
    "(f.product_id_pk IS NULL OR f.customer_id IS NULL OR f.date_id IS NULL OR f.geography_id "
    "IS NULL)",
    "(" + kOrphanedEvent +
        " OR (f.geography_id IS NOT NULL AND f.geography_id NOT IN (SELECT geography_id FROM "
        "dim_geography)))"};

FactCheck eventCheck(const std::string& temp, const std::string& raw, const std::string& fact) {
    return {temp,
            raw + " r",
            "event_id",
            "f.event_id = r.event_id",
            "f.event_id",
            fact,
            "(f.customer_id IS NULL OR f.date_id IS NULL OR f.geography_id IS NULL OR "
            "(f.product_id IS NOT NULL AND f.product_id_pk IS NULL))",
            "(" + kOrphanedEvent + ")"};
}

std::string rawEvents(const std::string& table) {
    return "(SELECT event_id FROM " + table + " e WHERE " + rangePredicate("e.") + ")";
}

// Each check is (check_name, table_name, expected, actual); passed = expected equals actual.
constexpr const char* kChecks = R"SQL(
WITH facts AS (
    SELECT 'fact_sales' AS table_name, * FROM wh_quality_sales
    UNION ALL
    SELECT 'fact_cart_events', * FROM wh_quality_carts
    UNION ALL
    SELECT 'fact_product_views', * FROM wh_quality_views
),
checks (check_name, table_name, expected, actual) AS (
    SELECT 'row_count', table_name, raw_keys::numeric, present_keys::numeric FROM facts
    UNION ALL
    SELECT 'null_keys', table_name, 0, null_keys::numeric FROM facts
    UNION ALL
    SELECT 'orphan_keys', table_name, 0, orphan_keys::numeric FROM facts
    UNION ALL
    SELECT 'duplicate_keys', table_name, 0, duplicates::numeric FROM facts
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
           (SELECT count(DISTINCT date_id) FROM facts, unnest(missing_dates) AS date_id)
)
INSERT INTO etl_quality (run_id, check_name, table_name, expected, actual, passed)
SELECT $1, check_name, table_name, expected, actual, expected = actual FROM checks
RETURNING check_name, table_name, expected::text, actual::text, passed
)SQL";

} // namespace

std::vector<QualityCheck> runQualityChecks(pqxx::transaction_base& txn, std::int64_t run_id,
                                           const FactRanges& ranges) {
    txn.exec("DROP TABLE IF EXISTS wh_quality_sales, wh_quality_carts, wh_quality_views");
    // A full load groups millions of keys: in memory rather than in sorted runs on disk.
    txn.exec("SET LOCAL work_mem = '256MB'");
    execInRange(txn, summarySql(kSales), ranges.sales);
    execInRange(
        txn,
        summarySql(eventCheck("wh_quality_carts", rawEvents("cart_events"), "fact_cart_events")),
        ranges.cart_events);
    execInRange(txn,
                summarySql(eventCheck("wh_quality_views", rawEvents("product_view_events"),
                                      "fact_product_views")),
                ranges.product_views);
    std::vector<QualityCheck> checks;
    for (const auto& row : txn.exec_params(kChecks, run_id)) {
        checks.push_back({row[0].as<std::string>(), row[1].as<std::string>(),
                          row[2].as<std::string>(), row[3].as<std::string>(), row[4].as<bool>()});
    }
    return checks;
}

} // namespace gm::warehouse
