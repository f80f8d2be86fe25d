package daemon

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/demo"
	"github.com/leadup/leadup/daemon/store"
)

// dumpState reads every row of every table of the state database at path,
// as text, straight from the file (not through the store's API).
func dumpState(t *testing.T, path string) map[string][]string {
	t.Helper()
	dsn := (&url.URL{Scheme: "file", OmitHost: true, Path: path, RawQuery: "mode=ro"}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	names, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for names.Next() {
		var n string
		if err := names.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	names.Close()
	out := map[string][]string{}
	for _, table := range tables {
		rows, err := db.Query(`SELECT * FROM ` + table + ` ORDER BY rowid`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out[table] = append(out[table], fmt.Sprint(vals...))
		}
		rows.Close()
		out[table] = append(out[table], fmt.Sprintf("(%d rows)", len(out[table])))
	}
	return out
}

func (e *env) dryRun() *DryRun {
	e.t.Helper()
	d, err := OpenDryRun(context.Background(), e.app.cfg, testLogger(e.t), e.clock)
	if err != nil {
		e.t.Fatal(err)
	}
	d.app.SetTunables(e.app.tun)
	return d
}

func mailKinds(ms []DryMail) []string {
	var out []string
	for _, m := range ms {
		k := m.Kind
		if m.Resumed {
			k += " (resumed)"
		}
		if m.Dropped != "" {
			k += " (dropped)"
		}
		out = append(out, k)
	}
	return out
}

// TestDryRunChangesNothing: at Friday 15:00 a dry run reports the
// reminder, the digest and the draft, with their text, while the state
// database (every table, row for row), the mailbox (no APPEND, no flag
// change) and the SMTP server see nothing; its copy is removed; and a real
// cycle afterwards still sends all three.
func TestDryRunChangesNothing(t *testing.T) {
	e := newEnv(t, demo.Now)
	path := e.app.st.Path()
	before, flags := dumpState(t, path), flagsOf(t, e.srv)
	d := e.dryRun()
	rep, err := d.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := mailKinds(rep.Mail); !reflect.DeepEqual(got, []string{"reminder", "digest", "draft"}) {
		t.Fatalf("dry run mail %v, want a reminder, a digest and a draft", got)
	}
	for _, m := range rep.Mail {
		if m.Subject == "" || m.Text == "" || m.To == "" {
			t.Errorf("%s without subject, text or recipient: %+v", m.Kind, m)
		}
	}
	if !strings.Contains(rep.Mail[2].To, demo.BossEmail) || !rep.Mail[2].Draft {
		t.Errorf("the draft is for %q (draft %v), want the boss", rep.Mail[2].To, rep.Mail[2].Draft)
	}
	if rep.Reminder == "" || rep.Digest == "" || rep.Draft == "" || rep.Sync.Fetched == 0 || len(rep.ReminderFor) == 0 {
		t.Errorf("dry cycle report %+v: want what it read and would send", rep.CycleReport)
	}
	dir := d.dir
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the dry run's copy %s is still there (%v)", dir, err)
	}

	if n := len(e.srv.Delivered()); n != 0 {
		t.Errorf("a dry run delivered %d mails", n)
	}
	if w := e.srv.Writes(); w != 0 {
		t.Errorf("a dry run made %d mailbox-changing commands", w)
	}
	if drafts, _ := e.srv.Messages("Drafts"); len(drafts) != 0 {
		t.Errorf("a dry run saved %d drafts", len(drafts))
	}
	if after := flagsOf(t, e.srv); !reflect.DeepEqual(flags, after) {
		t.Errorf("a dry run changed flags:\n%v\n%v", flags, after)
	}
	if after := dumpState(t, path); !reflect.DeepEqual(before, after) {
		for table := range after {
			if !reflect.DeepEqual(before[table], after[table]) {
				t.Errorf("a dry run changed table %s:\nbefore %v\nafter  %v", table, before[table], after[table])
			}
		}
	}

	// The real cycle was not robbed of anything.
	real := e.cycle()
	if real.Reminder == "" || real.Digest == "" || real.Draft == "" {
		t.Errorf("the real cycle after a dry run sent %+v", real)
	}
}

// TestDryRunReportsPendingAndReplies: mail an earlier cycle left pending
// is reported as resumed (with its number), a reply leadup cannot read is
// reported as the answer that would go out, and neither is sent, answered
// or marked handled.
func TestDryRunReportsPendingAndReplies(t *testing.T) {
	e := newEnv(t, demo.Now.Add(-5*time.Hour)) // Friday 10:00: the reminder
	e.cycle()
	rem := e.sent("reminder")
	if len(rem) != 1 {
		t.Fatalf("%d reminders", len(rem))
	}
	e.appendReply(rem[0], "reply-offsite@example.com", "remind me after the offsite")
	e.clock.Advance(2 * time.Hour)
	// A mail left pending: planned, never confirmed.
	if _, _, err := e.app.st.Plan(context.Background(), store.Outbox{Key: "reminder:test", Kind: store.OutReminder, MessageID: "leadup.test@example.com",
		Subject: "pending one", Body: []byte(`{"To":"alex@example.com","Subject":"pending one","Text":"hello"}`), PlannedAt: e.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	path := e.app.st.Path()
	before := dumpState(t, path)
	delivered := len(e.srv.Delivered())
	d := e.dryRun()
	defer d.Close()
	rep, err := d.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	kinds := mailKinds(rep.Mail)
	if !reflect.DeepEqual(kinds, []string{"reminder (resumed)", outReplyHelp}) {
		t.Fatalf("dry run mail %v, want the pending reminder resumed and the answer to the reply", kinds)
	}
	if rep.Mail[0].ID == 0 || rep.Mail[0].Subject != "pending one" {
		t.Errorf("the resumed mail %+v lacks its number or subject", rep.Mail[0])
	}
	if !strings.Contains(rep.Mail[1].Text, "remind me after the offsite") {
		t.Errorf("the answer would not quote the reply:\n%s", rep.Mail[1].Text)
	}
	if n := len(e.srv.Delivered()); n != delivered {
		t.Errorf("a dry run delivered %d mails", n-delivered)
	}
	if after := dumpState(t, path); !reflect.DeepEqual(before, after) {
		t.Errorf("a dry run changed the state")
	}
	// A second dry cycle on the same copy sends nothing again: the copy
	// remembers what the first would have sent.
	e.clock.Advance(time.Hour)
	rep, err = d.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Mail) != 0 {
		t.Errorf("a second dry cycle would send %v again", mailKinds(rep.Mail))
	}
}

// TestDryRunWithoutState: a dry run before leadup ever ran creates no
// state file.
func TestDryRunWithoutState(t *testing.T) {
	e := newEnv(t, demo.Now)
	cfg := *e.app.cfg
	cfg.StatePath = filepath.Join(t.TempDir(), "none", "state.db")
	d, err := OpenDryRun(context.Background(), &cfg, testLogger(t), e.clock)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	d.Close()
	if _, err := os.Stat(filepath.Dir(cfg.StatePath)); !os.IsNotExist(err) {
		t.Errorf("a dry run created the state's directory (%v)", err)
	}
}
