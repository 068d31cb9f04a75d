-- SPDX-License-Identifier: GPL-3.0-or-later
-- Scale-out (issue 18, docs/scale-out.md step 2): what each topic partition's shard closed, kept
-- until the group merges it, and where each partition stands.
--
-- group_partials: one payload (pipeline/partial_codec) per table, partition and window. Keyed on
-- the window's start so that a member replaying a partition after a crash or a rebalance
-- overwrites what the previous owner wrote for the same window instead of adding to it.
CREATE TABLE group_partials (
    group_id text NOT NULL,
    table_id text NOT NULL,
    topic text NOT NULL,
    partition integer NOT NULL CHECK (partition >= 0),
    window_start timestamptz NOT NULL,
    window_end timestamptz NOT NULL CHECK (window_end > window_start),
    payload bytea NOT NULL,
    written_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, table_id, topic, partition, window_start)
);
-- The merge reads a topic's windows in order of their end.
CREATE INDEX group_partials_by_end ON group_partials (group_id, topic, window_end);

-- partition_progress: written in the same transaction as the partition's partials. generation
-- fences a member that lost the partition (a rebalance it has not seen yet, or a pause longer
-- than the session timeout): each claim raises it, and a commit only lands while the generation
-- it claimed is still the row's. NULL offsets: claimed, nothing committed yet.
CREATE TABLE partition_progress (
    group_id text NOT NULL,
    topic text NOT NULL,
    partition integer NOT NULL CHECK (partition >= 0),
    generation bigint NOT NULL CHECK (generation > 0),
    owner text NOT NULL,
    next_offset bigint CHECK (next_offset >= 0),
    replay_from bigint CHECK (replay_from >= 0 AND replay_from <= next_offset),
    newest_event_at timestamptz,
    caught_up_at timestamptz,
    claimed_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz,
    PRIMARY KEY (group_id, topic, partition),
    CHECK ((next_offset IS NULL) = (replay_from IS NULL))
);
