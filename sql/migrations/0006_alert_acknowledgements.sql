-- SPDX-License-Identifier: GPL-3.0-or-later
-- Alert acknowledgements made in the window, kept in the database.
--
-- The window acknowledges through its own short connection (gm::AlertAcknowledger): it records
-- the id here and marks the alert's row. The writer's upsert never updates `acknowledged`, so an
-- alert the pipeline re-emits (more occurrences) stays acknowledged. An alert acknowledged before
-- the writer has stored it is marked as its row arrives, by the trigger below.

ALTER TABLE alerts ADD COLUMN acknowledged_at timestamptz;

CREATE TABLE alert_acknowledgements (
    alert_id text NOT NULL PRIMARY KEY,
    acknowledged_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION alerts_apply_acknowledgement() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    at timestamptz;
BEGIN
    SELECT a.acknowledged_at INTO at FROM alert_acknowledgements a WHERE a.alert_id = NEW.alert_id;
    IF FOUND THEN
        NEW.acknowledged := true;
        NEW.acknowledged_at := at;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER alerts_apply_acknowledgement BEFORE INSERT ON alerts
    FOR EACH ROW EXECUTE FUNCTION alerts_apply_acknowledgement();
