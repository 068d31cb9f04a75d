-- SPDX-License-Identifier: GPL-3.0-or-later
-- The star schema: dimensions, facts and the ETL bookkeeping. Names are those of the original
-- project's warehouse (its dashboards query them unqualified with the search path set here).
-- Validity ranges are half-open [effective_start_date, effective_end_date) timestamps; the first
-- version of a key starts at 1970-01-01 (valid from the beginning of the data) and the current
-- one ends at 9999-12-31. No foreign keys: the load is set-based and the quality report checks
-- orphans instead (a foreign key per fact row would double the load time).

CREATE TABLE dim_date (
    date_id integer NOT NULL PRIMARY KEY, -- yyyymmdd
    "date" date NOT NULL UNIQUE,
    year integer NOT NULL,
    quarter integer NOT NULL,
    month integer NOT NULL,
    month_name text NOT NULL,
    week integer NOT NULL,        -- ISO week
    iso_year integer NOT NULL,    -- the year the ISO week belongs to
    day integer NOT NULL,         -- day of month
    day_of_week integer NOT NULL, -- ISO: 1 = Monday
    day_name text NOT NULL,
    is_weekend boolean NOT NULL,
    is_holiday boolean NOT NULL DEFAULT false
);

CREATE TABLE dim_geography (
    geography_id serial PRIMARY KEY,
    country text NOT NULL,
    region text,
    continent text,
    currency text,
    timezone text,
    effective_start_date timestamptz NOT NULL DEFAULT '1970-01-01 00:00:00+00',
    effective_end_date timestamptz NOT NULL DEFAULT '9999-12-31 00:00:00+00',
    is_current boolean NOT NULL DEFAULT true
);
CREATE UNIQUE INDEX dim_geography_current ON dim_geography (country) WHERE is_current;
INSERT INTO dim_geography (country, region, continent, currency, timezone) VALUES
    ('USA', 'North America', 'Americas', 'USD', 'America/New_York'),
    ('UK', 'Western Europe', 'Europe', 'GBP', 'Europe/London'),
    ('Germany', 'Western Europe', 'Europe', 'EUR', 'Europe/Berlin'),
    ('France', 'Western Europe', 'Europe', 'EUR', 'Europe/Paris'),
    ('Japan', 'East Asia', 'Asia', 'JPY', 'Asia/Tokyo');

