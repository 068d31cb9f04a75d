// SPDX-License-Identifier: GPL-3.0-or-later
// The fact load steps: one INSERT ... SELECT each, joining the raw rows of the load range
// (etl_steps.h) to the dimension versions valid at the event's time (validity ranges
// are half-open). ON CONFLICT DO NOTHING on fact_sales' natural key makes an order taken
// again harmless; the raw keys and the load marks keep an event from coming twice. A fact table
// that is empty when its step starts (the first load, --full-reload) is loaded without its indexes,
// which are built again at the end of the step's transaction.
#include "pipeline/warehouse/etl_steps.h"

#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <vector>

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
WHERE )SQL" + rangePredicate("e.");

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
WHERE )SQL" + rangePredicate("e.");

struct FactStatement {
    std::string_view table;
    const std::string& insert_select;
    std::string_view key; // the natural key
    // Whether a load can take rows already loaded: an order is taken again with all its lines
    // when a line arrives in a later load than its header. Those rows are skipped
    // (ON CONFLICT DO NOTHING on the key).
    bool retakes_rows;
};

// The statements that drop the table's indexes (unique and primary-key constraints by
// ALTER TABLE, the others by DROP INDEX) and those that create them again, exactly as they were
// (names, columns, options), from the catalog: whatever the migrations define is rebuilt.
struct TableIndexes {
    std::vector<std::string> drop;
    std::vector<std::string> create;
};

TableIndexes indexesOf(pqxx::transaction_base& txn, std::string_view table) {
    TableIndexes indexes;
    const auto rows = txn.exec_params(R"SQL(
SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
       format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
              pg_get_constraintdef(c.oid))
FROM pg_constraint c
WHERE c.conrelid = $1::regclass AND c.contype IN ('p', 'u', 'x')
UNION ALL
SELECT format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid)
FROM pg_index i
WHERE i.indrelid = $1::regclass
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = i.indrelid
                                                   AND c.conindid = i.indexrelid
                                                   AND c.contype IN ('p', 'u', 'x'))
)SQL",
                                      std::string(table));
    for (const auto& row : rows) {
        indexes.drop.push_back(row[0].as<std::string>());
        indexes.create.push_back(row[1].as<std::string>());
    }
    return indexes;
}

// Into an empty table, maintaining a unique index of random UUIDs row by row costs most of the
// load (6.0M views: 59.6 s with the primary key, 10.3 s without it and 2.5 s to build it after,
// BENCHMARKS.md): the rows go in without indexes, which are then built from one sort. No
// ON CONFLICT is needed: the raw tables' own keys make the rows of one load unique, and if two
// rows ever shared a key, building the unique index fails the step, which rolls back with its
// transaction like any failure. The ALTER TABLE locks the table until the step commits.
std::int64_t insertIntoEmptyTable(pqxx::transaction_base& txn, const FactStatement& fact,
                                  const LoadRange& range) {
    const TableIndexes indexes = indexesOf(txn, fact.table);
    for (const std::string& drop : indexes.drop) {
        txn.exec(drop);
    }
    const auto rows =
        static_cast<std::int64_t>(execInRange(txn, fact.insert_select, range).affected_rows());
    txn.exec("SET LOCAL maintenance_work_mem = '256MB'");
    for (const std::string& create : indexes.create) {
        txn.exec(create);
    }
    return rows;
}

StepCounts insertFacts(pqxx::transaction_base& txn, const FactStatement& fact,
                       const LoadRange& range) {
    const bool empty =
        txn.exec("SELECT NOT EXISTS (SELECT FROM " + std::string(fact.table) + ")")[0][0]
            .as<bool>();
    if (empty) {
        const std::int64_t rows = insertIntoEmptyTable(txn, fact, range);
        return {rows, rows};
    }
    // An event is in exactly one load range (its raw row has one ingest_xid; the raw key is
    // unique; the mark moves with the rows), so the event facts need no ON CONFLICT: should an
    // event ever come twice, the primary key fails the step, which rolls back. Rows in key order
    // visit the primary key's leaves in order. An increment of 60,564 views into 6.0M, runs
    // alternating at load average 5: ON CONFLICT 0.85-1.24 s, plain 0.71-0.92 s; plain
    // 0.73-1.16 s, plain in key order 0.63-1.09 s (BENCHMARKS.md).
    const std::string sql =
        fact.retakes_rows
            ? fact.insert_select + "\nON CONFLICT (" + std::string(fact.key) + ") DO NOTHING"
            : fact.insert_select + "\nORDER BY e." + std::string(fact.key);
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
    return insertFacts(txn, {"fact_sales", kFactSales, "transaction_id, product_id", true}, range);
}

StepCounts loadFactCartEvents(pqxx::transaction_base& txn, const LoadRange& range) {
    preferHashJoins(txn);
    return insertFacts(txn, {"fact_cart_events", kFactCartEvents, "event_id", false}, range);
}

StepCounts loadFactProductViews(pqxx::transaction_base& txn, const LoadRange& range) {
    preferHashJoins(txn);
    return insertFacts(txn, {"fact_product_views", kFactProductViews, "event_id", false}, range);
}

} // namespace gm::warehouse
