// SPDX-License-Identifier: GPL-3.0-or-later
// The fact load steps: one INSERT ... SELECT each, joining the raw rows of the load range
// (etl_steps.h) to the dimension versions valid at the event's time (validity ranges
// are half-open). ON CONFLICT DO NOTHING on the fact's natural key makes a repeated range
// harmless.
#include "pipeline/warehouse/etl_steps.h"

#include <pqxx/pqxx>

namespace gm::warehouse {
namespace {

// An order's header and its lines may reach the raw tables in different database
// transactions: an order is taken when either part is in the range and both are below its end.
const std::string kFactSales = R"SQL(
WITH orders AS (
    SELECT transaction_id FROM transactions WHERE )SQL" +
                               rangePredicate() + R"SQL(
    UNION
    SELECT transaction_id FROM transaction_items WHERE )SQL" +
                               rangePredicate() + R"SQL(
)
INSERT INTO fact_sales (transaction_id, product_id, product_id_pk, customer_id, user_id, date_id,
                        geography_id, payment_method, transaction_timestamp, quantity,
                        unit_price, total_amount, order_total)
SELECT i.transaction_id, i.product_id, p.product_id_pk, c.customer_id, t.user_id,
       to_char(t."timestamp", 'YYYYMMDD')::integer, g.geography_id, t.payment_method,
       t."timestamp", i.quantity, i.unit_price, i.quantity * i.unit_price, t.total_amount
FROM orders o
JOIN transactions t ON t.transaction_id = o.transaction_id AND )SQL" +
                               currentPredicate("t.") + R"SQL(
JOIN transaction_items i ON i.transaction_id = o.transaction_id AND )SQL" +
                               currentPredicate("i.") + R"SQL(
LEFT JOIN dim_products p ON p.product_id = i.product_id
    AND t."timestamp" >= p.effective_start_date AND t."timestamp" < p.effective_end_date
LEFT JOIN dim_customers c ON c.user_id = t.user_id
    AND t."timestamp" >= c.effective_start_date AND t."timestamp" < c.effective_end_date
LEFT JOIN dim_geography g ON g.country = t.country AND g.is_current
ON CONFLICT (transaction_id, product_id) DO NOTHING
)SQL";

const std::string kFactCartEvents = R"SQL(
INSERT INTO fact_cart_events (event_id, event_type, event_timestamp, session_id, user_id,
                              customer_id, product_id, product_id_pk, date_id, geography_id,
                              quantity, price, cart_value)
SELECT e.event_id, e.event_type, e."timestamp", e.session_id, e.user_id, c.customer_id,
       e.product_id, p.product_id_pk, to_char(e."timestamp", 'YYYYMMDD')::integer,
       g.geography_id, coalesce(e.quantity, e.new_quantity, e.total_items), e.price,
       coalesce(e.cart_value, e.total_value)
FROM cart_events e
LEFT JOIN dim_products p ON p.product_id = e.product_id
    AND e."timestamp" >= p.effective_start_date AND e."timestamp" < p.effective_end_date
LEFT JOIN dim_customers c ON c.user_id = e.user_id
    AND e."timestamp" >= c.effective_start_date AND e."timestamp" < c.effective_end_date
LEFT JOIN dim_geography g ON g.country = e.country AND g.is_current
WHERE )SQL" + rangePredicate("e.") + R"SQL(
ON CONFLICT (event_id) DO NOTHING
)SQL";

const std::string kFactProductViews = R"SQL(
INSERT INTO fact_product_views (event_id, event_type, event_timestamp, session_id, user_id,
                                customer_id, product_id, product_id_pk, date_id, geography_id,
                                view_duration, from_search, search_query)
SELECT e.event_id, e.event_type, e."timestamp", e.session_id, e.user_id, c.customer_id,
       e.product_id, p.product_id_pk, to_char(e."timestamp", 'YYYYMMDD')::integer,
       g.geography_id, e.view_duration, e.from_search, e.search_query
FROM product_view_events e
LEFT JOIN dim_products p ON p.product_id = e.product_id
    AND e."timestamp" >= p.effective_start_date AND e."timestamp" < p.effective_end_date
LEFT JOIN dim_customers c ON c.user_id = e.user_id
    AND e."timestamp" >= c.effective_start_date AND e."timestamp" < c.effective_end_date
LEFT JOIN dim_geography g ON g.country = e.country AND g.is_current
WHERE )SQL" + rangePredicate("e.") + R"SQL(
ON CONFLICT (event_id) DO NOTHING
)SQL";

StepCounts insertFacts(pqxx::transaction_base& txn, const std::string& sql,
                       const LoadRange& range) {
    const auto rows = static_cast<std::int64_t>(execInRange(txn, sql, range).affected_rows());
    return {rows, rows};
}

// The planner cannot estimate the load range's snapshot test (pg_visible_in_snapshot has no
// selectivity), so it expects about one row and, for an incremental load of tens of thousands of
// events, joined each one to a sequential scan of dim_products: 60,564 views took 25 s, 60.5M
// comparisons. Hash joins on the dimensions are right for any load size (dimensions are small
// next to an event stream), so nested loops are off for the event facts' statements. Not for
// fact_sales: there a nested loop on the raw tables' keys is what keeps a small load from
// scanning every order.
void preferHashJoins(pqxx::transaction_base& txn) {
    txn.exec("SET LOCAL enable_nestloop = off");
}

} // namespace

StepCounts loadFactSales(pqxx::transaction_base& txn, const LoadRange& range) {
    return insertFacts(txn, kFactSales, range);
}

StepCounts loadFactCartEvents(pqxx::transaction_base& txn, const LoadRange& range) {
    preferHashJoins(txn);
    return insertFacts(txn, kFactCartEvents, range);
}

StepCounts loadFactProductViews(pqxx::transaction_base& txn, const LoadRange& range) {
    preferHashJoins(txn);
    return insertFacts(txn, kFactProductViews, range);
}

} // namespace gm::warehouse
