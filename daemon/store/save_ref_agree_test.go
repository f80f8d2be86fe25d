package store

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/internal/benchcorpus"
	"github.com/leadup/leadup/daemon/message"
)

// The agreement of SaveMessages with refSaveMessages (save_ref_test.go):
// the same batches stored by each into a database of its own leave the
// same rows, ids, types, counts and cursors, and return the same counts.

// saveCall is one SaveMessages call of a sequence.
type saveCall struct {
	cur  Cursor
	msgs []Message
}

// checkSaveAgrees stores calls with SaveMessages and with
// refSaveMessages, each into a new database, and compares them.
func checkSaveAgrees(t testing.TB, calls []saveCall) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	got, err := Open(ctx, filepath.Join(dir, "new.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	want, err := Open(ctx, filepath.Join(dir, "ref.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer want.Close()
	for i, c := range calls {
		gn, gerr := got.SaveMessages(ctx, c.cur, c.msgs)
		wn, werr := refSaveMessages(ctx, want, c.cur, c.msgs)
		if gn != wn || (gerr == nil) != (werr == nil) {
			t.Fatalf("call %d (%d messages): SaveMessages gives %d, %v; reference %d, %v", i, len(c.msgs), gn, gerr, wn, werr)
		}
	}
	for _, table := range []string{"messages", "message_counts", "cursors"} {
		g, w := dumpTable(t, got, table), dumpTable(t, want, table)
		if g != w {
			t.Fatalf("%s differ after %d calls:\n got %.2000s\nwant %.2000s", table, len(calls), g, w)
		}
	}
}

// dumpTable is every row of table in rowid order, each value quoted by
// SQLite (so a text and an integer of the same digits differ, as do ”
// and NULL).
func dumpTable(t testing.TB, s *Store, table string) string {
	t.Helper()
	return dumpRows(t, s, table, "")
}

// dumpRows is dumpTable of the rows where says, all when it is "".
func dumpRows(t testing.TB, s *Store, table, where string) string {
	t.Helper()
	if where == "" {
		where = "1=1"
	}
	rows, err := s.db.Query(`SELECT name FROM pragma_table_info(?)`, table)
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, "quote("+c+")")
	}
	rows.Close()
	if len(cols) == 0 {
		t.Fatalf("no table %s", table)
	}
	q := `SELECT rowid, ` + strings.Join(cols, ",") + ` FROM ` + table + ` WHERE ` + where + ` ORDER BY rowid`
	if table == "message_counts" {
		q = `SELECT '', ` + strings.Join(cols, ",") + ` FROM ` + table + ` WHERE ` + where + ` ORDER BY kind, project`
	}
	rows, err = s.db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	vals := make([]string, len(cols)+1)
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		b.WriteString(strings.Join(vals, "|"))
		b.WriteByte('\n')
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// inBatches cuts msgs into calls of size messages, each with the cursor
// of its last one in folder.
func inBatches(folder string, msgs []Message, size int) []saveCall {
	var out []saveCall
	for i := 0; i < len(msgs); i += size {
		end := min(i+size, len(msgs))
		out = append(out, saveCall{Cursor{Folder: folder, UIDValidity: 1, LastUID: msgs[end-1].UID}, msgs[i:end]})
	}
	return out
}

