-- SPDX-License-Identifier: GPL-3.0-or-later
-- Scale-out (issue 18, docs/scale-out.md step 2.4): what the group's finalizer needs beside the
-- partials.
--
-- group_rows: per-event rows (abandoned carts, high-value and high-quantity anomalies) a
-- partition produced, as COPY text for their public table, written in the same transaction as
-- the partition's progress. They are final when produced; the finalizer upserts them into their
-- table and deletes them. A replay may write the same rows again under a new id: the upsert on
-- the table's primary key makes that harmless, and no stored batch is ever overwritten.
CREATE TABLE group_rows (
    id bigserial PRIMARY KEY,
    group_id text NOT NULL,
    topic text NOT NULL,
    partition integer NOT NULL CHECK (partition >= 0),
    table_name text NOT NULL,
    columns text[] NOT NULL,
    copy_text text NOT NULL,
    row_count integer NOT NULL CHECK (row_count > 0),
    written_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX group_rows_by_group ON group_rows (group_id, id);

-- group_progress: per job, the event time up to which the group's windows were merged into the
-- public tables (every partition of the job's topic had handed its windows over up to there).
-- In microseconds since the epoch, as partition_progress.job_watermarks.
CREATE TABLE group_progress (
    group_id text NOT NULL,
    job text NOT NULL,
    finalized_up_to bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, job)
);