-- Reference: the category group of each category (events carry only the category).
CREATE TABLE category_groups (
    category text NOT NULL PRIMARY KEY,
    category_group text NOT NULL
);
INSERT INTO category_groups (category, category_group) VALUES
    ('Smartphones', 'Electronics'),
    ('Laptops', 'Electronics'),
    ('Tablets', 'Electronics'),
    ('Desktop Computers', 'Electronics'),
    ('Monitors', 'Electronics'),
    ('Keyboards', 'Electronics'),
    ('Mice', 'Electronics'),
    ('Headphones', 'Electronics'),
    ('Speakers', 'Electronics'),
    ('Cameras', 'Electronics'),
    ('Smart Watches', 'Electronics'),
    ('Fitness Trackers', 'Electronics'),
    ('Gaming Consoles', 'Electronics'),
    ('VR Headsets', 'Electronics'),
    ('Drones', 'Electronics'),
    ('Printers', 'Electronics'),
    ('Scanners', 'Electronics'),
    ('External Hard Drives', 'Electronics'),
    ('USB Drives', 'Electronics'),
    ('Webcams', 'Electronics'),
    ('Men''s T-Shirts', 'Clothing & Fashion'),
    ('Men''s Jeans', 'Clothing & Fashion'),
    ('Men''s Jackets', 'Clothing & Fashion'),
    ('Men''s Shoes', 'Clothing & Fashion'),
    ('Men''s Accessories', 'Clothing & Fashion'),
    ('Women''s Dresses', 'Clothing & Fashion'),
    ('Women''s Tops', 'Clothing & Fashion'),
    ('Women''s Jeans', 'Clothing & Fashion'),
    ('Women''s Shoes', 'Clothing & Fashion'),
    ('Women''s Accessories', 'Clothing & Fashion'),
    ('Kids'' Clothing', 'Clothing & Fashion'),
    ('Baby Clothing', 'Clothing & Fashion'),
    ('Sportswear', 'Clothing & Fashion'),
    ('Swimwear', 'Clothing & Fashion'),
    ('Underwear', 'Clothing & Fashion'),
    ('Socks', 'Clothing & Fashion'),
    ('Belts', 'Clothing & Fashion'),
    ('Hats', 'Clothing & Fashion'),
    ('Scarves', 'Clothing & Fashion'),
    ('Gloves', 'Clothing & Fashion'),
    ('Furniture', 'Home & Kitchen'),
    ('Bedding', 'Home & Kitchen'),
    ('Curtains', 'Home & Kitchen'),
    ('Rugs', 'Home & Kitchen'),
    ('Lighting', 'Home & Kitchen'),
    ('Kitchen Appliances', 'Home & Kitchen'),
    ('Cookware', 'Home & Kitchen'),
    ('Dinnerware', 'Home & Kitchen'),
    ('Cutlery', 'Home & Kitchen'),
    ('Glassware', 'Home & Kitchen'),
    ('Storage & Organization', 'Home & Kitchen'),
    ('Cleaning Supplies', 'Home & Kitchen'),
    ('Home Decor', 'Home & Kitchen'),
    ('Wall Art', 'Home & Kitchen'),
    ('Mirrors', 'Home & Kitchen'),
    ('Bathroom Accessories', 'Home & Kitchen'),
    ('Towels', 'Home & Kitchen'),
    ('Pillows', 'Home & Kitchen'),
    ('Blankets', 'Home & Kitchen'),
    ('Mattresses', 'Home & Kitchen'),
    ('Fiction Books', 'Books & Media'),
    ('Non-Fiction Books', 'Books & Media'),
    ('E-Books', 'Books & Media'),
    ('Audiobooks', 'Books & Media'),
    ('Magazines', 'Books & Media'),
    ('Movies', 'Books & Media'),
    ('Music CDs', 'Books & Media'),
    ('Vinyl Records', 'Books & Media'),
    ('Video Games', 'Books & Media'),
    ('Board Games', 'Books & Media'),
    ('Exercise Equipment', 'Sports & Outdoors'),
    ('Yoga Mats', 'Sports & Outdoors'),
    ('Dumbbells', 'Sports & Outdoors'),
    ('Treadmills', 'Sports & Outdoors'),
    ('Bicycles', 'Sports & Outdoors'),
    ('Camping Gear', 'Sports & Outdoors'),
    ('Hiking Equipment', 'Sports & Outdoors'),
    ('Fishing Gear', 'Sports & Outdoors'),
    ('Sports Balls', 'Sports & Outdoors'),
    ('Athletic Shoes', 'Sports & Outdoors'),
    ('Skincare', 'Beauty & Personal Care'),
    ('Makeup', 'Beauty & Personal Care'),
    ('Hair Care', 'Beauty & Personal Care'),
    ('Fragrances', 'Beauty & Personal Care'),
    ('Nail Care', 'Beauty & Personal Care'),
    ('Bath & Body', 'Beauty & Personal Care'),
    ('Shaving Products', 'Beauty & Personal Care'),
    ('Oral Care', 'Beauty & Personal Care'),
    ('Personal Hygiene', 'Beauty & Personal Care'),
    ('Beauty Tools', 'Beauty & Personal Care'),
    ('Action Figures', 'Toys & Games'),
    ('Dolls', 'Toys & Games'),
    ('Building Blocks', 'Toys & Games'),
    ('Puzzles', 'Toys & Games'),
    ('Educational Toys', 'Toys & Games'),
    ('Remote Control Toys', 'Toys & Games'),
    ('Stuffed Animals', 'Toys & Games'),
    ('Arts & Crafts', 'Toys & Games'),
    ('Musical Toys', 'Toys & Games'),
    ('Outdoor Toys', 'Toys & Games');

