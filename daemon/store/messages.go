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
	st, err := s.saveStmts(ctx)
	if err != nil {
		return 0, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	args := make([]any, 0, sharedColumns+rowColumns*min(len(msgs), saveChunk))
	var counts []kindCount // new rows by kind and project, in the order met
	for len(msgs) > 0 {
		size := chunkSize(msgs, cur.Folder)
		chunk := msgs[:size]
		msgs = msgs[size:]
		m0 := chunk[0]
		args = append(args[:0], folderOf(m0, cur.Folder), m0.Kind, m0.Project, int64(m0.UIDValidity))
		for _, m := range chunk {
			args = appendRow(args, m)
		}
		var res sql.Result
		if len(chunk) == saveChunk {
			res, err = tx.StmtContext(ctx, st.insert).ExecContext(ctx, args...)
		} else {
			res, err = tx.ExecContext(ctx, insertSQL(len(chunk)), args...)
		}
		if err != nil {
			return 0, fmt.Errorf("store messages uid %d to %d of %q: %w", m0.UID, chunk[len(chunk)-1].UID, cur.Folder, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, fmt.Errorf("store messages of %q: %w", cur.Folder, err)
		}
		inserted += int(n)
		counts = addCount(counts, m0.Kind, m0.Project, int(n))
	}
	for _, c := range counts {
		if c.n == 0 {
			continue
		}
		if _, err := tx.StmtContext(ctx, st.count).ExecContext(ctx, c.kind, c.project, int64(c.n)); err != nil {
			return 0, fmt.Errorf("count messages of %q: %w", cur.Folder, err)
		}
	}
	if _, err := tx.StmtContext(ctx, st.cursor).ExecContext(ctx,
		cur.Folder, int64(cur.UIDValidity), int64(cur.LastUID), cur.HighestModSeq, unix(cur.SyncedAt)); err != nil {
		return 0, fmt.Errorf("advance cursor of %q: %w", cur.Folder, err)
	}
	return inserted, tx.Commit()
}

// chunkSize is how many of msgs, up to saveChunk, go in the next INSERT:
// the first message and those after it of the same folder, kind, project
// and UID validity, which the INSERT binds once for all its rows. One
// kind and project also makes its RowsAffected their count.
func chunkSize(msgs []Message, folder string) int {
	m0 := msgs[0]
	f0 := folderOf(m0, folder)
	size := 1
	for size < min(len(msgs), saveChunk) {
		m := msgs[size]
		if m.Kind != m0.Kind || m.Project != m0.Project || m.UIDValidity != m0.UIDValidity || folderOf(m, folder) != f0 {
			break
		}
		size++
	}
	return size
}

// folderOf is the folder m is stored under: its own, else the cursor's.
func folderOf(m Message, cursor string) string {
	if m.Folder == "" {
		return cursor
	}
	return m.Folder
}

// appendRow appends the rowColumns values of m's row, in insertSQL's
// order. The integers go as int64, the type database/sql passes on as
// it is: a uint32 it converts through reflection, boxed a second time.
func appendRow(args []any, m Message) []any {
	return append(args, int64(m.UID),
		m.MessageID, m.InReplyTo, strings.Join(m.References, " "), unix(m.Date), unix(m.InternalDate),
		m.FromName, strings.ToLower(m.FromAddr), lowerList(m.To), lowerList(m.Cc), lowerList(m.Bcc),
		m.Subject, strings.Join(m.Flags, " "), m.AutoReply, m.Automated, m.Ask, unix(m.ReturnDate),
		m.Snippet, m.Visible, m.Health, joinList(m.BadWords))
}

// kindCount is how many rows a batch added to a kind and project.
type kindCount struct {
	kind, project string
	n             int
}

// addCount adds n to the kind and project's count in counts: a batch
// holds one or a few, so a slice, not a map.
func addCount(counts []kindCount, kind, project string, n int) []kindCount {
	for i := range counts {
		if counts[i].kind == kind && counts[i].project == project {
			counts[i].n += n
			return counts
		}
	}
	return append(counts, kindCount{kind, project, n})
}

// saveChunk is how many rows one INSERT of SaveMessages stores: 1,054
// parameters, well under SQLite's 32,766. 100 or 200 rows were no
// faster.
const saveChunk = 50

// sharedColumns are the columns of SaveMessages' rows bound once an
// INSERT (folder, kind, project, uid_validity), rowColumns those bound
// for each row.
const (
	sharedColumns = 4
	rowColumns    = 21
)

// insertSQL is the INSERT of rows messages. Each row names the shared
// values ?1 to ?4; its own are plain "?", which SQLite numbers from
// the largest number used so far, so they are ?5 onwards in order: the
// arguments are the four shared values, then rowColumns for each row.
// Binding the shared ones once spares four of the 25 bindings a row
// (each a C string copied, a mutex taken and, for text, unbound after).
func insertSQL(rows int) string {
	var b strings.Builder
	b.WriteString(`INSERT OR IGNORE INTO messages
		(folder, kind, project, uid_validity, uid, message_id, in_reply_to, refs, date, internal_date,
		 from_name, from_addr, to_addrs, cc_addrs, bcc_addrs, subject, flags,
		 auto_reply, automated, ask, return_date, snippet, visible, health, bad_words) VALUES `)
	row := "(?1,?2,?3,?4" + strings.Repeat(",?", rowColumns) + ")"
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	return b.String()
}

// SaveMessages' statements besides a short chunk's INSERT: prepared
// once, not parsed again for every batch.
const (
	countSQL = `INSERT INTO message_counts (kind, project, n) VALUES (?,?,?)
		ON CONFLICT (kind, project) DO UPDATE SET n = n + excluded.n`
	cursorSQL = `INSERT INTO cursors (folder, uid_validity, last_uid, highest_modseq, synced_at)
		VALUES (?,?,?,?,?) ON CONFLICT (folder) DO UPDATE SET uid_validity = excluded.uid_validity,
		last_uid = max(cursors.last_uid, excluded.last_uid), highest_modseq = excluded.highest_modseq,
		synced_at = excluded.synced_at`
)

// saveStatements are SaveMessages' prepared statements.
type saveStatements struct {
	insert *sql.Stmt // a full chunk's INSERT
	count  *sql.Stmt // countSQL
	cursor *sql.Stmt // cursorSQL
}

func (st *saveStatements) close() {
	for _, p := range []**sql.Stmt{&st.insert, &st.count, &st.cursor} {
		if *p != nil {
			(*p).Close()
			*p = nil
		}
	}
}

// saveStmts returns SaveMessages' statements, prepared on first use: a
// copy, so a Close meanwhile makes them fail ("statement is closed")
// rather than nil.
func (s *Store) saveStmts(ctx context.Context) (saveStatements, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.save.insert != nil {
		return s.save, nil
	}
	var st saveStatements
	for _, p := range []struct {
		stmt  **sql.Stmt
		query string
	}{{&st.insert, insertSQL(saveChunk)}, {&st.count, countSQL}, {&st.cursor, cursorSQL}} {
		var err error
		if *p.stmt, err = s.db.PrepareContext(ctx, p.query); err != nil {
			st.close()
			return saveStatements{}, fmt.Errorf("prepare to store messages: %w", err)
		}
	}
	s.save = st
	return st, nil
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

// lowerList is joinList of the addresses xs, each lowercased and
// trimmed, written at once: no slice of the lowered addresses first, and
// a lone address (most To and Cc lists) is only lowered.
func lowerList(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return strings.ToLower(strings.TrimSpace(xs[0]))
	}
	var b strings.Builder
	for i, x := range xs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strings.ToLower(strings.TrimSpace(x)))
	}
	return b.String()
}
