package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Outbox states.
const (
	StatePlanned = "planned"
	StateSent    = "sent"
	StateFailed  = "failed"
)

// Outbox kinds.
const (
	OutReminder = "reminder"
	OutDigest   = "digest"
	OutDraft    = "draft"
)

// Outbox is one mail leadup sends or drafts.
type Outbox struct {
	ID         int64  // the row's number, shown by status for retry and dismiss
	Key        string // idempotency key
	Kind       string
	MessageID  string
	Recipients string
	Subject    string
	Covers     string // what it covers, JSON
	Body       []byte // the rendered message
	State      string
	Attempts   int
	LastError  string
	PlannedAt  time.Time
	DoneAt     time.Time
	// DismissedAt is when the user dismissed a failed row (zero if not):
	// status no longer lists it.
	DismissedAt time.Time
}

const outboxColumns = `id, key, kind, message_id, recipients, subject, covers, body, state, attempts, last_error, planned_at, done_at, dismissed_at`

func scanOutbox(sc interface{ Scan(...any) error }) (Outbox, error) {
	var o Outbox
	var planned, done, dismissed int64
	err := sc.Scan(&o.ID, &o.Key, &o.Kind, &o.MessageID, &o.Recipients, &o.Subject, &o.Covers, &o.Body, &o.State,
		&o.Attempts, &o.LastError, &planned, &done, &dismissed)
	o.PlannedAt, o.DoneAt, o.DismissedAt = fromUnix(planned), fromUnix(done), fromUnix(dismissed)
	return o, err
}

// Plan records the intent to send o (state planned) before anything is sent.
// When the key is already recorded it returns the existing row and
// created=false: the caller must then resume that row (resend the same body
// with the same Message-ID if still planned) instead of making a new one.
func (s *Store) Plan(ctx context.Context, o Outbox) (Outbox, bool, error) {
	res, err := s.db.ExecContext(ctx, `INSERT OR IGNORE INTO outbox (key, kind, message_id, recipients, subject, covers, body, state, planned_at)
		VALUES (?,?,?,?,?,?,?,?,?)`, o.Key, o.Kind, o.MessageID, o.Recipients, o.Subject, o.Covers, o.Body, StatePlanned, unix(o.PlannedAt))
	if err != nil {
		return Outbox{}, false, fmt.Errorf("plan %s: %w", o.Key, err)
	}
	n, _ := res.RowsAffected()
	got, err := s.OutboxByKey(ctx, o.Key)
	return got, n > 0, err
}

// OutboxByKey returns the outbox row with key.
func (s *Store) OutboxByKey(ctx context.Context, key string) (Outbox, error) {
	o, err := scanOutbox(s.db.QueryRowContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE key = ?`, key))
	if errors.Is(err, sql.ErrNoRows) {
		return Outbox{}, fmt.Errorf("outbox %s: %w", key, err)
	}
	return o, err
}

// OutboxList returns the rows of a kind (all kinds if ""), in a state (all
// if ""), oldest first.
func (s *Store) OutboxList(ctx context.Context, kind, state string) ([]Outbox, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox
		WHERE (? = '' OR kind = ?) AND (? = '' OR state = ?) ORDER BY planned_at, id`, kind, kind, state, state)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	var out []Outbox
	for rows.Next() {
		o, err := scanOutbox(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// OutboxByMessageID returns the outbox row that sent messageID, for replies.
func (s *Store) OutboxByMessageID(ctx context.Context, messageID string) (Outbox, bool, error) {
	o, err := scanOutbox(s.db.QueryRowContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE message_id = ?`, messageID))
	if errors.Is(err, sql.ErrNoRows) {
		return Outbox{}, false, nil
	}
	if err != nil {
		return Outbox{}, false, fmt.Errorf("find outbox row for %s: %w", messageID, err)
	}
	return o, true, nil
}

// Record counts attempts more attempts at key (SendRetry may make several
// in one delivery) and, with state sent or failed, moves it there, in one
// statement: once a server has accepted a mail, a single write makes it
// sent (no window between "attempted" and "sent").
func (s *Store) Record(ctx context.Context, key string, attempts int, attemptErr error, state string, at time.Time) error {
	msg := ""
	if attemptErr != nil {
		msg = attemptErr.Error()
	}
	done := int64(0)
	if state != StatePlanned {
		done = unix(at)
	}
	_, err := s.db.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + ?, last_error = ?, state = ?, done_at = ? WHERE key = ?`,
		max(attempts, 0), msg, state, done, key)
	if err != nil {
		return fmt.Errorf("record %s as %s: %w", key, state, err)
	}
	return nil
}

// OutboxByID returns the outbox row numbered id (Outbox.ID, as status
// shows it).
func (s *Store) OutboxByID(ctx context.Context, id int64) (Outbox, bool, error) {
	o, err := scanOutbox(s.db.QueryRowContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Outbox{}, false, nil
	}
	if err != nil {
		return Outbox{}, false, fmt.Errorf("read outbox row %d: %w", id, err)
	}
	return o, true, nil
}

// Retry makes the failed row key planned again, with no attempts on
// record and note as its last error (what status shows while it waits):
// the next cycle resumes it, looking for it in the mailbox before sending,
// as for any unconfirmed mail. It reports whether a failed row was there.
func (s *Store) Retry(ctx context.Context, key, note string) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE outbox SET state = ?, attempts = 0, last_error = ?, done_at = 0, dismissed_at = 0
		WHERE key = ? AND state = ?`, StatePlanned, note, key, StateFailed)
	if err != nil {
		return false, fmt.Errorf("retry %s: %w", key, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// Dismiss marks the row key dismissed at at, so status stops listing it.
// A planned row is failed first (with note as its error): a dismissed mail
// is never sent. A sent row is left alone. It reports whether a row was
// dismissed.
func (s *Store) Dismiss(ctx context.Context, key, note string, at time.Time) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE outbox SET
		last_error = CASE WHEN state = ? THEN ? ELSE last_error END,
		done_at = CASE WHEN state = ? THEN ? ELSE done_at END,
		state = ?, dismissed_at = ?
		WHERE key = ? AND state != ?`,
		StatePlanned, note, StatePlanned, unix(at), StateFailed, unix(at), key, StateSent)
	if err != nil {
		return false, fmt.Errorf("dismiss %s: %w", key, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}