CREATE TABLE dim_customers (
    customer_id bigserial PRIMARY KEY,
    user_id text NOT NULL,
    country text,
    age_band text, -- raw events carry no age: NULL until a source provides it
    registration_date date,        -- first day the customer was seen
    first_transaction_date date,
    last_transaction_date date,
    total_transactions integer NOT NULL DEFAULT 0, -- distinct orders
    total_spent numeric(14,2) NOT NULL DEFAULT 0,  -- sum of order totals
    avg_order_value numeric(12,2),                 -- per order
    customer_segment text,                         -- latest RFM segment
    rfm_score integer,
    is_active boolean NOT NULL DEFAULT true,
    effective_start_date timestamptz NOT NULL,
    effective_end_date timestamptz NOT NULL DEFAULT '9999-12-31 00:00:00+00',
    is_current boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, effective_start_date)
);
CREATE UNIQUE INDEX dim_customers_current ON dim_customers (user_id) WHERE is_current;

CREATE TABLE dim_products (
    product_id_pk bigserial PRIMARY KEY,
    product_id text NOT NULL,
    product_name text,
    category text,
    category_group text,
    base_price numeric(12,2),
    is_active boolean NOT NULL DEFAULT true,
    effective_start_date timestamptz NOT NULL,
    effective_end_date timestamptz NOT NULL DEFAULT '9999-12-31 00:00:00+00',
    is_current boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (product_id, effective_start_date)
);
CREATE UNIQUE INDEX dim_products_current ON dim_products (product_id) WHERE is_current;

-- One order line. total_amount is the line's amount (quantity x unit price), order_total the
-- whole order's; orders are counted as distinct transaction_id.
CREATE TABLE fact_sales (
    transaction_id uuid NOT NULL,
    product_id text NOT NULL,
    product_id_pk bigint,
    customer_id bigint,
    user_id text NOT NULL,
    date_id integer,
    geography_id integer,
    payment_method text,
    transaction_timestamp timestamptz NOT NULL,
    quantity integer NOT NULL,
    unit_price numeric(12,2) NOT NULL,
    total_amount numeric(14,2) NOT NULL,
    order_total numeric(12,2) NOT NULL,
    PRIMARY KEY (transaction_id, product_id)
);
CREATE INDEX fact_sales_timestamp ON fact_sales (transaction_timestamp);

CREATE TABLE fact_cart_events (
    event_id uuid NOT NULL PRIMARY KEY,
    event_type text NOT NULL,
    event_timestamp timestamptz NOT NULL,
    session_id uuid NOT NULL,
    user_id text NOT NULL,
    customer_id bigint,
    product_id text, -- NULL for events without a product (checkout)
    product_id_pk bigint,
    date_id integer,
    geography_id integer,
    quantity integer,
    price numeric(12,2),
    cart_value numeric(12,2)
);

CREATE TABLE fact_product_views (
    event_id uuid NOT NULL PRIMARY KEY,
    event_type text NOT NULL,
    event_timestamp timestamptz NOT NULL,
    session_id uuid NOT NULL,
    user_id text NOT NULL,
    customer_id bigint,
    product_id text, -- NULL for searches, filters and compares
    product_id_pk bigint,
    date_id integer,
    geography_id integer,
    view_duration integer,
    from_search boolean,
    search_query text
);

-- What each load step has taken: the raw rows whose inserting transaction had finished in the
-- snapshot high_water_snapshot (pg_snapshot text); high_water_mark is that snapshot's xmin (all
-- raw rows with a lower ingest_xid are loaded).
CREATE TABLE etl_state (
    job text NOT NULL PRIMARY KEY,
    high_water_mark bigint NOT NULL DEFAULT 0,
    high_water_snapshot text NOT NULL DEFAULT '1:1:',
    last_run_at timestamptz,
    status text NOT NULL,
    rows_read bigint NOT NULL DEFAULT 0,
    rows_written bigint NOT NULL DEFAULT 0,
    duration_ms bigint NOT NULL DEFAULT 0,
    error text
);

CREATE TABLE etl_quality (
    run_id bigint NOT NULL,
    check_name text NOT NULL,
    table_name text NOT NULL,
    expected numeric NOT NULL,
    actual numeric NOT NULL,
    passed boolean NOT NULL,
    checked_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, check_name, table_name)
);

CREATE SEQUENCE batch_run_ids;
CREATE TABLE batch_runs (
    run_id bigint NOT NULL,
    step text NOT NULL,
    analysis_date date NOT NULL,
    started_at timestamptz NOT NULL,
    finished_at timestamptz,
    status text NOT NULL, -- running, succeeded, failed, skipped
    rows bigint,
    error_message text,
    PRIMARY KEY (run_id, step)
);
