package daemon

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/demo"
	"github.com/leadup/leadup/daemon/e2e"
	"github.com/leadup/leadup/daemon/mailer"
	"github.com/leadup/leadup/daemon/store"
)

// reconfigure rewrites the env's config file with edit and reopens the
// App on it, as a user fixing the file and restarting would.
func (e *env) reconfigure(edit func(string) string) {
	e.t.Helper()
	path := filepath.Join(e.dir, "config.yaml")
	b, err := os.ReadFile(path)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(edit(string(b))), 0o600); err != nil {
		e.t.Fatal(err)
	}
	e.app.Close()
	app, err := e.load(path)
	if err != nil {
		e.t.Fatal(err)
	}
	e.app = app
	e.t.Cleanup(func() { app.Close() })
}

// wrongSMTPPassword gives smtp a password the server refuses.
func wrongSMTPPassword(cfg string) string {
	i := strings.Index(cfg, "\nsmtp:")
	if i < 0 {
		panic("no smtp line in the demo config")
	}
	return cfg[:i] + strings.Replace(cfg[i:], "password: "+demo.Password, "password: not-the-password", 1)
}

func (e *env) outbox() map[string]store.Outbox {
	e.t.Helper()
	rows, err := e.app.st.OutboxList(context.Background(), "", "")
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]store.Outbox{}
	for _, r := range rows {
		out[r.Kind] = r
	}
	return out
}

// A wrong SMTP password is the setup's fault, not the mail's: the day's
// reminder, the week's digest and its draft wait, status says what to fix,
// and once the password is fixed each goes out once.
func TestSetupFailureKeepsMailUntilFixed(t *testing.T) {
	e := newEnv(t, demo.Now) // Friday 15:00: a reminder, a digest and a draft are due
	e.reconfigure(wrongSMTPPassword)
	for range 2 {
		_, err := e.app.RunOnce(context.Background())
		if err == nil || !strings.Contains(err.Error(), "smtp.username") {
			t.Fatalf("cycle with a wrong SMTP password: %v; want an error that names the fix", err)
		}
		e.clock.Advance(10 * time.Minute)
	}
	rows := e.outbox()
	for _, kind := range []string{store.OutReminder, store.OutDigest, store.OutDraft} {
		r, ok := rows[kind]
		if !ok || r.State != store.StatePlanned {
			t.Fatalf("%s row %q is %q, want planned (kept until the setup works)", kind, r.Key, r.State)
		}
	}
	// One refused login a cycle, whatever the number of mails waiting.
	if r := rows[store.OutReminder]; r.Attempts != 2 || !strings.Contains(r.LastError, "check smtp.username") || !strings.Contains(r.LastError, "535") {
		t.Errorf("reminder: %d attempts, last error %q; want 2 (one a cycle) and the fix with the server's 535", r.Attempts, r.LastError)
	}
	if r := rows[store.OutDigest]; r.Attempts != 0 {
		t.Errorf("digest: %d attempts, want none after the reminder's login was refused in the same cycle", r.Attempts)
	}
	if n := len(e.srv.Delivered()); n != 0 {
		t.Fatalf("%d mails delivered with a wrong password", n)
	}
	if drafts, _ := e.srv.Messages("Drafts"); len(drafts) != 0 {
		t.Fatalf("the draft was saved although its digest was not sent")
	}
	st, err := e.app.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Pending) == 0 || !strings.Contains(st.Pending[0].Error, "check smtp.username") {
		t.Errorf("status pending = %+v, want the waiting mail with the fix", st.Pending)
	}

	e.reconfigure(func(cfg string) string { return strings.Replace(cfg, "not-the-password", demo.Password, 1) })
	e.clock.Advance(30 * time.Minute)
	rep := e.cycle()
	if rep.Reminder == "" || rep.Digest == "" || rep.Draft == "" {
		t.Fatalf("after the fix: %+v; want the reminder, the digest and the draft", rep)
	}
	e.clock.Advance(time.Hour)
	e.cycle()
	if r, d := len(e.sent("reminder")), len(e.sent("digest")); r != 1 || d != 1 {
		t.Errorf("after the fix: %d reminders, %d digests delivered; want 1 and 1", r, d)
	}
	if drafts, _ := e.srv.Messages("Drafts"); len(drafts) != 1 {
		t.Errorf("%d drafts after the fix, want 1", len(drafts))
	}
}

