package store

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// refMessages is Messages as it was before it read in index order and
// held repeating values once: EachMessage's rows, collected.
func refMessages(ctx context.Context, s *Store, f Filter) ([]Message, error) {
	var out []Message
	err := s.EachMessage(ctx, f, func(m Message) bool {
		out = append(out, m)
		return true
	})
	return out, err
}

// agreeStore holds messages of three projects, two inbox and sent
// folders, interleaved in time with dates shared across projects (the
// order's tie-break is the id), a few without a health, some automated.
func agreeStore(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	s := open(t)
	at := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	msgs := benchMessages(900)
	projects := []string{"Apollo", "Zephyr", "Bench"}
	for p, project := range projects {
		var batch []Message
		for i := p; i < len(msgs); i += len(projects) {
			m := msgs[i]
			m.Folder, m.Project, m.MessageID = "Status/"+project, project, fmt.Sprintf("%s-%d@x", project, i)
			m.Date = at.Add(time.Duration(i/7) * time.Hour) // ties within and across projects
			m.Automated = i%11 == 0
			m.AutoReply = i%13 == 0
			if i%17 == 0 {
				m.Health = ""
			}
			switch i % 10 {
			case 1:
				m.Kind, m.Project, m.Folder = KindInbox, "", "INBOX"
			case 2:
				m.Kind, m.Project, m.Folder = KindSent, "", "Sent"
				m.InReplyTo = fmt.Sprintf("<leadup.reminder.%d@example.com>", i)
			}
			batch = append(batch, m)
		}
		// Batches of mixed kinds: SaveMessages cuts its INSERTs at each
		// change of kind or project.
		for i := 0; i < len(batch); i += 37 {
			end := min(i+37, len(batch))
			if _, err := s.SaveMessages(ctx, Cursor{Folder: "Status/" + project, UIDValidity: 1, LastUID: batch[end-1].UID}, batch[i:end]); err != nil {
				t.Fatal(err)
			}
		}
	}
	return s
}

// TestMessagesAgrees compares Messages with refMessages on every filter
// shape the daemon reads with.
func TestMessagesAgrees(t *testing.T) {
	ctx := context.Background()
	s := agreeStore(t)
	at := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	var filters []Filter
	for _, kind := range []string{"", KindProject, KindInbox, KindSent} {
		for _, project := range []string{"", "Zephyr", "Nobody"} {
			for _, newest := range []bool{false, true} {
				for _, f := range []Filter{
					{},
					{NoText: true},
					{Since: at.Add(20 * time.Hour), Until: at.Add(80 * time.Hour), NoText: true, Human: true},
					{Until: at.Add(50 * time.Hour), Human: true},
					{Since: at.Add(10 * time.Hour), SaysHealth: true, Human: true, NoText: true},
					{RepliesTo: "<leadup."},
					{RepliesTo: "<leadup.reminder.1", Since: at},
				} {
					f.Kind, f.Project, f.Newest = kind, project, newest
					filters = append(filters, f)
				}
			}
		}
	}
	for _, f := range filters {
		got, err := s.Messages(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		want, err := refMessages(ctx, s, f)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%+v: Messages gives %d rows, EachMessage %d, or in another order or with other values", f, len(got), len(want))
		}
	}
}

// TestSaveMessagesCounts: the counts SaveMessages keeps without the
// insert trigger are the rows' own, after duplicates, mixed kinds and
// batches that span INSERTs.
func TestSaveMessagesCounts(t *testing.T) {
	ctx := context.Background()
	s := agreeStore(t)
	checkCounts(t, s)
	msgs, err := s.Messages(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range msgs {
		msgs[i].UID += 10000 // a new UID, the same Message-ID: skipped when it has one
	}
	n, err := s.SaveMessages(ctx, Cursor{Folder: "Status/Apollo", UIDValidity: 1}, msgs)
	if err != nil || n != 0 {
		t.Fatalf("saving every message again: %d inserted (%v), want 0", n, err)
	}
	checkCounts(t, s)
	if err := s.ResetFolder(ctx, "Status/Zephyr"); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, s)
}

// checkCounts compares message_counts with the rows themselves.
func checkCounts(t *testing.T, s *Store) {
	t.Helper()
	rows, err := s.db.Query(`SELECT kind, project, count(*), coalesce((SELECT n FROM message_counts c WHERE c.kind = m.kind AND c.project = m.project), -1)
		FROM messages m GROUP BY kind, project`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var kind, project string
		var n, kept int
		if err := rows.Scan(&kind, &project, &n, &kept); err != nil {
			t.Fatal(err)
		}
		seen++
		if n != kept {
			t.Errorf("%s %q: %d rows, message_counts says %d", kind, project, n, kept)
		}
	}
	if seen == 0 {
		t.Fatal("no messages")
	}
	var stray int
	if err := s.db.QueryRow(`SELECT count(*) FROM message_counts c WHERE n != 0 AND NOT EXISTS
		(SELECT 1 FROM messages m WHERE m.kind = c.kind AND m.project = c.project)`).Scan(&stray); err != nil || stray != 0 {
		t.Errorf("%d counts of no messages (%v)", stray, err)
	}
}

// TestMigrateToBatchCounts opens a database a leadup of schema 6 wrote
// (its insert trigger kept the counts) and goes on storing into it.
func TestMigrateToBatchCounts(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	// Back to schema 6, as that leadup left it, with its rows.
	migs, _ := migrations()
	if _, err := s.db.Exec(migs[5] + `; PRAGMA user_version = 6`); err != nil { // 0006 restores the trigger
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`CREATE INDEX messages_in_reply_to ON messages (in_reply_to) WHERE in_reply_to != ''`); err != nil {
		t.Fatal(err)
	}
	// Rows as that leadup stored them, one INSERT each, counted by the
	// trigger.
	old := benchMessages(120)
	for _, m := range old[:60] {
		if _, err := s.db.Exec(`INSERT INTO messages (folder, kind, project, uid_validity, uid, message_id, date, internal_date)
			VALUES (?,?,?,?,?,?,?,?)`, m.Folder, m.Kind, m.Project, m.UIDValidity, m.UID, m.MessageID, unix(m.Date), unix(m.InternalDate)); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var v, triggers, index int
	s.db.QueryRow(`PRAGMA user_version`).Scan(&v)
	s.db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = 'message_counts_insert'`).Scan(&triggers)
	s.db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'messages_in_reply_to'`).Scan(&index)
	if v != SchemaVersion() || triggers != 0 || index != 0 {
		t.Fatalf("after the migration: version %d, insert trigger %d, in_reply_to index %d; want %d, 0, 0", v, triggers, index, SchemaVersion())
	}
	if got, _, err := s.CountMessages(ctx, KindProject, "Bench"); err != nil || got != 60 {
		t.Fatalf("count kept from schema 6: %d (%v), want 60", got, err)
	}
	if _, err := s.SaveMessages(ctx, Cursor{Folder: "Bench", UIDValidity: 1, LastUID: 120}, old[50:]); err != nil {
		t.Fatal(err)
	}
	if got, _, err := s.CountMessages(ctx, KindProject, "Bench"); err != nil || got != 120 {
		t.Fatalf("count after storing 60 more (10 again): %d (%v), want 120", got, err)
	}
	checkCounts(t, s)
}
