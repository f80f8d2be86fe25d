//go:build e2e

package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/demo"
	"github.com/leadup/leadup/daemon/store"
)

// nextJSON is what status --json says comes next.
type nextJSON struct {
	NextReminder *time.Time `json:"next_reminder"`
	NextDigest   *time.Time `json:"next_digest"`
	LastSync     *time.Time `json:"last_sync"`
	LastCycle    *struct {
		At    time.Time `json:"at"`
		OK    bool      `json:"ok"`
		Error *string   `json:"error"`
	} `json:"last_cycle"`
}

func (f *fixture) next(now time.Time) nextJSON {
	f.t.Helper()
	r := f.mustRun("status", "--json", "--now", rfc(now))
	var n nextJSON
	if err := json.Unmarshal([]byte(r.stdout), &n); err != nil {
		f.t.Fatalf("status --json: %v\n%s", err, r)
	}
	return n
}

// outboxRows reads the state's outbox as it is on disk.
func outboxRows(t *testing.T, path string) []store.Outbox {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.OutboxList(context.Background(), "", "")
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestE2EDryRunSendsAndSavesNothing: against Dovecot and Postfix, `run
// --once --dry-run` at the Friday slot prints the reminder, the digest and
// the draft that would go out, yet nothing reaches the INBOX through
// Postfix, nothing is saved in Drafts, no flag changes and no state is
// written; the real run after it sends them, and status --json then has
// next_reminder, next_digest, last_sync and last_cycle. A dry run over
// that state an hour later leaves its outbox as it was.
func TestE2EDryRunSendsAndSavesNothing(t *testing.T) {
	f := newFixture(t)
	f.seed(demo.Mailbox(demo.Now))
	flags := f.allFlags()
	state := filepath.Join(f.dir, "state.db")

	r := f.mustRun("run", "--once", "--dry-run", "--now", rfc(demo.Now))
	for _, want := range []string{"DRY RUN as of Fri 20 Nov 2026 15:00 CET", "THE REMINDER that would go to " + f.me, "THE DIGEST that would go to " + f.me,
		"THE DRAFT that would be saved in Drafts, addressed to", demo.BossEmail, "Would record: reminder reminder:2026-11-20 sent;", "dry run: read "} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the dry run's output lacks %q\n%s", want, r)
		}
	}
	f.barrier()
	if n := len(f.leadupMail("")); n != 0 {
		t.Errorf("a dry run sent %d mails through Postfix", n)
	}
	if n := len(f.fetch("Drafts", "", "")); n != 0 {
		t.Errorf("a dry run saved %d drafts", n)
	}
	after := f.allFlags()
	delete(after, "INBOX") // the barrier's own mail
	before := map[string]any{}
	for k, v := range flags {
		if k != "INBOX" {
			before[k] = v
		}
	}
	got := map[string]any{}
	for k, v := range after {
		got[k] = v
	}
	if !reflect.DeepEqual(before, got) {
		t.Errorf("a dry run changed the mailbox:\nbefore %v\nafter  %v", before, got)
	}
	if _, err := os.Stat(state); !os.IsNotExist(err) {
		t.Errorf("a dry run wrote the state database (%v)", err)
	}
	if n := f.next(demo.Now); n.LastSync != nil || n.LastCycle != nil || n.NextDigest == nil {
		t.Errorf("status --json before any real cycle: %+v", n)
	}

	c := f.runOnce(demo.Now)
	if c.Reminder == "" || c.Digest == "" || c.Draft == "" || c.Errors != 0 {
		t.Fatalf("the real cycle after the dry run: %+v", c)
	}
	f.waitForMail("reminder", 1, time.Minute)
	f.waitForMail("digest", 1, time.Minute)
	n := f.next(demo.Now.Add(time.Minute))
	if n.LastSync == nil || !n.LastSync.Equal(demo.Now) || n.LastCycle == nil || !n.LastCycle.OK {
		t.Errorf("status --json after the cycle: last sync %v, last cycle %+v", n.LastSync, n.LastCycle)
	}
	if n.NextReminder == nil || !n.NextReminder.After(demo.Now) || n.NextDigest == nil || !n.NextDigest.Equal(at(27, 15, 0)) {
		t.Errorf("status --json after the cycle: next reminder %v, next digest %v (want after %v, and %v)", n.NextReminder, n.NextDigest, demo.Now, at(27, 15, 0))
	}

	// A dry run over a real state: its outbox stays as it was.
	rows := outboxRows(t, state)
	f.mustRun("run", "--once", "--dry-run", "--now", rfc(demo.Now.Add(time.Hour)))
	if got := outboxRows(t, state); !reflect.DeepEqual(rows, got) {
		t.Errorf("a dry run changed the outbox:\nbefore %+v\nafter  %+v", rows, got)
	}
	f.barrier()
	if r, d := len(f.leadupMail("reminder")), len(f.leadupMail("digest")); r != 1 || d != 1 {
		t.Errorf("%d reminders and %d digests after the second dry run, want 1 and 1", r, d)
	}
	if n := len(f.fetch("Drafts", "", "")); n != 1 {
		t.Errorf("%d drafts, want the real cycle's 1", n)
	}
}
