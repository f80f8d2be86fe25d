package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func open(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "sub", "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestOpenCreatesPrivateFile(t *testing.T) {
	s := open(t)
	for _, p := range []string{s.Path(), s.Path() + "-wal"} {
		fi, err := os.Stat(p)
		if err != nil {
			if p != s.Path() && errors.Is(err, os.ErrNotExist) {
				continue
			}
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode = %v, want 0600", p, fi.Mode().Perm())
		}
	}
	fi, err := os.Stat(filepath.Dir(s.Path()))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("state dir mode = %v, want 0700", fi.Mode().Perm())
	}
}

// TestMigrationsFromFirstSchema applies each migration in turn, reopening in
// between, as an upgrade from every released version would.
func TestMigrationsFromFirstSchema(t *testing.T) {
	ctx := context.Background()
	migs, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(migs) == 0 {
		t.Fatal("no migrations embedded")
	}
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var v int
	if err := s.db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != SchemaVersion() {
		t.Fatalf("user_version = %d, want %d", v, SchemaVersion())
	}
	var mode string
	if err := s.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q (%v), want wal", mode, err)
	}
	var timeout int
	if err := s.db.QueryRow("PRAGMA busy_timeout").Scan(&timeout); err != nil || timeout != 5000 {
		t.Fatalf("busy_timeout = %d (%v), want 5000", timeout, err)
	}
	var cache int
	if err := s.db.QueryRow("PRAGMA cache_size").Scan(&cache); err != nil || cache != -1024 {
		t.Fatalf("cache_size = %d (%v), want -1024", cache, err)
	}
	s.Close()
	// Reopening an up-to-date database is a no-op.
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

func TestRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(ctx, path)
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("Open of a newer schema: err = %v, want ErrNewerSchema", err)
	}
}

