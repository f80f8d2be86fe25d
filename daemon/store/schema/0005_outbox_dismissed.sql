-- A failed or pending mail the user dismissed (`leadup outbox dismiss
-- ID`): status stops listing it. A column, not a new state: every reader
-- that treats a failed row as not sent keeps doing so.
ALTER TABLE outbox ADD COLUMN dismissed_at INTEGER NOT NULL DEFAULT 0;
