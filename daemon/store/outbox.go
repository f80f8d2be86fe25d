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
}

const outboxColumns = `key, kind, message_id, recipients, subject, covers, body, state, attempts, last_error, planned_at, done_at`

func scanOutbox(sc interface{ Scan(...any) error }) (Outbox, error) {
	var o Outbox
	var planned, done int64
	err := sc.Scan(&o.Key, &o.Kind, &o.MessageID, &o.Recipients, &o.Subject, &o.Covers, &o.Body, &o.State,
		&o.Attempts, &o.LastError, &planned, &done)
	o.PlannedAt, o.DoneAt = fromUnix(planned), fromUnix(done)
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