func TestSaveMessagesTable(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	msg := func(uid int) Message {
		return Message{Folder: "Status", Kind: KindProject, Project: "Apollo", UIDValidity: 7, UID: uint32(uid),
			MessageID: fmt.Sprintf("m%d@x", uid), Date: at.Add(time.Duration(uid) * time.Minute), Subject: "s",
			FromAddr: "Priya@Example.COM", To: []string{" Team@Example.com "}, Health: "green"}
	}
	run := func(n int, edit func(i int, m *Message)) []Message {
		out := make([]Message, n)
		for i := range out {
			out[i] = msg(i + 1)
			if edit != nil {
				edit(i, &out[i])
			}
		}
		return out
	}
	cur := Cursor{Folder: "Status", UIDValidity: 7, LastUID: 500, HighestModSeq: 9, SyncedAt: at}
	for _, tc := range []struct {
		name  string
		calls []saveCall
	}{
		{"no messages, the cursor alone", []saveCall{{cur, nil}}},
		{"one", []saveCall{{cur, run(1, nil)}}},
		{"a full chunk", []saveCall{{cur, run(saveChunk, nil)}}},
		{"a full chunk and one", []saveCall{{cur, run(saveChunk+1, nil)}}},
		{"a batch of 200", []saveCall{{cur, run(200, nil)}}},
		{"folder from the cursor", []saveCall{{cur, run(120, func(i int, m *Message) {
			if i%3 == 0 {
				m.Folder = ""
			}
		})}}},
		{"folders, kinds, projects and validities mixed", []saveCall{{cur, run(160, func(i int, m *Message) {
			switch i % 7 {
			case 1:
				m.Kind, m.Project = KindInbox, ""
			case 2:
				m.Folder = "Other"
			case 3:
				m.UIDValidity = 8
			case 4:
				m.Project = "Zephyr"
			}
			if i > 100 {
				m.Kind, m.Project = KindSent, ""
			}
		})}}},
		{"duplicate Message-IDs in a batch and across", []saveCall{
			{cur, run(130, func(i int, m *Message) { m.MessageID = fmt.Sprintf("d%d@x", i%40) })},
			{cur, run(130, func(i int, m *Message) { m.UID += 1000; m.MessageID = fmt.Sprintf("d%d@x", i%60) })},
		}},
		{"no Message-ID, never deduplicated", []saveCall{{cur, run(70, func(i int, m *Message) { m.MessageID = "" })}}},
		{"the same UIDs again", []saveCall{{cur, run(90, nil)}, {cur, run(90, func(i int, m *Message) { m.MessageID += ".2" })}}},
		{"lists and flags", []saveCall{{cur, run(60, func(i int, m *Message) {
			m.To = []string{"A@B.c", " x@Y.z", "", "Q@q.Q "}[:i%5%4]
			m.Cc = []string{"ÉLodie@Example.fr", "b@b"}[:i%3%2]
			m.Bcc = []string{"  "}[:i%2]
			m.References = []string{"r1@x", "r2@x", "r3@x"}[:i%4%3]
			m.Flags = []string{`\Seen`, `\Answered`}[:i%3%2]
			m.BadWords = []string{"at risk", "blocked"}[:i%3%2]
			m.AutoReply, m.Automated, m.Ask = i%2 == 0, i%3 == 0, i%5 == 0
			if i%4 == 0 {
				m.ReturnDate = at.Add(48 * time.Hour)
			}
			if i%6 == 0 {
				m.Date, m.InternalDate = time.Time{}, at
			}
		})}}},
		{"largest UIDs", []saveCall{{Cursor{Folder: "Status", UIDValidity: 1<<32 - 1, LastUID: 1<<32 - 1}, run(3, func(i int, m *Message) {
			m.UIDValidity, m.UID = 1<<32-1, uint32(1<<32-1-i)
		})}}},
		{"a failing call stores nothing", []saveCall{{cur, run(3, func(i int, m *Message) { m.Kind = "bogus" })}, {cur, run(2, nil)}}},
	} {
		t.Run(tc.name, func(t *testing.T) { checkSaveAgrees(t, tc.calls) })
	}
}

