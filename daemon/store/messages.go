package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Kinds of folder a message was read from.
const (
	KindSent    = "sent"
	KindInbox   = "inbox"
	KindProject = "project"
)

// Message is what leadup keeps of one message: headers, flags of interest
// and a bounded snippet and visible text, never the whole body.
type Message struct {
	ID           int64
	Folder       string
	Kind         string // KindSent, KindInbox or KindProject
	Project      string // for KindProject
	UIDValidity  uint32
	UID          uint32
	MessageID    string
	InReplyTo    string
	References   []string
	Date         time.Time
	InternalDate time.Time
	FromName     string
	FromAddr     string
	To, Cc, Bcc  []string
	Subject      string
	Flags        []string
	AutoReply    bool
	Automated    bool
	Ask          bool
	ReturnDate   time.Time
	Snippet      string
	Visible      string
	Health       string   // green, amber, red or unknown; "" when not read (older rows)
	BadWords     []string // the bad-news phrases behind Health
}

// Cursor is how far a folder has been read.
type Cursor struct {
	Folder        string
	UIDValidity   uint32
	LastUID       uint32
	HighestModSeq uint64
	SyncedAt      time.Time
}

// Cursor returns the folder's cursor; ok is false when it was never synced.
func (s *Store) Cursor(ctx context.Context, folder string) (c Cursor, ok bool, err error) {
	var synced int64
	err = s.db.QueryRowContext(ctx,
		`SELECT folder, uid_validity, last_uid, highest_modseq, synced_at FROM cursors WHERE folder = ?`, folder).
		Scan(&c.Folder, &c.UIDValidity, &c.LastUID, &c.HighestModSeq, &synced)
	if errors.Is(err, sql.ErrNoRows) {
		return Cursor{Folder: folder}, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("read cursor of %q: %w", folder, err)
	}
	c.SyncedAt = fromUnix(synced)
	return c, true, nil
}

// ResetFolder forgets everything read from folder, for a clean resync after
// its UIDVALIDITY changed.
func (s *Store) ResetFolder(ctx context.Context, folder string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM messages WHERE folder = ?`, folder); err != nil {
		return fmt.Errorf("reset %q: %w", folder, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM cursors WHERE folder = ?`, folder); err != nil {
		return fmt.Errorf("reset %q: %w", folder, err)
	}
	return tx.Commit()
}

