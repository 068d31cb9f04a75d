-- SPDX-License-Identifier: GPL-3.0-or-later
-- An acknowledgement and the writer's first insert of the same alert could pass each other: the
-- window's UPDATE did not see the row the writer had not committed yet, and the writer's trigger
-- did not see the mark the window had not committed yet, so the row stayed unacknowledged with
-- its mark stored (seen in ui.tst_window_live on a loaded machine).
--
-- Both sides now take one transaction-scoped advisory lock (key 0x676d61636b = 'gmack'): the
-- window exclusively, before its statement; the trigger shared, before it looks for a mark. A
-- plpgsql query takes a fresh snapshot after the lock is granted, and the window's statement
-- runs after its lock statement, so whichever commits second sees what the first committed.
-- The shared lock costs one lock-table entry per inserted alert row (alerts are few).

CREATE OR REPLACE FUNCTION alerts_apply_acknowledgement() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    at timestamptz;
BEGIN
    PERFORM pg_advisory_xact_lock_shared(444216730475);
    SELECT a.acknowledged_at INTO at FROM alert_acknowledgements a WHERE a.alert_id = NEW.alert_id;
    IF FOUND THEN
        NEW.acknowledged := true;
        NEW.acknowledged_at := at;
    END IF;
    RETURN NEW;
END;
$$;