// A digest is kept for its period: if the setup is fixed only after the
// next slot, that slot's digest goes out, covering both weeks, and the
// old one (and its draft) is dropped rather than sent as well.
func TestSetupFailureDigestKeptWithinItsPeriod(t *testing.T) {
	e := newEnv(t, demo.Now)
	e.reconfigure(wrongSMTPPassword)
	if _, err := e.app.RunOnce(context.Background()); err == nil {
		t.Fatal("a cycle with a wrong SMTP password succeeded")
	}
	old := e.outbox()[store.OutDigest]
	e.reconfigure(func(cfg string) string { return strings.Replace(cfg, "not-the-password", demo.Password, 1) })
	e.clock.Advance(7 * 24 * time.Hour) // the next Friday's slot
	rep := e.cycle()
	if rep.Digest == "" || rep.Digest == old.Key {
		t.Fatalf("next slot: digest %q, want the new slot's (old %q)", rep.Digest, old.Key)
	}
	if n := len(e.sent("digest")); n != 1 {
		t.Fatalf("%d digests delivered, want only the new slot's", n)
	}
	got, err := e.app.st.OutboxByKey(context.Background(), old.Key)
	if err != nil || got.State != store.StateFailed || !strings.Contains(got.LastError, "superseded") {
		t.Errorf("old digest %s: %q %q; want failed as superseded", old.Key, got.State, got.LastError)
	}
	sent, _ := e.app.st.OutboxByKey(context.Background(), rep.Digest)
	if !strings.Contains(sent.Covers, demo.Now.AddDate(0, 0, -7).UTC().Format("2006-01-02")) &&
		!strings.Contains(sent.Covers, demo.Now.AddDate(0, 0, -7).Format("2006-01-02")) {
		t.Errorf("the new digest covers %s; want both weeks (since the lookback before the first slot)", sent.Covers)
	}
	if drafts, _ := e.srv.Messages("Drafts"); len(drafts) != 1 {
		t.Errorf("%d drafts, want the new slot's only", len(drafts))
	}
}

// A mail the server took just before leadup was stopped is found in the
// Inbox by its Message-ID and not sent again.
func TestResumedMailAlreadyDeliveredIsNotResent(t *testing.T) {
	e := newEnv(t, demo.Now.Add(-5*time.Hour))
	ctx := context.Background()
	e.syncOnly()
	row, due, err := e.app.planReminder(ctx, e.clock.Now())
	if err != nil || !due {
		t.Fatalf("planReminder: %v due=%v", err, due)
	}
	// The server takes it; the process dies before recording that.
	send, err := e.app.sender()
	if err != nil {
		t.Fatal(err)
	}
	m := e.reminderMessage(row)
	if err := send.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
	e.open()
	e.cycle()
	if n := len(e.sent("reminder")); n != 1 {
		t.Fatalf("%d reminders delivered, want the one the server took before the stop", n)
	}
	got, _ := e.app.st.OutboxByKey(ctx, row.Key)
	if got.State != store.StateSent || got.Attempts != 0 {
		t.Errorf("row %s: %s after %d attempts; want sent with no new attempt", row.Key, got.State, got.Attempts)
	}
}

// reminderMessage decodes a planned row's mail.
func (e *env) reminderMessage(row store.Outbox) mailer.Message {
	e.t.Helper()
	var m mailer.Message
	if err := json.Unmarshal(row.Body, &m); err != nil {
		e.t.Fatal(err)
	}
	return m
}

// throughQuirks points the env's IMAP at a proxy in front of the demo
// server that plays another server's quirks.
func (e *env) throughQuirks(q e2e.IMAPQuirks) *e2e.IMAPQuirkProxy {
	e.t.Helper()
	p := e2e.NewIMAPQuirkProxy(e.t, fmt.Sprintf("127.0.0.1:%d", e.srv.IMAPPort), q)
	e.reconfigure(func(cfg string) string {
		return strings.Replace(cfg, fmt.Sprintf("port: %d, tls: none", e.srv.IMAPPort), fmt.Sprintf("port: %d, tls: none", p.Port()), 1)
	})
	return p
}