// TestSaveMessagesAgreesFixtures stores every fixture under
// /work/shared/fixtures and part of the benchcorpus, parsed as a sync
// parses them, in a sync's batches.
func TestSaveMessagesAgreesFixtures(t *testing.T) {
	opt := message.Options{Now: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)}
	var msgs []Message
	err := filepath.WalkDir("../../../shared/fixtures", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		pm, err := message.Parse(bytes.NewReader(raw), opt)
		if err != nil {
			// A text without a header (most quote fixtures): the body
			// of a mail of its own.
			head := fmt.Sprintf("From: Dana <Dana@Example.org>\r\nTo: alex@example.com\r\nSubject: %s\r\nMessage-ID: <fixture-%d@x>\r\n\r\n", path, len(msgs))
			if pm, err = message.Parse(strings.NewReader(head+string(raw)), opt); err != nil {
				t.Fatalf("%s as a body: %v", path, err)
			}
		}
		msgs = append(msgs, fromParsed(pm, len(msgs)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) < 250 {
		t.Fatalf("only %d fixtures", len(msgs))
	}
	nFixtures := len(msgs)
	step := 5
	if testing.Short() {
		step = 50
	}
	c := benchcorpus.Test
	for i := 0; i < c.N; i += step {
		pm, err := message.Parse(bytes.NewReader(c.Mail(i)), opt)
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, fromParsed(pm, len(msgs)))
	}
	t.Logf("%d fixtures, %d benchcorpus messages", nFixtures, len(msgs)-nFixtures)
	calls := inBatches("Status/Bench", msgs, 200)
	// And again, in odd batches, over the rows stored: all duplicates.
	calls = append(calls, inBatches("Status/Bench", msgs[:1000], 37)...)
	checkSaveAgrees(t, calls)
}

// fromParsed is what a sync stores of pm as message i of a folder (as
// mailbox's toStore makes it), with the kind and folder of every tenth
// message changed so batches mix them.
func fromParsed(pm *message.Message, i int) Message {
	m := Message{Folder: "Status/Bench", Kind: KindProject, Project: "Bench", UIDValidity: 1, UID: uint32(i + 1),
		MessageID: pm.MessageID, InReplyTo: pm.InReplyTo, References: pm.References, Date: pm.Date,
		InternalDate: time.Unix(int64(1.7e9)+int64(i)*60, 0), Subject: pm.Subject, AutoReply: pm.AutoReply,
		Automated: pm.Automated, Ask: pm.Ask, ReturnDate: pm.ReturnDate, Snippet: pm.Snippet, Visible: pm.Visible,
		Health: string(pm.Health), BadWords: message.BadPhrases(pm.HealthHits),
		FromName: pm.From.Name, FromAddr: pm.From.Addr}
	for _, a := range pm.To {
		m.To = append(m.To, a.Addr)
	}
	for _, a := range pm.Cc {
		m.Cc = append(m.Cc, a.Addr)
	}
	for _, a := range pm.Bcc {
		m.Bcc = append(m.Bcc, a.Addr)
	}
	if i%3 == 0 {
		m.Flags = []string{`\Seen`}
	}
	switch i % 10 {
	case 3:
		m.Kind, m.Project, m.Folder = KindInbox, "", "INBOX"
	case 7:
		m.Folder = "" // the cursor's
	}
	return m
}

