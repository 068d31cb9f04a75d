-- SPDX-License-Identifier: GPL-3.0-or-later
-- The 18 real-time tables of docs/realtime-tables.md. Table and column names are the contract
-- with SQL written for the original GlobalMart, so they must not change. Natural primary keys make
-- every write an idempotent upsert. Money is numeric(12,2); averages that are not money are
-- double precision; every timestamp is timestamptz (UTC).
--
-- Indexes: each windowed table's primary key starts with window_start, so "newest windows first"
-- is a backward scan of the primary key and needs no second index (which would only slow ingest).
-- Extra indexes exist only where a dashboard filters on something else (severity, event time).

-- 1. Sales ----------------------------------------------------------------------------------------
CREATE TABLE sales_per_minute (
    window_start timestamptz NOT NULL,
    window_end timestamptz NOT NULL,
    total_transactions bigint NOT NULL,
    total_revenue numeric(12,2) NOT NULL,
    avg_order_value numeric(12,2) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, window_end)
);

CREATE TABLE sales_by_country (
    window_start timestamptz NOT NULL,
    window_end timestamptz NOT NULL,
    country text NOT NULL,
    total_transactions bigint NOT NULL,
    total_revenue numeric(12,2) NOT NULL,
    avg_order_value numeric(12,2) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, window_end, country)
);

-- 2. Carts ----------------------------------------------------------------------------------------
CREATE TABLE cart_sessions (
    window_start timestamptz NOT NULL,
    window_end timestamptz NOT NULL,
    user_id text NOT NULL,
    session_id uuid NOT NULL,
    country text,
    add_count integer NOT NULL,
    remove_count integer NOT NULL,
    update_count integer NOT NULL,
    checkout_count integer NOT NULL,
    max_cart_value numeric(12,2),
    last_activity timestamptz,
    total_events integer NOT NULL,
    session_completed boolean NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, window_end, user_id, session_id)
);

CREATE TABLE cart_metrics (
    window_start timestamptz NOT NULL,
    window_end timestamptz NOT NULL,
    country text NOT NULL,
    total_cart_events bigint NOT NULL,
    adds bigint NOT NULL,
    removes bigint NOT NULL,
    updates bigint NOT NULL,
    checkouts bigint NOT NULL,
    avg_cart_value numeric(12,2),
    max_cart_value numeric(12,2),
    abandonment_rate_pct double precision NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, window_end, country)
);

CREATE TABLE abandoned_carts (
    window_start timestamptz NOT NULL,
    window_end timestamptz NOT NULL,
    user_id text NOT NULL,
    session_id uuid NOT NULL,
    country text,
    items_added integer NOT NULL,
    abandoned_cart_value numeric(12,2) NOT NULL,
    last_activity timestamptz NOT NULL,
    total_events integer NOT NULL,
    abandonment_detected_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, window_end, user_id, session_id)
);

-- 3. Product views --------------------------------------------------------------------------------
CREATE TABLE trending_products (
    window_start timestamptz NOT NULL,
    window_end timestamptz NOT NULL,
    product_id text NOT NULL,
    product_name text,
    category text,
    view_count bigint NOT NULL,
    unique_viewers bigint NOT NULL,
    avg_view_duration double precision,
    product_price numeric(12,2),
    analyzed_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, window_end, product_id)
);

CREATE TABLE category_performance (
    window_start timestamptz NOT NULL,
    window_end timestamptz NOT NULL,
    category text NOT NULL,
    country text NOT NULL,
    total_views bigint NOT NULL,
    unique_users bigint NOT NULL,
    unique_products bigint NOT NULL,
    avg_view_duration double precision,
    avg_product_price numeric(12,2),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, window_end, category, country)
);

CREATE TABLE search_behavior (
    window_start timestamptz NOT NULL,
    window_end timestamptz NOT NULL,
    search_query text NOT NULL,
    country text NOT NULL,
    search_count bigint NOT NULL,
    unique_searchers bigint NOT NULL,
    avg_results double precision,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, window_end, search_query, country)
);

CREATE TABLE browsing_sessions (
    window_start timestamptz NOT NULL,
    window_end timestamptz NOT NULL,
    user_id text NOT NULL,
    session_id uuid NOT NULL,
    country text,
    views integer NOT NULL,
    searches integer NOT NULL,
    filters integer NOT NULL,
    compares integer NOT NULL,
    unique_products_viewed integer NOT NULL,
    avg_view_duration double precision,
    first_activity timestamptz NOT NULL,
    last_activity timestamptz NOT NULL,
    total_events integer NOT NULL,
    session_duration_sec bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, window_end, user_id, session_id)
);