// Courier refuses an APPEND into the folder the connection has open with
// EXAMINE, and has no UNSELECT: the draft, looked for in Drafts first,
// still reaches Drafts, once, and the next cycle adds none.
func TestDraftReachesCourierOnce(t *testing.T) {
	e := newEnv(t, demo.Now) // Friday 15:00: a reminder, a digest and a draft are due
	proxy := e.throughQuirks(e2e.CourierQuirks)
	rep := e.cycle()
	if rep.Draft == "" || rep.Digest == "" {
		t.Fatalf("cycle against a Courier-like server: %+v; want the digest and its draft", rep)
	}
	e.clock.Advance(time.Hour)
	e.cycle()
	if drafts, _ := e.srv.Messages("Drafts"); len(drafts) != 1 {
		t.Errorf("%d drafts in Drafts, want 1", len(drafts))
	}
	cmds := proxy.Commands()
	if proxy.Refusals() != 0 || !slices.Contains(cmds, "APPEND") || slices.Contains(cmds, "UNSELECT") || slices.Contains(cmds, "CLOSE") {
		t.Errorf("%d refusals; commands %v; want one APPEND taken, no UNSELECT and no CLOSE", proxy.Refusals(), cmds)
	}
}

// A server that refuses the draft on every attempt: after draftRefusals
// cycles the draft is failed, not tried for ever; the cycles after it
// succeed, the digest went out once, and status says what to do.
func TestRepeatedDraftRefusalEndsFailed(t *testing.T) {
	e := newEnv(t, demo.Now)
	e.throughQuirks(e2e.IMAPQuirks{RefuseAppend: "[OVERQUOTA] Quota exceeded"})
	for i := 1; i <= draftRefusals; i++ {
		_, err := e.app.RunOnce(context.Background())
		if err == nil || !strings.Contains(err.Error(), "Quota exceeded") {
			t.Fatalf("cycle %d: %v; want the server's refusal of the draft", i, err)
		}
		r := e.outbox()[store.OutDraft]
		want := store.StatePlanned
		if i == draftRefusals {
			want = store.StateFailed
		}
		if r.State != want || r.Attempts != i {
			t.Fatalf("after cycle %d the draft is %s after %d attempts; want %s after %d", i, r.State, r.Attempts, want, i)
		}
		e.clock.Advance(10 * time.Minute)
	}
	e.cycle() // the failed draft is not tried again: the cycle succeeds
	if n := len(e.sent("digest")); n != 1 {
		t.Errorf("%d digests delivered, want 1", n)
	}
	if drafts, _ := e.srv.Messages("Drafts"); len(drafts) != 0 {
		t.Errorf("%d drafts saved through a server that refuses them", len(drafts))
	}
	st, err := e.app.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Pending) != 0 || len(st.Failed) != 1 {
		t.Fatalf("status pending %+v, failed %+v; want the draft failed and nothing pending", st.Pending, st.Failed)
	}
	f := st.Failed[0]
	if f.Kind != store.OutDraft || f.Attempts != draftRefusals || !strings.Contains(f.Error, "refuses it") ||
		!strings.Contains(f.Error, "Quota exceeded") || !strings.Contains(f.Fix, "leadup digest --send") {
		t.Errorf("status failed = %+v; want the draft, the server's answer and how to retry", f)
	}
}

// A Drafts folder that is not there is a setting to fix, not a refusal:
// the draft waits, pending with the fix, however many cycles pass.
func TestDraftWithoutDraftsFolderWaits(t *testing.T) {
	e := newEnv(t, demo.Now)
	if err := e.srv.Delete("Drafts"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < draftRefusals+1; i++ {
		if _, err := e.app.RunOnce(context.Background()); err == nil || !strings.Contains(err.Error(), "imap.drafts_folder") {
			t.Fatalf("cycle %d without Drafts: %v; want an error naming imap.drafts_folder", i+1, err)
		}
		e.clock.Advance(10 * time.Minute)
	}
	r := e.outbox()[store.OutDraft]
	if r.State != store.StatePlanned || !strings.Contains(r.LastError, "set imap.drafts_folder") {
		t.Errorf("draft %s, last error %q; want it pending with the fix", r.State, r.LastError)
	}
}
