-- SPDX-License-Identifier: GPL-3.0-or-later
-- Batch analytics results. Every table is keyed by analysis_date: rerunning a date replaces that
-- date's rows and no others (the original's keys without the date broke on the second day).

CREATE TABLE rfm_analysis (
    user_id text NOT NULL,
    analysis_date date NOT NULL,
    customer_id bigint, -- the current dimension version at the time of the analysis
    recency_days integer NOT NULL,
    frequency_count integer NOT NULL,  -- distinct orders
    monetary_value numeric(14,2) NOT NULL, -- sum of order totals
    recency_score integer NOT NULL,
    frequency_score integer NOT NULL,
    monetary_score integer NOT NULL,
    rfm_score integer NOT NULL, -- R*100 + F*10 + M
    rfm_segment text NOT NULL,
    PRIMARY KEY (analysis_date, user_id)
);

-- One row per segment of the latest analysis (as the original); every date in the history.
CREATE TABLE customer_segments (
    segment_name text NOT NULL PRIMARY KEY,
    segment_description text NOT NULL,
    min_rfm_score integer NOT NULL,
    max_rfm_score integer NOT NULL,
    customer_count integer NOT NULL,
    customer_share_pct numeric(6,2) NOT NULL,
    total_revenue numeric(16,2) NOT NULL,
    revenue_share_pct numeric(6,2),
    total_orders bigint NOT NULL,
    avg_order_value numeric(12,2),
    analysis_date date NOT NULL,
    last_updated timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE customer_segments_history (LIKE customer_segments INCLUDING DEFAULTS);
ALTER TABLE customer_segments_history ADD PRIMARY KEY (analysis_date, segment_name);

CREATE TABLE product_performance (
    product_id text NOT NULL,
    analysis_date date NOT NULL,
    product_name text,
    category text,
    total_sales bigint NOT NULL,    -- distinct orders containing the product
    total_quantity bigint NOT NULL,
    total_revenue numeric(16,2) NOT NULL, -- sum of line amounts
    avg_price numeric(12,2),
    total_views bigint NOT NULL,    -- 'view' events
    cart_adds bigint NOT NULL,      -- 'add_to_cart' events
    conversion_rate numeric(9,2),   -- orders / views x 100; NULL without views
    cart_abandonment_rate numeric(9,2), -- (cart adds - orders) / cart adds x 100, at least 0
    category_rank integer NOT NULL, -- dense rank by revenue within the category
    overall_rank integer NOT NULL,  -- dense rank by revenue
    performance_score numeric(6,2) NOT NULL,
    performance_tier text NOT NULL,
    PRIMARY KEY (analysis_date, product_id)
);

CREATE TABLE sales_trends (
    analysis_date date NOT NULL,
    period_type text NOT NULL,  -- daily, weekly, monthly, quarterly
    period_value text NOT NULL, -- 2026-11-25, 2026-W48 (ISO year), 2026-11, 2026-Q4
    period_start date NOT NULL,
    category text,              -- NULL: all categories together
    total_sales bigint NOT NULL, -- distinct orders
    total_revenue numeric(16,2) NOT NULL,
    total_quantity bigint NOT NULL,
    unique_customers bigint NOT NULL,
    avg_order_value numeric(12,2),
    growth_rate numeric(12,2), -- % change vs the previous calendar period; NULL if none or 0
    CONSTRAINT sales_trends_key UNIQUE NULLS NOT DISTINCT
        (analysis_date, period_type, period_value, category)
);

CREATE TABLE sales_by_region (
    analysis_date date NOT NULL,
    sale_date date NOT NULL,
    country text NOT NULL,
    region text,
    continent text,
    total_sales bigint NOT NULL, -- distinct orders
    total_revenue numeric(16,2) NOT NULL,
    unique_customers bigint NOT NULL,
    avg_order_value numeric(12,2),
    PRIMARY KEY (analysis_date, sale_date, country)
);

CREATE TABLE cohort_retention (
    analysis_date date NOT NULL,
    cohort_month date NOT NULL, -- first day of the month of the customers' first order
    month_offset integer NOT NULL,
    cohort_size integer NOT NULL,
    active_customers integer NOT NULL,
    retention_pct numeric(6,2) NOT NULL,
    revenue numeric(16,2) NOT NULL, -- sum of the order totals of the cohort in that month
    PRIMARY KEY (analysis_date, cohort_month, month_offset)
);

CREATE VIEW v_customer_lifetime_value AS
SELECT c.customer_id,
       c.user_id,
       c.country,
       c.total_spent AS lifetime_value,
       c.total_transactions AS total_orders,
       c.avg_order_value,
       c.first_transaction_date,
       c.last_transaction_date,
       (c.last_transaction_date - c.first_transaction_date) AS lifetime_days,
       c.customer_segment,
       c.rfm_score
FROM dim_customers c
WHERE c.is_current AND c.total_transactions > 0;

CREATE VIEW v_top_products_by_revenue AS
SELECT p.product_id, p.product_name, p.category, p.total_sales, p.total_quantity,
       p.total_revenue, p.avg_price, p.total_views, p.conversion_rate, p.overall_rank,
       p.performance_tier, p.analysis_date
FROM product_performance p
WHERE p.analysis_date = (SELECT max(analysis_date) FROM product_performance)
ORDER BY p.total_revenue DESC, p.product_id
LIMIT 100;
