-- SPDX-License-Identifier: GPL-3.0-or-later
-- Stock and the unified alerts table ("Beyond the original" in docs/realtime-tables.md).

-- The latest level per product: one row each, overwritten by every upsert.
CREATE TABLE stock_levels (
    product_id text NOT NULL PRIMARY KEY,
    stock_on_hand integer NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX stock_levels_low_idx ON stock_levels (stock_on_hand);

-- One row each time a product falls to or below the threshold; the detection time tells two
-- falls of the same product apart.
CREATE TABLE low_stock_alerts (
    product_id text NOT NULL,
    detected_at timestamptz NOT NULL,
    stock_on_hand integer NOT NULL,
    threshold integer NOT NULL DEFAULT 10,
    severity text NOT NULL,
    PRIMARY KEY (product_id, detected_at)
);
CREATE INDEX low_stock_alerts_detected_idx ON low_stock_alerts (detected_at DESC);

-- Every alert kind in one place. alert_id is chosen by the pipeline (stable for one kind + subject
-- + dedup window), so a repeated occurrence is an upsert that raises occurrences and last_seen.
CREATE TABLE alerts (
    alert_id text NOT NULL PRIMARY KEY,
    kind text NOT NULL,
    severity text NOT NULL,
    subject text NOT NULL,
    title text NOT NULL,
    message text,
    first_seen timestamptz NOT NULL,
    last_seen timestamptz NOT NULL,
    occurrences integer NOT NULL DEFAULT 1,
    acknowledged boolean NOT NULL DEFAULT false
);
CREATE INDEX alerts_last_seen_idx ON alerts (last_seen DESC);
CREATE INDEX alerts_severity_idx ON alerts (severity, last_seen DESC);
CREATE INDEX alerts_open_idx ON alerts (last_seen DESC) WHERE NOT acknowledged;
