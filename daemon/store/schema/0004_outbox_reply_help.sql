-- A new outbox kind: 'reply-help', the mail that answers a reply to a
-- reminder leadup could not read (once per reply, keyed by its
-- Message-ID). SQLite cannot change a CHECK constraint in place, so the
-- table is rebuilt with its rows, ids and index.
CREATE TABLE outbox_new (
	id          INTEGER PRIMARY KEY,
	key         TEXT    NOT NULL UNIQUE,        -- idempotency key, e.g. reminder:2026-11-23
	kind        TEXT    NOT NULL CHECK (kind IN ('reminder', 'digest', 'draft', 'reply-help')),
	message_id  TEXT    NOT NULL,
	recipients  TEXT    NOT NULL DEFAULT '',
	subject     TEXT    NOT NULL DEFAULT '',
	covers      TEXT    NOT NULL DEFAULT '',    -- what it covers (e.g. stakeholder emails, ask ids), JSON
	body        BLOB,                           -- the rendered message, so a resend is byte-identical
	state       TEXT    NOT NULL CHECK (state IN ('planned', 'sent', 'failed')),
	attempts    INTEGER NOT NULL DEFAULT 0,
	last_error  TEXT    NOT NULL DEFAULT '',
	planned_at  INTEGER NOT NULL,
	done_at     INTEGER NOT NULL DEFAULT 0
);
INSERT INTO outbox_new (id, key, kind, message_id, recipients, subject, covers, body, state, attempts, last_error, planned_at, done_at)
	SELECT id, key, kind, message_id, recipients, subject, covers, body, state, attempts, last_error, planned_at, done_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_kind_state ON outbox (kind, state);