-- 4. Anomalies ------------------------------------------------------------------------------------
CREATE TABLE high_value_anomalies (
    transaction_id uuid NOT NULL,
    user_id text NOT NULL,
    "timestamp" timestamptz NOT NULL,
    total_amount numeric(12,2) NOT NULL,
    payment_method text,
    country text,
    anomaly_type text NOT NULL,
    anomaly_reason text,
    severity text NOT NULL,
    detected_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (transaction_id)
);
CREATE INDEX high_value_anomalies_timestamp_idx ON high_value_anomalies ("timestamp" DESC);
CREATE INDEX high_value_anomalies_severity_idx ON high_value_anomalies (severity, "timestamp" DESC);

CREATE TABLE high_quantity_anomalies (
    transaction_id uuid NOT NULL,
    product_id text NOT NULL,
    user_id text NOT NULL,
    "timestamp" timestamptz NOT NULL,
    quantity integer NOT NULL,
    total_amount numeric(12,2),
    payment_method text,
    country text,
    anomaly_type text NOT NULL,
    anomaly_reason text,
    severity text NOT NULL,
    detected_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (transaction_id, product_id)
);
CREATE INDEX high_quantity_anomalies_timestamp_idx ON high_quantity_anomalies ("timestamp" DESC);
CREATE INDEX high_quantity_anomalies_severity_idx
    ON high_quantity_anomalies (severity, "timestamp" DESC);

CREATE TABLE suspicious_patterns (
    window_start timestamptz NOT NULL,
    window_end timestamptz NOT NULL,
    user_id text NOT NULL,
    country text,
    transaction_count integer NOT NULL,
    total_spent numeric(12,2) NOT NULL,
    avg_transaction numeric(12,2) NOT NULL,
    max_transaction numeric(12,2) NOT NULL,
    first_transaction timestamptz NOT NULL,
    last_transaction timestamptz NOT NULL,
    anomaly_type text NOT NULL,
    anomaly_reason text,
    severity text NOT NULL,
    detected_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, window_end, user_id)
);
CREATE INDEX suspicious_patterns_severity_idx ON suspicious_patterns (severity, window_start DESC);

CREATE TABLE anomaly_stats (
    window_start timestamptz NOT NULL,
    window_end timestamptz NOT NULL,
    country text NOT NULL,
    total_anomalies bigint NOT NULL,
    high_value_count bigint NOT NULL,
    high_quantity_count bigint NOT NULL,
    critical_count bigint NOT NULL,
    high_severity_count bigint NOT NULL,
    medium_severity_count bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, window_end, country)
);

CREATE VIEW recent_critical_anomalies AS
SELECT anomaly_source, transaction_id, user_id, "timestamp", metric_value, severity, detected_at
FROM (
    SELECT 'high_value'::text AS anomaly_source, transaction_id, user_id, "timestamp",
           total_amount AS metric_value, severity, detected_at
    FROM high_value_anomalies
    WHERE severity = 'critical'
    UNION ALL
    SELECT 'high_quantity'::text, transaction_id, user_id, "timestamp",
           quantity::numeric, severity, detected_at
    FROM high_quantity_anomalies
    WHERE severity = 'critical'
) AS critical
ORDER BY "timestamp" DESC, detected_at DESC;

-- 5. Inventory ------------------------------------------------------------------------------------
CREATE TABLE product_sales_velocity (
    window_start timestamptz NOT NULL,
    window_end timestamptz NOT NULL,
    product_id text NOT NULL,
    units_sold bigint NOT NULL,
    total_revenue numeric(12,2) NOT NULL,
    avg_price numeric(12,2),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, window_end, product_id)
);

CREATE TABLE inventory_by_country (
    window_start timestamptz NOT NULL,
    window_end timestamptz NOT NULL,
    product_id text NOT NULL,
    country text NOT NULL,
    units_sold bigint NOT NULL,
    total_revenue numeric(12,2) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, window_end, product_id, country)
);

CREATE TABLE high_demand_alerts (
    window_start timestamptz NOT NULL,
    window_end timestamptz NOT NULL,
    product_id text NOT NULL,
    units_sold bigint NOT NULL,
    total_revenue numeric(12,2) NOT NULL,
    demand_level text NOT NULL,
    alert_generated_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, window_end, product_id)
);
CREATE INDEX high_demand_alerts_level_idx ON high_demand_alerts (demand_level, window_start DESC);

CREATE TABLE restock_alerts (
    window_start timestamptz NOT NULL,
    window_end timestamptz NOT NULL,
    product_id text NOT NULL,
    country text NOT NULL,
    units_sold bigint NOT NULL,
    sales_rate_per_min double precision NOT NULL,
    urgency text NOT NULL,
    alert_generated_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, window_end, product_id, country)
);
CREATE INDEX restock_alerts_urgency_idx ON restock_alerts (urgency, window_start DESC);

CREATE TABLE inventory_metrics (
    window_start timestamptz NOT NULL,
    window_end timestamptz NOT NULL,
    country text NOT NULL,
    total_units_sold bigint NOT NULL,
    unique_products_sold bigint NOT NULL,
    total_revenue numeric(12,2) NOT NULL,
    fast_moving_products bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, window_end, country)
);