// FuzzSaveMessagesAgrees stores batches made from the fuzzer's bytes:
// each message takes its fields from a few bytes, from small sets of
// values so that folders, kinds, validities, UIDs and Message-IDs
// collide, and its texts from the bytes themselves.
//
// The inputs go into one pair of databases a process, one after the
// other: opening two a run made the fuzzer (SQLite instrumented too)
// run one input a second. The pair stays equal as long as the two
// agree, so each run compares the rows it added, the counts and the
// cursors.
func FuzzSaveMessagesAgrees(f *testing.F) {
	f.Add([]byte("hello, world"), uint8(3))
	f.Add(bytes.Repeat([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 30), uint8(50))
	f.Add(bytes.Repeat([]byte{0xff, 0x10, 0x80}, 200), uint8(0))
	ctx := context.Background()
	dir := f.TempDir()
	var got, want *Store
	var runs int
	f.Cleanup(func() {
		if got != nil {
			got.Close()
			want.Close()
		}
	})
	f.Fuzz(func(t *testing.T, data []byte, batch uint8) {
		msgs := fuzzMessages(data)
		if len(msgs) == 0 {
			return
		}
		if got == nil || runs%500 == 0 { // a fresh pair now and then: the UIDs collide less
			if got != nil {
				got.Close()
				want.Close()
			}
			var err error
			if got, err = Open(ctx, filepath.Join(dir, fmt.Sprintf("new%d.db", runs))); err != nil {
				t.Fatal(err)
			}
			if want, err = Open(ctx, filepath.Join(dir, fmt.Sprintf("ref%d.db", runs))); err != nil {
				t.Fatal(err)
			}
		}
		runs++
		var last int64
		if err := got.db.QueryRow(`SELECT coalesce(max(id), 0) FROM messages`).Scan(&last); err != nil {
			t.Fatal(err)
		}
		calls := inBatches("F", msgs, int(batch)%120+1)
		for i, c := range calls {
			gn, gerr := got.SaveMessages(ctx, c.cur, c.msgs)
			wn, werr := refSaveMessages(ctx, want, c.cur, c.msgs)
			if gn != wn || (gerr == nil) != (werr == nil) {
				t.Fatalf("call %d (%d messages): SaveMessages gives %d, %v; reference %d, %v", i, len(c.msgs), gn, gerr, wn, werr)
			}
		}
		for _, table := range []string{"messages", "message_counts", "cursors"} {
			where := ""
			if table == "messages" {
				where = fmt.Sprintf("id > %d", last)
			}
			if g, w := dumpRows(t, got, table, where), dumpRows(t, want, table, where); g != w {
				t.Fatalf("%s differ:\n got %.2000s\nwant %.2000s", table, g, w)
			}
		}
	})
}

func fuzzMessages(data []byte) []Message {
	const width = 6 // bytes a message
	folders := []string{"", "F", "G", "INBOX"}
	kinds := []string{KindProject, KindProject, KindInbox, KindSent, "bogus"}
	projects := []string{"", "A", "B"}
	texts := []string{"", " A@b.C ", "x@y", "Übel@Straße.de", "a,b", "at risk", `\Seen`}
	var out []Message
	for i := 0; i+width <= len(data) && len(out) < 120; i += width {
		b := data[i : i+width]
		text := string(data[i : i+int(b[5])%(len(data)-i+1)])
		m := Message{
			Folder: folders[b[0]%4], Kind: kinds[b[0]>>2%5], Project: projects[b[0]>>5%3],
			UIDValidity: uint32(b[1] % 2), UID: uint32(b[1]>>1) + uint32(len(out))*uint32(b[2]%2),
			MessageID: []string{"", "m1", "m2", text}[b[2]>>1%4] + fmt.Sprint(b[3]%5),
			Date:      time.Unix(int64(b[3])*1e6, 0), Subject: text, Snippet: texts[b[4]%7], Visible: text,
			Health: []string{"", "green", "red"}[b[4]>>3%3], AutoReply: b[4]&0x80 != 0, Automated: b[3]&1 != 0,
		}
		for j := range int(b[5] % 4) {
			m.To = append(m.To, texts[(int(b[j])+j)%7])
			m.References = append(m.References, texts[(int(b[4])+j)%7])
		}
		if b[5]&0x40 != 0 {
			m.Cc, m.Bcc, m.BadWords, m.Flags = []string{text}, []string{texts[b[1]%7]}, []string{texts[b[2]%7], text}, []string{text}
		}
		if b[5]&0x80 != 0 {
			m.InReplyTo, m.FromName, m.FromAddr = text, texts[b[0]%7], texts[b[3]%7]
			m.InternalDate, m.ReturnDate = m.Date.Add(time.Hour), m.Date.Add(48*time.Hour)
		}
		out = append(out, m)
	}
	return out
}

// TestLowerList: lowerList is joinList of refLower's addresses.
func TestLowerList(t *testing.T) {
	for _, xs := range [][]string{nil, {}, {""}, {" A@B.c "}, {"a", ""}, {"", ""}, {"X@Y", " Q@q ", "ÉLODIE@x.FR"}, {"a,b", "C"}} {
		if got, want := lowerList(xs), refJoinList(refLower(xs)); got != want {
			t.Errorf("lowerList(%q) = %q, want %q", xs, got, want)
		}
	}
}
