-- SPDX-License-Identifier: GPL-3.0-or-later
-- Each job's emitted-up-to watermark, written in the same transaction as the rows it covers, so
-- that after a crash and a Kafka replay the job does not re-emit (partial) windows ending at or
-- before it (DESIGN.md, "Exactness across a crash").
CREATE TABLE pipeline_progress (
    job text NOT NULL PRIMARY KEY,
    emitted_up_to timestamptz NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
