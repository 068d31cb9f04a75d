-- SPDX-License-Identifier: GPL-3.0-or-later
-- Raw events for the warehouse and for drill-down, one column per JSON field of docs/events.md,
-- named exactly as the field. Fields an event type does not carry are NULL. Raw events only ever
-- arrive in event-time order and in bulk, so the time index is BRIN: tiny, and nearly free to
-- maintain at hundreds of thousands of rows per second, where a btree would halve the ingest rate.

CREATE TABLE transactions (
    transaction_id uuid NOT NULL PRIMARY KEY,
    user_id text NOT NULL,
    "timestamp" timestamptz NOT NULL,
    total_amount numeric(12,2) NOT NULL,
    payment_method text NOT NULL,
    country text NOT NULL
);
CREATE INDEX transactions_timestamp_brin ON transactions USING brin ("timestamp");

-- The "products" array of a transaction, one row per line. Lines have distinct products.
CREATE TABLE transaction_items (
    transaction_id uuid NOT NULL,
    product_id text NOT NULL,
    quantity integer NOT NULL,
    unit_price numeric(12,2) NOT NULL,
    PRIMARY KEY (transaction_id, product_id)
);

CREATE TABLE cart_events (
    event_id uuid NOT NULL PRIMARY KEY,
    event_type text NOT NULL,
    "timestamp" timestamptz NOT NULL,
    user_id text NOT NULL,
    session_id uuid NOT NULL,
    country text NOT NULL,
    product_id text,
    product_name text,
    category text,
    price numeric(12,2),
    quantity integer,
    old_quantity integer,
    new_quantity integer,
    cart_size integer,
    cart_value numeric(12,2),
    items jsonb,            -- checkout: [{product_id, product_name, category, price, quantity}]
    total_items integer,
    total_value numeric(12,2)
);
CREATE INDEX cart_events_timestamp_brin ON cart_events USING brin ("timestamp");

CREATE TABLE product_view_events (
    event_id uuid NOT NULL PRIMARY KEY,
    event_type text NOT NULL,
    "timestamp" timestamptz NOT NULL,
    user_id text NOT NULL,
    session_id uuid NOT NULL,
    country text NOT NULL,
    product_id text,
    product_name text,
    category text,
    price numeric(12,2),
    view_duration integer,
    from_search boolean,
    search_query text,
    previously_viewed_count integer,
    results_count integer,
    filter_category text,
    min_price numeric(12,2),
    max_price numeric(12,2),
    product_ids text[],
    product_names text[],
    prices numeric(12,2)[]
);
CREATE INDEX product_view_events_timestamp_brin ON product_view_events USING brin ("timestamp");

-- Dead letters. The natural key is where the message came from: (topic, partition, offset) for
-- Kafka; for the generator or a file, topic is the stream name, partition -1 and offset the
-- sequence number. The payload is bytea because bad input need not be valid UTF-8.
CREATE TABLE rejected_events (
    source text NOT NULL,
    topic text NOT NULL DEFAULT '',
    "partition" integer NOT NULL DEFAULT -1,
    "offset" bigint NOT NULL,
    received_at timestamptz NOT NULL,
    reason text NOT NULL,
    payload bytea,
    PRIMARY KEY (source, topic, "partition", "offset")
);
CREATE INDEX rejected_events_received_idx ON rejected_events (received_at DESC);
