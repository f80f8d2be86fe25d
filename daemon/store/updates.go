package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Update sources.
const (
	SourceMail    = "mail"
	SourceCheckin = "checkin"
	SourceReply   = "reply"
)

// Update is one update given to a stakeholder.
type Update struct {
	Email     string
	At        time.Time
	Source    string
	MessageID string // for mail and reply; makes AddUpdate idempotent
	Subject   string
	Note      string
	CreatedAt time.Time
}

// AddUpdate records an update. Recording the same mail twice is a no-op.
func (s *Store) AddUpdate(ctx context.Context, u Update) (added bool, err error) {
	res, err := s.db.ExecContext(ctx, `INSERT OR IGNORE INTO updates (email, at, source, message_id, subject, note, created_at)
		VALUES (?,?,?,?,?,?,?)`, strings.ToLower(u.Email), unix(u.At), u.Source, u.MessageID, u.Subject, u.Note, unix(u.CreatedAt))
	if err != nil {
		return false, fmt.Errorf("record update for %s: %w", u.Email, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// Updates returns every update, oldest first.
func (s *Store) Updates(ctx context.Context) ([]Update, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT email, at, source, message_id, subject, note, created_at FROM updates ORDER BY at, id`)
	if err != nil {
		return nil, fmt.Errorf("read updates: %w", err)
	}
	defer rows.Close()
	var out []Update
	for rows.Next() {
		var u Update
		var at, created int64
		if err := rows.Scan(&u.Email, &at, &u.Source, &u.MessageID, &u.Subject, &u.Note, &created); err != nil {
			return nil, err
		}
		u.At, u.CreatedAt = fromUnix(at), fromUnix(created)
		out = append(out, u)
	}
	return out, rows.Err()
}

// Pause holds a stakeholder's cadence (or everyone's, when Email is "")
// until a time: a snooze, a skip, an away reply, an out-of-office.
type Pause struct {
	Email     string
	Until     time.Time
	Reason    string
	MessageID string
	CreatedAt time.Time
}

// AddPause records a pause; the same message recorded twice is a no-op.
func (s *Store) AddPause(ctx context.Context, p Pause) error {
	_, err := s.db.ExecContext(ctx, `INSERT OR IGNORE INTO pauses (email, until, reason, message_id, created_at) VALUES (?,?,?,?,?)`,
		strings.ToLower(p.Email), unix(p.Until), p.Reason, p.MessageID, unix(p.CreatedAt))
	if err != nil {
		return fmt.Errorf("record pause: %w", err)
	}
	return nil
}

// Pauses returns the pauses that end after t.
func (s *Store) Pauses(ctx context.Context, after time.Time) ([]Pause, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT email, until, reason, message_id, created_at FROM pauses WHERE until > ? ORDER BY until`, unix(after))
	if err != nil {
		return nil, fmt.Errorf("read pauses: %w", err)
	}
	defer rows.Close()
	var out []Pause
	for rows.Next() {
		var p Pause
		var until, created int64
		if err := rows.Scan(&p.Email, &until, &p.Reason, &p.MessageID, &created); err != nil {
			return nil, err
		}
		p.Until, p.CreatedAt = fromUnix(until), fromUnix(created)
		out = append(out, p)
	}
	return out, rows.Err()
}

// MarkReplyHandled records that the reply messageID was acted on. It returns
// false when it already was, so a reply is never applied twice.
func (s *Store) MarkReplyHandled(ctx context.Context, messageID, command string, at time.Time) (first bool, err error) {
	res, err := s.db.ExecContext(ctx, `INSERT OR IGNORE INTO handled_replies (message_id, command, handled_at) VALUES (?,?,?)`,
		messageID, command, unix(at))
	if err != nil {
		return false, fmt.Errorf("record handled reply: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// UpdatesFromSent records an update to email for every stored sent mail from
// one of the user's addresses with email among its recipients (To, Cc or
// Bcc). Auto-replies do not count. Running it again adds nothing new.
func (s *Store) UpdatesFromSent(ctx context.Context, me []string, email string, now time.Time) (int, error) {
	if len(me) == 0 {
		return 0, nil
	}
	q := `INSERT OR IGNORE INTO updates (email, at, source, message_id, subject, created_at)
		SELECT ?, date, 'mail',
			CASE WHEN message_id != '' THEN message_id ELSE folder || ':' || uid_validity || ':' || uid END,
			subject, ?
		FROM messages
		WHERE kind = 'sent' AND auto_reply = 0
		AND from_addr IN (?` + strings.Repeat(",?", len(me)-1) + `)
		AND instr(',' || to_addrs || ',' || cc_addrs || ',' || bcc_addrs || ',', ',' || ? || ',') > 0`
	email = strings.ToLower(email)
	args := []any{email, unix(now)}
	for _, m := range me {
		args = append(args, strings.ToLower(m))
	}
	args = append(args, email)
	res, err := s.db.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("derive updates to %s: %w", email, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// ReplyHandled reports whether the reply messageID was already acted on.
func (s *Store) ReplyHandled(ctx context.Context, messageID string) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM handled_replies WHERE message_id = ?`, messageID).Scan(&n); err != nil {
		return false, fmt.Errorf("read handled replies: %w", err)
	}
	return n > 0, nil
}
