-- SPDX-License-Identifier: GPL-3.0-or-later
-- Scale-out (issue 18, docs/scale-out.md step 2.3): what a member taking a partition over needs,
-- beside replay_from, to rebuild the partition's open windows exactly as they were built.
--
-- replay_newest_event_at: the newest event time read before replay_from. Lateness and session
-- expiry are judged against the partition's newest event so far; a replay that started from
-- nothing would judge the replayed events against a younger watermark than the first reading did.
-- job_watermarks: per job (sales, carts, views, anomalies, inventory: pipeline/pipeline_config.h
-- JobId order) the partition's watermark at the commit, in microseconds since the epoch (the
-- engine's "no watermark yet" is bigint's minimum, which timestamptz cannot hold): every window
-- ending at or before it was committed, so the replay leaves those windows alone.
ALTER TABLE partition_progress
    ADD COLUMN replay_newest_event_at timestamptz,
    ADD COLUMN job_watermarks bigint[] CHECK (cardinality(job_watermarks) = 5);
