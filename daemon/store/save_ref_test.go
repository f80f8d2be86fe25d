package store

import (
	"context"
	"fmt"
	"strings"
)

// refSaveMessages is SaveMessages as of 3759ed2, before it bound a
// chunk's folder, kind, project and UID validity once and kept its
// statements prepared: the reference the agreement tests compare with.
// It prepares no statement of its own (the full chunk's INSERT is run
// unprepared), which stores the same rows.
//
// SaveMessages stores a batch read from cur.Folder and advances its cursor in
// one transaction, so a crash never leaves the cursor ahead of the data. A
// message whose Message-ID is already stored for the same kind and project
// (Gmail's one message in many labels) is skipped.
//
// The rows go in refSaveChunk at a time, in one multi-row INSERT each (a
// first sync stores 50,000 of them: one statement a row spent more in
// binding, stepping and resetting than in SQLite's inserts), in the order
// given, so ids are what one INSERT a row gave. OR IGNORE skips a
// conflicting row of a multi-row INSERT alone, as it did a one-row one.
func refSaveMessages(ctx context.Context, s *Store, cur Cursor, msgs []Message) (inserted int, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	args := make([]any, 0, refInsertColumns*min(len(msgs), refSaveChunk))
	counts := map[[2]string]int{} // new rows by kind and project
	for len(msgs) > 0 {
		// A chunk is of one kind and project, so its RowsAffected is
		// their count.
		size := 1
		for size < min(len(msgs), refSaveChunk) && msgs[size].Kind == msgs[0].Kind && msgs[size].Project == msgs[0].Project {
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
				m.FromName, strings.ToLower(m.FromAddr), refJoinList(refLower(m.To)), refJoinList(refLower(m.Cc)), refJoinList(refLower(m.Bcc)),
				m.Subject, strings.Join(m.Flags, " "), m.AutoReply, m.Automated, m.Ask, unix(m.ReturnDate),
				m.Snippet, m.Visible, m.Health, refJoinList(m.BadWords))
		}
		res, err := tx.ExecContext(ctx, refInsertSQL(len(chunk)), args...)
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

// refSaveChunk is how many rows one INSERT of SaveMessages stores: 1,250
// parameters, well under SQLite's 32,766.
const refSaveChunk = 50

// refInsertColumns is how many columns SaveMessages writes a row.
const refInsertColumns = 25

// refInsertSQL is the INSERT of rows messages.
func refInsertSQL(rows int) string {
	var b strings.Builder
	b.WriteString(`INSERT OR IGNORE INTO messages
		(folder, kind, project, uid_validity, uid, message_id, in_reply_to, refs, date, internal_date,
		 from_name, from_addr, to_addrs, cc_addrs, bcc_addrs, subject, flags,
		 auto_reply, automated, ask, return_date, snippet, visible, health, bad_words) VALUES `)
	row := "(" + strings.Repeat("?,", refInsertColumns-1) + "?)"
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	return b.String()
}

func refJoinList(xs []string) string { return strings.Join(xs, ",") }

func refLower(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strings.ToLower(strings.TrimSpace(x))
	}
	return out
}
