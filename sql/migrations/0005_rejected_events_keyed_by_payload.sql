-- SPDX-License-Identifier: GPL-3.0-or-later
-- Dead letters keyed so that a recreated broker or topic cannot collide with an earlier one.
-- Kafka offsets start again at 0 on a recreated topic (or a fresh embedded broker), so
-- (source, topic, partition, offset) alone names a different message after such a restart, and
-- the writer's ON CONFLICT DO NOTHING silently dropped the new dead letter. The key now also
-- holds the SHA-256 of the payload: the same message delivered again (a replay after a crash)
-- is still stored once, a different message at a reused offset gets its own row. Existing rows
-- are kept; their digest is computed when the column is added.
--
-- The digest is a generated column, and the key a unique index rather than the primary key: the
-- writer stages rows in a table made LIKE this one, which copies NOT NULL constraints, and a
-- primary-key column the client does not send would make every staged row fail.
ALTER TABLE rejected_events
    ADD COLUMN payload_sha256 bytea GENERATED ALWAYS AS (sha256(coalesce(payload, ''::bytea))) STORED;
-- The one-line reason of the rule that refused the message ("total_amount: expected a number"),
-- next to the rule's stable name in `reason`.
ALTER TABLE rejected_events ADD COLUMN detail text;
ALTER TABLE rejected_events DROP CONSTRAINT rejected_events_pkey;
CREATE UNIQUE INDEX rejected_events_message_key
    ON rejected_events (source, topic, "partition", "offset", payload_sha256);
