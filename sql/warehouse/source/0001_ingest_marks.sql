-- SPDX-License-Identifier: GPL-3.0-or-later
-- Incremental loads need to know which raw rows arrived since the last load, whatever their event
-- time (late events included). Each raw row records the id of the transaction that inserted it;
-- a load takes the rows whose transaction had finished in its snapshot (pg_current_snapshot())
-- but not in the previous load's, so no row is taken twice or skipped, with no ctid and no clock
-- involved, and a transaction still open during a load is taken by the next one.
-- Ids grow with insertion order, so a BRIN index stays tiny and cheap to maintain, like the
-- timestamp ones of 0003_raw_events.sql.
-- These migrations run on the database of the raw tables (which may not be the warehouse's),
-- with the search path "warehouse_ingest, public": their schema_version lives in the schema
-- warehouse_ingest, and the table names resolve to the raw tables in public.

ALTER TABLE transactions ADD COLUMN ingest_xid bigint NOT NULL
    DEFAULT (pg_current_xact_id()::text::bigint);
ALTER TABLE transaction_items ADD COLUMN ingest_xid bigint NOT NULL
    DEFAULT (pg_current_xact_id()::text::bigint);
ALTER TABLE cart_events ADD COLUMN ingest_xid bigint NOT NULL
    DEFAULT (pg_current_xact_id()::text::bigint);
ALTER TABLE product_view_events ADD COLUMN ingest_xid bigint NOT NULL
    DEFAULT (pg_current_xact_id()::text::bigint);

CREATE INDEX transactions_ingest_brin ON transactions USING brin (ingest_xid);
CREATE INDEX transaction_items_ingest_brin ON transaction_items USING brin (ingest_xid);
CREATE INDEX cart_events_ingest_brin ON cart_events USING brin (ingest_xid);
CREATE INDEX product_view_events_ingest_brin ON product_view_events USING brin (ingest_xid);

-- The new column has no statistics yet: without them the planner does not trust the BRIN index
-- and every incremental load would scan the whole tables.
ANALYZE transactions;
ANALYZE transaction_items;
ANALYZE cart_events;
ANALYZE product_view_events;
