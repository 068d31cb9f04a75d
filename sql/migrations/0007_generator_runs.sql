-- SPDX-License-Identifier: GPL-3.0-or-later
-- The span of event time each generator run wrote, so that its part windows can be told from
-- full ones.
--
-- A run starts during a window and stops during one: both windows hold only the run's part of
-- their span. The window a stop cuts short is still written (nothing is dropped), but it must
-- not pass for a full window. window_is_partial(window_start, window_end) is true for a window
-- that starts before a run's first event (events_from strictly inside it) or that holds a run's
-- last event (events_until) and reaches past it. Runs never share event times (each continues
-- where the stored history ends, unless --overwrite-history), so a window is partial only at
-- such an edge.
--
-- The row is written when the run starts (events_until NULL: running, or crashed) and completed
-- when it stops, through the same writer as the rows and after them. A run that crashed keeps
-- NULL: it wrote no cut-off windows (its open windows were lost with it), and its first window
-- is still marked.
CREATE TABLE generator_runs (
    events_from timestamptz NOT NULL PRIMARY KEY,
    events_until timestamptz,
    CHECK (events_until >= events_from)
);
CREATE INDEX generator_runs_until_idx ON generator_runs (events_until);

CREATE FUNCTION window_is_partial(window_start timestamptz, window_end timestamptz)
RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1 FROM generator_runs r
        WHERE (r.events_from > window_start AND r.events_from < window_end)
           OR (r.events_until >= window_start AND r.events_until < window_end))
$$;