// SaveMessages stores a batch read from cur.Folder and advances its cursor in
// one transaction, so a crash never leaves the cursor ahead of the data. A
// message whose Message-ID is already stored for the same kind and project
// (Gmail's one message in many labels) is skipped.
//
// The rows go in saveChunk at a time, in one multi-row INSERT each (a
// first sync stores 50,000 of them: one statement a row spent more in
// binding, stepping and resetting than in SQLite's inserts), in the order
// given, so ids are what one INSERT a row gave. OR IGNORE skips a
// conflicting row of a multi-row INSERT alone, as it did a one-row one.
func (s *Store) SaveMessages(ctx context.Context, cur Cursor, msgs []Message) (inserted int, err error) {
	full, err := s.insertStmt(ctx)
	if err != nil {
		return 0, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	args := make([]any, 0, insertColumns*min(len(msgs), saveChunk))
	counts := map[[2]string]int{} // new rows by kind and project
	for len(msgs) > 0 {
		// A chunk is of one kind and project, so its RowsAffected is
		// their count.
		size := 1
		for size < min(len(msgs), saveChunk) && msgs[size].Kind == msgs[0].Kind && msgs[size].Project == msgs[0].Project {
			size++
		}
		chunk := msgs[:size]
		msgs = msgs[size:]
		args = args[:0]
		for _, m := range chunk {
			folder := m.Folder
			if folder == "" {
				folder = cur.Folder
			}
			args = append(args, folder, m.Kind, m.Project, m.UIDValidity, m.UID,
				m.MessageID, m.InReplyTo, strings.Join(m.References, " "), unix(m.Date), unix(m.InternalDate),
				m.FromName, strings.ToLower(m.FromAddr), joinList(lower(m.To)), joinList(lower(m.Cc)), joinList(lower(m.Bcc)),
				m.Subject, strings.Join(m.Flags, " "), m.AutoReply, m.Automated, m.Ask, unix(m.ReturnDate),
				m.Snippet, m.Visible, m.Health, joinList(m.BadWords))
		}
		var res sql.Result
		if len(chunk) == saveChunk {
			res, err = tx.StmtContext(ctx, full).ExecContext(ctx, args...)
		} else {
			res, err = tx.ExecContext(ctx, insertSQL(len(chunk)), args...)
		}
		if err != nil {
			return 0, fmt.Errorf("store messages uid %d to %d of %q: %w", chunk[0].UID, chunk[len(chunk)-1].UID, cur.Folder, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, fmt.Errorf("store messages of %q: %w", cur.Folder, err)
		}
		inserted += int(n)
		counts[[2]string{chunk[0].Kind, chunk[0].Project}] += int(n)
	}
	for kp, n := range counts {
		if n == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO message_counts (kind, project, n) VALUES (?,?,?)
			ON CONFLICT (kind, project) DO UPDATE SET n = n + excluded.n`, kp[0], kp[1], n); err != nil {
			return 0, fmt.Errorf("count messages of %q: %w", cur.Folder, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO cursors (folder, uid_validity, last_uid, highest_modseq, synced_at)
		VALUES (?,?,?,?,?) ON CONFLICT (folder) DO UPDATE SET uid_validity = excluded.uid_validity,
		last_uid = max(cursors.last_uid, excluded.last_uid), highest_modseq = excluded.highest_modseq,
		synced_at = excluded.synced_at`,
		cur.Folder, cur.UIDValidity, cur.LastUID, cur.HighestModSeq, unix(cur.SyncedAt)); err != nil {
		return 0, fmt.Errorf("advance cursor of %q: %w", cur.Folder, err)
	}
	return inserted, tx.Commit()
}

// saveChunk is how many rows one INSERT of SaveMessages stores: 1,250
// parameters, well under SQLite's 32,766.
const saveChunk = 50

// insertColumns is how many columns SaveMessages writes a row.
const insertColumns = 25

// insertSQL is the INSERT of rows messages.
func insertSQL(rows int) string {
	var b strings.Builder
	b.WriteString(`INSERT OR IGNORE INTO messages
		(folder, kind, project, uid_validity, uid, message_id, in_reply_to, refs, date, internal_date,
		 from_name, from_addr, to_addrs, cc_addrs, bcc_addrs, subject, flags,
		 auto_reply, automated, ask, return_date, snippet, visible, health, bad_words) VALUES `)
	row := "(" + strings.Repeat("?,", insertColumns-1) + "?)"
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	return b.String()
}

// insertStmt is the INSERT of saveChunk rows, prepared once.
func (s *Store) insertStmt(ctx context.Context) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.insert == nil {
		st, err := s.db.PrepareContext(ctx, insertSQL(saveChunk))
		if err != nil {
			return nil, fmt.Errorf("prepare to store messages: %w", err)
		}
		s.insert = st
	}
	return s.insert, nil
}

// Filter selects messages. Zero fields match everything.
type Filter struct {
	Kind    string
	Project string
	Since   time.Time // Date >= Since
	Until   time.Time // Date < Until
	// RepliesTo keeps only messages whose In-Reply-To starts with it (the
	// replies to leadup's own mail), selected by the database.
	RepliesTo string
	// NoText leaves Visible empty, except on rows stored without a health
	// (older rows, whose health is read from the text): callers that need
	// only headers, snippet and health do not read up to 64 KiB a message.
	NoText bool
	// Human keeps only mail a person wrote: no auto-replies, nothing
	// automated.
	Human bool
	// SaysHealth leaves out the messages whose stored health is unknown
	// (rows stored without a health are kept: theirs is not read yet).
	SaysHealth bool
	// Newest returns the newest first instead of the oldest.
	Newest bool
}

// messageColumns lists what Messages reads; %s is the visible text's
// column, or an expression that leaves it out.
const messageColumns = `id, folder, kind, project, uid_validity, uid, message_id, in_reply_to, refs, date, internal_date,
	from_name, from_addr, to_addrs, cc_addrs, bcc_addrs, subject, flags, auto_reply, automated, ask, return_date, snippet, %s,
	health, bad_words`

// Messages returns the messages matching f, oldest first (newest first
// with f.Newest).
//
// It holds them all at once (a reminder reads 60 days of a label's news,
// ten thousand rows in a benchmark's), so it reads them leaner than
// EachMessage: in the kind-project-date index's order, sorted here only
// if they span projects, instead of through SQLite's sorter (which held
// every row's record a second time in its own memory), and with the
// values that repeat from row to row (folder, kind, sender, subject, ...)
// held once.
func (s *Store) Messages(ctx context.Context, f Filter) ([]Message, error) {
	// Counted first, so the slice is made once at its size: grown by
	// append it was up to a quarter too big, and each growth held the old
	// and the new array at once. The count only sizes it: rows stored in
	// between are still read.
	where, args := f.where()
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM messages WHERE `+where, args...).Scan(&n); err != nil {
		return nil, fmt.Errorf("count messages: %w", err)
	}
	var out []Message // nil when there are none, as before
	if n > 0 {
		out = make([]Message, 0, n)
	}
	in := interner{}
	byProject := f.Kind != "" && f.Project == ""
	err := s.eachMessage(ctx, f, byProject, &in, func(m Message) bool {
		out = append(out, m)
		return true
	})
	if err != nil {
		return nil, err
	}
	if byProject {
		// The same order as ORDER BY date, id (ids are unique), or its
		// reverse.
		cmp := func(a, b Message) int {
			if c := a.Date.Compare(b.Date); c != 0 {
				return c
			}
			return cmpInt(a.ID, b.ID)
		}
		if f.Newest {
			asc := cmp
			cmp = func(a, b Message) int { return asc(b, a) }
		}
		if !slices.IsSortedFunc(out, cmp) {
			slices.SortFunc(out, cmp)
		}
	}
	return out, nil
}

// where is the WHERE clause selecting f's messages, and its arguments.
func (f Filter) where() (string, []any) {
	q := `1=1`
	var args []any
	if f.RepliesTo != "" {
		q += ` AND in_reply_to != '' AND substr(in_reply_to, 1, length(?)) = ?`
		args = append(args, f.RepliesTo, f.RepliesTo)
	}
	if f.Kind != "" {
		q += ` AND kind = ?`
		args = append(args, f.Kind)
	}
	if f.Project != "" {
		q += ` AND project = ?`
		args = append(args, f.Project)
	}
	if !f.Since.IsZero() {
		q += ` AND date >= ?`
		args = append(args, f.Since.Unix())
	}
	if !f.Until.IsZero() {
		q += ` AND date < ?`
		args = append(args, f.Until.Unix())
	}
	if f.Human {
		q += ` AND automated = 0 AND auto_reply = 0`
	}
	if f.SaysHealth {
		q += ` AND health != 'unknown'`
	}
	return q, args
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// interner holds one copy of each value that repeats from row to row,
// so a slice of messages keeps one "Bench" and one sender's address per
// distinct value rather than one per row. It stops taking new values at
// internMax: beyond it a field is too varied to be worth the lookups.
type interner map[string]string

const internMax = 4096

func (in *interner) of(s string) string {
	if s == "" || *in == nil {
		return s
	}
	if v, ok := (*in)[s]; ok {
		return v
	}
	if len(*in) < internMax {
		(*in)[s] = s
	}
	return s
}

// EachMessage calls fn with each message matching f, in Messages' order,
// until fn returns false: a caller after the first few that qualify reads
// no further rows.
func (s *Store) EachMessage(ctx context.Context, f Filter, fn func(Message) bool) error {
	return s.eachMessage(ctx, f, false, nil, fn)
}

// eachMessage is EachMessage; byProject orders the rows by project first
// (f.Kind set: the index's own order, no sorting), and in, when not nil,
// holds the repeating values once.
func (s *Store) eachMessage(ctx context.Context, f Filter, byProject bool, in *interner, fn func(Message) bool) error {
	visible := "visible"
	if f.NoText {
		visible = "CASE WHEN health = '' THEN visible ELSE '' END"
	}
	where, args := f.where()
	q := `SELECT ` + fmt.Sprintf(messageColumns, visible) + ` FROM messages WHERE ` + where
	switch {
	case byProject && f.Newest:
		q += ` ORDER BY project DESC, date DESC, id DESC`
	case byProject:
		q += ` ORDER BY project, date, id`
	case f.Newest:
		q += ` ORDER BY date DESC, id DESC`
	default:
		q += ` ORDER BY date, id`
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("read messages: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m Message
		var refs, to, cc, bcc, flags, bad string
		var date, idate, ret int64
		if err := rows.Scan(&m.ID, &m.Folder, &m.Kind, &m.Project, &m.UIDValidity, &m.UID, &m.MessageID, &m.InReplyTo,
			&refs, &date, &idate, &m.FromName, &m.FromAddr, &to, &cc, &bcc, &m.Subject, &flags,
			&m.AutoReply, &m.Automated, &m.Ask, &ret, &m.Snippet, &m.Visible, &m.Health, &bad); err != nil {
			return err
		}
		if in != nil {
			m.Folder, m.Kind, m.Project, m.Health = in.of(m.Folder), in.of(m.Kind), in.of(m.Project), in.of(m.Health)
			m.FromName, m.FromAddr, m.Subject = in.of(m.FromName), in.of(m.FromAddr), in.of(m.Subject)
			to, cc, bcc, flags, bad = in.of(to), in.of(cc), in.of(bcc), in.of(flags), in.of(bad)
		}
		m.References = strings.Fields(refs)
		m.Flags = strings.Fields(flags)
		m.To, m.Cc, m.Bcc, m.BadWords = splitList(to), splitList(cc), splitList(bcc), splitList(bad)
		m.Date, m.InternalDate, m.ReturnDate = fromUnix(date), fromUnix(idate), fromUnix(ret)
		if !fn(m) {
			break
		}
	}
	return rows.Err()
}

// CountMessages counts a folder kind's messages for a project and returns
// the newest one's date: one row of message_counts (kept by triggers) and
// one step down the kind-project-date index, however many messages.
func (s *Store) CountMessages(ctx context.Context, kind, project string) (n int, last time.Time, err error) {
	var l sql.NullInt64
	err = s.db.QueryRowContext(ctx, `SELECT coalesce((SELECT n FROM message_counts WHERE kind = ? AND project = ?), 0),
		(SELECT max(date) FROM messages WHERE kind = ? AND project = ?)`, kind, project, kind, project).Scan(&n, &l)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("count messages: %w", err)
	}
	return n, fromUnix(l.Int64), nil
}

func lower(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strings.ToLower(strings.TrimSpace(x))
	}
	return out
}
