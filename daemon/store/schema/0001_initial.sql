-- Messages read from the mailbox. One row per (folder, UIDVALIDITY, UID);
-- the same Message-ID in two Gmail labels is stored once per kind and project.
CREATE TABLE messages (
	id            INTEGER PRIMARY KEY,
	folder        TEXT    NOT NULL,
	kind          TEXT    NOT NULL CHECK (kind IN ('sent', 'inbox', 'project')),
	project       TEXT    NOT NULL DEFAULT '',
	uid_validity  INTEGER NOT NULL,
	uid           INTEGER NOT NULL,
	message_id    TEXT    NOT NULL DEFAULT '',
	in_reply_to   TEXT    NOT NULL DEFAULT '',
	refs          TEXT    NOT NULL DEFAULT '',  -- space-separated Message-IDs
	date          INTEGER NOT NULL,             -- Unix seconds: Date header, else internal date
	internal_date INTEGER NOT NULL,
	from_name     TEXT    NOT NULL DEFAULT '',
	from_addr     TEXT    NOT NULL DEFAULT '',  -- lowercased
	to_addrs      TEXT    NOT NULL DEFAULT '',  -- lowercased, comma-separated
	cc_addrs      TEXT    NOT NULL DEFAULT '',
	bcc_addrs     TEXT    NOT NULL DEFAULT '',
	subject       TEXT    NOT NULL DEFAULT '',
	flags         TEXT    NOT NULL DEFAULT '',  -- flags of interest, space-separated
	auto_reply    INTEGER NOT NULL DEFAULT 0,
	automated     INTEGER NOT NULL DEFAULT 0,
	ask           INTEGER NOT NULL DEFAULT 0,
	return_date   INTEGER NOT NULL DEFAULT 0,   -- out-of-office return, Unix seconds, 0 if none
	snippet       TEXT    NOT NULL DEFAULT '',
	visible       TEXT    NOT NULL DEFAULT '',  -- the sender's own text, bounded
	UNIQUE (folder, uid_validity, uid)
);
CREATE UNIQUE INDEX messages_dedupe ON messages (kind, project, message_id) WHERE message_id != '';
CREATE INDEX messages_kind_date ON messages (kind, project, date);
CREATE INDEX messages_in_reply_to ON messages (in_reply_to) WHERE in_reply_to != '';

-- Per-folder sync cursors.
CREATE TABLE cursors (
	folder         TEXT    PRIMARY KEY,
	uid_validity   INTEGER NOT NULL,
	last_uid       INTEGER NOT NULL DEFAULT 0,
	highest_modseq INTEGER NOT NULL DEFAULT 0,
	synced_at      INTEGER NOT NULL DEFAULT 0
);

-- Updates given to a stakeholder: a sent mail, a `leadup checkin`, or a
-- "done" reply to a reminder.
CREATE TABLE updates (
	id          INTEGER PRIMARY KEY,
	email       TEXT    NOT NULL,               -- the stakeholder, lowercased
	at          INTEGER NOT NULL,
	source      TEXT    NOT NULL CHECK (source IN ('mail', 'checkin', 'reply')),
	message_id  TEXT    NOT NULL DEFAULT '',
	subject     TEXT    NOT NULL DEFAULT '',
	note        TEXT    NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX updates_once ON updates (email, source, message_id) WHERE message_id != '';
CREATE INDEX updates_email_at ON updates (email, at);

-- Asks: a stakeholder's mail to the user asking for status. Open until the
-- user's next update to that stakeholder (computed, not stored).
CREATE VIEW asks AS
	SELECT id, from_addr AS email, date AS at, message_id, subject, snippet
	FROM messages WHERE kind = 'inbox' AND ask = 1 AND auto_reply = 0;

-- Pauses of a stakeholder's cadence: snooze, skip, away, out of office.
CREATE TABLE pauses (
	id         INTEGER PRIMARY KEY,
	email      TEXT    NOT NULL DEFAULT '',     -- '' means everyone
	until      INTEGER NOT NULL,
	reason     TEXT    NOT NULL,
	message_id TEXT    NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX pauses_once ON pauses (email, reason, message_id) WHERE message_id != '';

-- Replies to leadup's reminders that were already acted on.
CREATE TABLE handled_replies (
	message_id TEXT    PRIMARY KEY,
	command    TEXT    NOT NULL,
	handled_at INTEGER NOT NULL
);

-- Every mail leadup sends or drafts. The row is written (planned) before the
-- side effect and confirmed (sent) after, so a crash never sends twice and
-- never forgets to send.
CREATE TABLE outbox (
	id          INTEGER PRIMARY KEY,
	key         TEXT    NOT NULL UNIQUE,        -- idempotency key, e.g. reminder:2026-11-23
	kind        TEXT    NOT NULL CHECK (kind IN ('reminder', 'digest', 'draft')),
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
CREATE INDEX outbox_kind_state ON outbox (kind, state);
