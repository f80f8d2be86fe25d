package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestEachMessageNewestHuman: with Newest, Human and SaysHealth the newest
// person-written mail that says something about health comes first (rows
// stored without a health kept, their health unread), and returning false
// stops the reading.
func TestEachMessageNewestHuman(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	at := func(d int) time.Time { return time.Date(2026, 11, d, 10, 0, 0, 0, time.UTC) }
	msgs := []Message{
		{UID: 1, Kind: KindProject, Project: "Apollo", MessageID: "1@x", Date: at(2), Health: "red", Visible: "blocked"},
		{UID: 2, Kind: KindProject, Project: "Apollo", MessageID: "2@x", Date: at(3), Health: ""},
		{UID: 3, Kind: KindProject, Project: "Apollo", MessageID: "3@x", Date: at(4), Health: "green"},
		{UID: 4, Kind: KindProject, Project: "Apollo", MessageID: "4@x", Date: at(5), Health: "unknown"},
		{UID: 5, Kind: KindProject, Project: "Apollo", MessageID: "5@x", Date: at(6), Health: "red", Automated: true},
		{UID: 6, Kind: KindProject, Project: "Apollo", MessageID: "6@x", Date: at(6), Health: "amber", AutoReply: true},
		{UID: 7, Kind: KindProject, Project: "Zephyr", MessageID: "7@x", Date: at(7), Health: "red", Bcc: []string{"b@x"}},
	}
	if _, err := s.SaveMessages(ctx, Cursor{Folder: "Apollo", UIDValidity: 1, LastUID: 7}, msgs); err != nil {
		t.Fatal(err)
	}
	var got []string
	f := Filter{Kind: KindProject, Project: "Apollo", Human: true, SaysHealth: true, Newest: true, NoText: true}
	if err := s.EachMessage(ctx, f, func(m Message) bool {
		got = append(got, m.MessageID)
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if want := "3@x 2@x 1@x"; strings.Join(got, " ") != want {
		t.Errorf("newest human mail saying its health: %s; want %s", strings.Join(got, " "), want)
	}
	got = nil
	if err := s.EachMessage(ctx, f, func(m Message) bool {
		got = append(got, m.MessageID)
		return len(got) < 2
	}); err != nil {
		t.Fatal(err)
	}
	if want := "3@x 2@x"; strings.Join(got, " ") != want {
		t.Errorf("stopped after two: %s; want %s", strings.Join(got, " "), want)
	}
	all, err := s.Messages(ctx, Filter{Kind: KindProject})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 7 || all[0].MessageID != "1@x" || all[6].MessageID != "7@x" || strings.Join(all[6].Bcc, " ") != "b@x" {
		t.Errorf("Messages: %d rows, oldest first: %+v", len(all), all)
	}
}

// TestCountMessagesKept: the counts the triggers keep follow inserts
// (not the duplicates skipped), a folder's reset and rows stored before
// the migration.
func TestCountMessagesKept(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	save := func(folder, project string, uids ...uint32) {
		t.Helper()
		var msgs []Message
		for _, u := range uids {
			msgs = append(msgs, Message{Folder: folder, UID: u, Kind: KindProject, Project: project, MessageID: fmt.Sprintf("%s-%d@x", project, u), Date: at.Add(time.Duration(u) * time.Hour)})
		}
		if _, err := s.SaveMessages(ctx, Cursor{Folder: folder, UIDValidity: 1, LastUID: uids[len(uids)-1]}, msgs); err != nil {
			t.Fatal(err)
		}
	}
	want := func(project string, n int, last time.Time) {
		t.Helper()
		got, l, err := s.CountMessages(ctx, KindProject, project)
		if err != nil || got != n || !l.Equal(last) {
			t.Errorf("%s: %d messages, newest %v (%v); want %d, %v", project, got, l, err, n, last)
		}
	}
	want("Apollo", 0, time.Time{})
	save("Status/Apollo", "Apollo", 1, 2, 3)
	save("Status/Zephyr", "Zephyr", 1)
	// The same Message-IDs in a second label of the project: stored once.
	save("Other/Apollo", "Apollo", 1, 2, 3, 4)
	want("Apollo", 4, at.Add(4*time.Hour))
	want("Zephyr", 1, at.Add(time.Hour))
	if err := s.ResetFolder(ctx, "Status/Apollo"); err != nil {
		t.Fatal(err)
	}
	want("Apollo", 1, at.Add(4*time.Hour))
	// Rows an older leadup stored are counted by the migration.
	if _, err := s.db.Exec(`DROP TRIGGER IF EXISTS message_counts_insert; DROP TRIGGER message_counts_delete; DROP TRIGGER message_counts_update;
		DROP TABLE message_counts; PRAGMA user_version = 5`); err != nil {
		t.Fatal(err)
	}
	// As leadup 5 stored a row: no message_counts to keep.
	if _, err := s.db.Exec(`INSERT INTO messages (folder, kind, project, uid_validity, uid, message_id, date, internal_date)
		VALUES ('Status/Zephyr', 'project', 'Zephyr', 1, 2, 'Zephyr-2@x', ?, 0)`, at.Add(2*time.Hour).Unix()); err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	s.Close()
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	s = s2
	want("Zephyr", 2, at.Add(2*time.Hour))
	want("Apollo", 1, at.Add(4*time.Hour))
}