func TestSaveMessagesDedupesAndAdvancesCursor(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	d := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	msgs := []Message{
		{Folder: "Status/Apollo", Kind: KindProject, Project: "Apollo", UIDValidity: 7, UID: 1, MessageID: "a@x", Date: d, FromAddr: "Bob@X.com", To: []string{"Alex@Example.com"},
			Health: "red", BadWords: []string{"blocked", "not on track"}},
		{Folder: "Status/Apollo", Kind: KindProject, Project: "Apollo", UIDValidity: 7, UID: 2, MessageID: "b@x", Date: d.Add(time.Hour)},
	}
	n, err := s.SaveMessages(ctx, Cursor{Folder: "Status/Apollo", UIDValidity: 7, LastUID: 2}, msgs)
	if err != nil || n != 2 {
		t.Fatalf("SaveMessages = %d, %v; want 2 inserted", n, err)
	}
	// The same Message-ID under another label folder for the same project
	// (Gmail) is not stored twice.
	dup := msgs[0]
	dup.Folder, dup.UID = "[Gmail]/All Mail", 9
	n, err = s.SaveMessages(ctx, Cursor{Folder: "[Gmail]/All Mail", UIDValidity: 1, LastUID: 9}, []Message{dup})
	if err != nil || n != 0 {
		t.Fatalf("duplicate SaveMessages = %d, %v; want 0", n, err)
	}
	got, err := s.Messages(ctx, Filter{Kind: KindProject, Project: "Apollo"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].FromAddr != "bob@x.com" || got[0].To[0] != "alex@example.com" || !got[0].Date.Equal(d) ||
		got[0].Health != "red" || strings.Join(got[0].BadWords, "|") != "blocked|not on track" || got[1].Health != "" {
		t.Fatalf("Messages = %+v", got)
	}
	c, ok, err := s.Cursor(ctx, "Status/Apollo")
	if err != nil || !ok || c.UIDValidity != 7 || c.LastUID != 2 {
		t.Fatalf("Cursor = %+v %v %v", c, ok, err)
	}
	if err := s.ResetFolder(ctx, "Status/Apollo"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Cursor(ctx, "Status/Apollo"); ok {
		t.Fatal("cursor survived ResetFolder")
	}
	if n, _, _ := s.CountMessages(ctx, KindProject, "Apollo"); n != 0 {
		t.Fatalf("%d messages survived ResetFolder", n)
	}
}

func TestOutboxPlanIsIdempotent(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	now := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	o := Outbox{Key: "reminder:2026-11-23", Kind: OutReminder, MessageID: "r1@leadup", Body: []byte("x"), PlannedAt: now}
	got, created, err := s.Plan(ctx, o)
	if err != nil || !created || got.State != StatePlanned {
		t.Fatalf("Plan = %+v %v %v", got, created, err)
	}
	o.MessageID = "r2@leadup"
	got, created, err = s.Plan(ctx, o)
	if err != nil || created || got.MessageID != "r1@leadup" {
		t.Fatalf("second Plan = %+v %v %v; want the first row back", got, created, err)
	}
	if err := s.Record(ctx, o.Key, 3, errors.New("421 try later"), StatePlanned, now); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.OutboxByKey(ctx, o.Key); got.State != StatePlanned || got.Attempts != 3 || got.LastError != "421 try later" {
		t.Fatalf("after three failed attempts in one delivery: %+v", got)
	}
	if err := s.Record(ctx, o.Key, 1, nil, StateSent, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	list, err := s.OutboxList(ctx, OutReminder, StateSent)
	if err != nil || len(list) != 1 || list[0].Attempts != 4 || list[0].LastError != "" || !list[0].DoneAt.Equal(now.Add(time.Minute)) {
		t.Fatalf("OutboxList = %+v %v", list, err)
	}
}

func TestUpdatesAndRepliesOnce(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	u := Update{Email: "Jane@Example.com", At: at, Source: SourceMail, MessageID: "m1@x"}
	if added, err := s.AddUpdate(ctx, u); err != nil || !added {
		t.Fatalf("AddUpdate = %v %v", added, err)
	}
	if added, err := s.AddUpdate(ctx, u); err != nil || added {
		t.Fatalf("second AddUpdate = %v %v; want not added", added, err)
	}
	ups, err := s.Updates(ctx)
	if err != nil || len(ups) != 1 || ups[0].Email != "jane@example.com" {
		t.Fatalf("Updates = %+v %v", ups, err)
	}
	if first, err := s.MarkReplyHandled(ctx, "r@x", "done", at); err != nil || !first {
		t.Fatalf("MarkReplyHandled = %v %v", first, err)
	}
	if first, err := s.MarkReplyHandled(ctx, "r@x", "done", at); err != nil || first {
		t.Fatalf("second MarkReplyHandled = %v %v; want false", first, err)
	}
	if err := s.AddPause(ctx, Pause{Email: "jane@example.com", Until: at.Add(72 * time.Hour), Reason: "snooze", MessageID: "r@x"}); err != nil {
		t.Fatal(err)
	}
	ps, err := s.Pauses(ctx, at)
	if err != nil || len(ps) != 1 {
		t.Fatalf("Pauses = %+v %v", ps, err)
	}
	if ps, _ := s.Pauses(ctx, at.Add(100*time.Hour)); len(ps) != 0 {
		t.Fatalf("expired pause returned: %+v", ps)
	}
}

func TestUpdatesFromSent(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	d := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	msgs := []Message{
		{Kind: KindSent, UIDValidity: 1, UID: 1, MessageID: "s1@x", Date: d, FromAddr: "alex@example.com", To: []string{"team@example.com"}, Cc: []string{"Jane@Example.com"}},
		{Kind: KindSent, UIDValidity: 1, UID: 2, MessageID: "s2@x", Date: d, FromAddr: "alex.doe@example.com", Bcc: []string{"jane@example.com"}},
		{Kind: KindSent, UIDValidity: 1, UID: 3, MessageID: "s3@x", Date: d, FromAddr: "someone@else.com", To: []string{"jane@example.com"}},
		{Kind: KindSent, UIDValidity: 1, UID: 4, MessageID: "s4@x", Date: d, FromAddr: "alex@example.com", To: []string{"xjane@example.com"}},
		{Kind: KindSent, UIDValidity: 1, UID: 5, Date: d, FromAddr: "alex@example.com", To: []string{"jane@example.com"}}, // no Message-ID
	}
	if _, err := s.SaveMessages(ctx, Cursor{Folder: "Sent", UIDValidity: 1, LastUID: 5}, msgs); err != nil {
		t.Fatal(err)
	}
	me := []string{"alex@example.com", "Alex.Doe@example.com"}
	n, err := s.UpdatesFromSent(ctx, me, "jane@example.com", d)
	if err != nil || n != 3 {
		t.Fatalf("UpdatesFromSent = %d, %v; want 3 (cc, bcc via alias, no Message-ID)", n, err)
	}
	if n, _ := s.UpdatesFromSent(ctx, me, "jane@example.com", d); n != 0 {
		t.Fatalf("second run added %d", n)
	}
}

func TestSetTimeOnce(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	first := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	if got, err := s.SetTimeOnce(ctx, MetaFirstCycle, first); err != nil || !got.Equal(first) {
		t.Fatalf("SetTimeOnce = %v %v", got, err)
	}
	if got, err := s.SetTimeOnce(ctx, MetaFirstCycle, first.Add(time.Hour)); err != nil || !got.Equal(first) {
		t.Fatalf("second SetTimeOnce = %v %v; want the first value kept", got, err)
	}
}

// TestMigrateFromVersion1 opens a database left at schema 1 by an older
// leadup and checks it is brought up to date with its data intact.
func TestMigrateFromVersion1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	// Rebuild as version 1: drop everything, apply only the first migration.
	if _, err := s.db.Exec(`DROP TABLE meta; ALTER TABLE messages DROP COLUMN health; ALTER TABLE messages DROP COLUMN bad_words; PRAGMA user_version = 1`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUpdate(ctx, Update{Email: "jane@example.com", At: time.Unix(1, 0), Source: SourceCheckin}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.SetTimeOnce(ctx, MetaFirstCycle, time.Now()); err != nil {
		t.Fatalf("meta table missing after upgrade: %v", err)
	}
	if ups, _ := s.Updates(ctx); len(ups) != 1 {
		t.Fatalf("data lost in the upgrade: %d updates", len(ups))
	}
}

// A state path with URL metacharacters is still one file.
func TestOpenOddPath(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "odd?dir#x%20", "state.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUpdate(ctx, Update{Email: "a@b.c", At: time.Unix(1, 0), Source: SourceCheckin}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the database is not at the path given: %v", err)
	}
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if ups, _ := s.Updates(ctx); len(ups) != 1 {
		t.Fatalf("reopened database has %d updates, want 1", len(ups))
	}
}

// TestFilterRepliesToAndNoText: RepliesTo selects by In-Reply-To prefix in
// SQL; NoText leaves the text out unless health must still be read from it.
func TestFilterRepliesToAndNoText(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	d := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	if _, err := s.SaveMessages(ctx, Cursor{Folder: "INBOX", UIDValidity: 1, LastUID: 3}, []Message{
		{Kind: KindInbox, UIDValidity: 1, UID: 1, MessageID: "r@x", InReplyTo: "leadup.reminder.1@example.com", Date: d, Visible: "done", Health: "unknown"},
		{Kind: KindInbox, UIDValidity: 1, UID: 2, MessageID: "o@x", InReplyTo: "other@example.com", Date: d, Visible: "a long status report", Health: "green"},
		{Kind: KindInbox, UIDValidity: 1, UID: 3, MessageID: "old@x", Date: d, Visible: "blocked (stored by an older leadup)"},
	}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Messages(ctx, Filter{Kind: KindInbox, RepliesTo: "leadup."})
	if err != nil || len(got) != 1 || got[0].MessageID != "r@x" || got[0].Visible != "done" {
		t.Fatalf("RepliesTo = %+v %v; want only the reply, with its text", got, err)
	}
	got, err = s.Messages(ctx, Filter{Kind: KindInbox, NoText: true})
	if err != nil || len(got) != 3 {
		t.Fatalf("NoText = %d messages, %v", len(got), err)
	}
	text := map[string]string{}
	for _, m := range got {
		text[m.MessageID] = m.Visible
	}
	if text["r@x"] != "" || text["o@x"] != "" || text["old@x"] != "blocked (stored by an older leadup)" {
		t.Errorf("NoText texts = %q; want none but the row without a stored health", text)
	}
}
