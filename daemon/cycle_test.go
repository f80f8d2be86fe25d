package daemon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/mail"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-smtp"

	"github.com/leadup/leadup/daemon/clock"
	"github.com/leadup/leadup/daemon/config"
	"github.com/leadup/leadup/daemon/demo"
	"github.com/leadup/leadup/daemon/store"
)

// env is a leadup App against the demo servers with the seeded mailbox.
type env struct {
	t     *testing.T
	srv   *demo.Servers
	dir   string
	clock *clock.Fake
	app   *App
	extra string // appended to the config
	// edit, when set, rewrites the config text before it is written.
	edit func(string) string
}

func newEnv(t *testing.T, now time.Time) *env {
	t.Helper()
	srv, err := demo.StartSeeded(demo.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	e := &env{t: t, srv: srv, dir: t.TempDir(), clock: clock.NewFake(now)}
	e.open()
	return e
}

func testLogger(t *testing.T) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// open (re)opens the App on the env's state, as a restart would.
func (e *env) open() {
	e.t.Helper()
	if e.app != nil {
		e.app.Close()
	}
	var buf bytes.Buffer
	if err := demoConfig.Execute(&buf, map[string]any{
		"UserName": demo.UserName, "UserEmail": demo.UserEmail, "UserAlias": demo.UserAlias, "Password": demo.Password,
		"IMAPPort": e.srv.IMAPPort, "SMTPPort": e.srv.SMTPPort, "Projects": demo.Projects,
		"BossName": demo.BossName, "BossEmail": demo.BossEmail, "PeerName": demo.PeerName, "PeerEmail": demo.PeerEmail,
		"State": filepath.Join(e.dir, "state.db"),
	}); err != nil {
		e.t.Fatal(err)
	}
	buf.WriteString(e.extra)
	text := buf.String()
	if e.edit != nil {
		text = e.edit(text)
	}
	path := filepath.Join(e.dir, "config.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		e.t.Fatal(err)
	}
	app, err := e.load(path)
	if err != nil {
		e.t.Fatal(err)
	}
	e.app = app
	e.t.Cleanup(func() { app.Close() })
}

// load builds an App from the config file at path with shrunk delays.
func (e *env) load(path string) (*App, error) {
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	app, err := Open(context.Background(), cfg, testLogger(e.t), e.clock)
	if err != nil {
		return nil, err
	}
	tun := DefaultTunables()
	tun.SendBackoff.Min, tun.SendBackoff.Max = time.Millisecond, 5*time.Millisecond
	tun.IMAPBackoff.Min, tun.IMAPBackoff.Max = time.Millisecond, 5*time.Millisecond
	tun.DeliveryGrace, tun.DeliveryPoll = 200*time.Millisecond, 20*time.Millisecond
	app.SetTunables(tun)
	return app, nil
}

// syncOnly reads the mailbox into the store without planning or sending:
// the first half of a cycle, for tests that stop a cycle half-way.
func (e *env) syncOnly() {
	e.t.Helper()
	c, found, err := e.app.connect(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	defer c.Close()
	if _, _, err := e.app.sync(context.Background(), c, found, time.Time{}); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) cycle() CycleReport {
	e.t.Helper()
	rep, err := e.app.RunOnce(context.Background())
	if err != nil {
		e.t.Fatalf("cycle at %s: %v", e.clock.Now(), err)
	}
	return rep
}

// sent returns the delivered mail of a kind (X-Leadup header).
func (e *env) sent(kind string) []*mail.Message {
	var out []*mail.Message
	for _, d := range e.srv.Delivered() {
		m, err := mail.ReadMessage(bytes.NewReader(d.Data))
		if err != nil {
			e.t.Fatal(err)
		}
		if m.Header.Get("X-Leadup") == kind {
			out = append(out, m)
		}
	}
	return out
}

func flagsOf(t *testing.T, srv *demo.Servers) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range demo.Folders() {
		msgs, err := srv.Messages(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			var fl []string
			for _, x := range m.Flags {
				fl = append(fl, string(x))
			}
			sort.Strings(fl)
			out[fmt.Sprintf("%s/%d", f, m.UID)] = strings.Join(fl, " ")
		}
	}
	return out
}

// TestCycleAtDigestSlot: at Friday 15:00 one reminder (late, the 09:30 slot
// was missed) and one digest go out, one draft waits in Drafts, nothing in
// the mailbox changed, and a second cycle adds nothing.
func TestCycleAtDigestSlot(t *testing.T) {
	e := newEnv(t, demo.Now)
	before := flagsOf(t, e.srv)
	rep := e.cycle()
	if rep.Reminder == "" || rep.Digest == "" || rep.Draft == "" {
		t.Fatalf("cycle report %+v: want a reminder, a digest and a draft", rep)
	}
	reminders, digests := e.sent("reminder"), e.sent("digest")
	if len(reminders) != 1 || len(digests) != 1 {
		t.Fatalf("delivered %d reminders, %d digests; want 1 and 1", len(reminders), len(digests))
	}
	for _, m := range append(reminders, digests...) {
		if m.Header.Get("Auto-Submitted") != "auto-generated" || !strings.HasPrefix(m.Header.Get("Message-Id"), "<leadup.") {
			t.Errorf("headers: Auto-Submitted %q, Message-ID %q", m.Header.Get("Auto-Submitted"), m.Header.Get("Message-Id"))
		}
		if d, _ := m.Header.Date(); !d.Equal(demo.Now) {
			t.Errorf("Date header %v, want the injected clock's %v", d, demo.Now)
		}
	}
	body, _ := io.ReadAll(reminders[0].Body)
	if !strings.Contains(string(body), demo.BossName) && !strings.Contains(string(body), strings.Fields(demo.BossName)[0]) {
		t.Errorf("reminder does not name the boss:\n%s", body)
	}
	drafts, err := e.srv.Messages("Drafts")
	if err != nil {
		t.Fatal(err)
	}
	if len(drafts) != 1 {
		t.Fatalf("%d drafts, want 1", len(drafts))
	}
	dm, _ := mail.ReadMessage(bytes.NewReader(drafts[0].Raw))
	if to := dm.Header.Get("To"); !strings.Contains(to, demo.BossEmail) {
		t.Errorf("draft To = %q, want the boss", to)
	}
	if dm.Header.Get("Auto-Submitted") != "" || dm.Header.Get("X-Leadup") != "" {
		t.Errorf("the draft must read as the user's own mail, has Auto-Submitted %q X-Leadup %q", dm.Header.Get("Auto-Submitted"), dm.Header.Get("X-Leadup"))
	}
	hasDraft := false
	for _, f := range drafts[0].Flags {
		hasDraft = hasDraft || f == imap.FlagDraft
	}
	if !hasDraft {
		t.Errorf("draft flags %v lack \\Draft", drafts[0].Flags)
	}

	// Nothing changed in the mailbox but the draft and the mail leadup sent
	// to the user (delivered to the Inbox by the SMTP server).
	if w := e.srv.Writes(); w != 0 {
		t.Errorf("%d mailbox-changing commands", w)
	}
	after := flagsOf(t, e.srv)
	for k, v := range before {
		if after[k] != v {
			t.Errorf("flags of %s changed: %q -> %q", k, v, after[k])
		}
	}

	// A second cycle, an hour later, sends nothing.
	e.clock.Advance(time.Hour)
	rep = e.cycle()
	if rep.Reminder != "" || rep.Digest != "" || rep.Draft != "" {
		t.Errorf("second cycle sent %+v", rep)
	}
	if n := len(e.srv.Delivered()); n != 2 {
		t.Errorf("%d mails delivered after two cycles, want 2", n)
	}
	if drafts, _ := e.srv.Messages("Drafts"); len(drafts) != 1 {
		t.Errorf("%d drafts after two cycles, want 1", len(drafts))
	}
}

// TestTemporaryFailureDeliversOnce: a 451 then success delivers the
// reminder once, with one Message-ID.
func TestTemporaryFailureDeliversOnce(t *testing.T) {
	e := newEnv(t, demo.Now.Add(-5*time.Hour)) // 10:00: the reminder, not yet the digest
	e.srv.FailNext(&smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"})
	rep := e.cycle()
	if rep.Reminder == "" {
		t.Fatalf("no reminder sent: %+v", rep)
	}
	if got := e.sent("reminder"); len(got) != 1 {
		t.Fatalf("%d reminders delivered, want exactly 1", len(got))
	}
	if n := e.srv.PendingFailures(); n != 0 {
		t.Fatalf("the injected 451 was never met (%d pending): the test proves nothing", n)
	}
	row, err := e.app.st.OutboxByKey(context.Background(), rep.Reminder)
	// Both attempts count: the 451 and the one that went through.
	if err != nil || row.State != store.StateSent || row.Attempts != 2 {
		t.Errorf("outbox row %s: state %s after %d attempts (%v); want sent after 2", row.Key, row.State, row.Attempts, err)
	}
}

// TestPermanentFailureIsReported: a 5xx is not retried forever; the row is
// failed and status shows it.
func TestPermanentFailureIsReported(t *testing.T) {
	e := newEnv(t, demo.Now.Add(-5*time.Hour))
	e.srv.FailNext(&smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "rejected"})
	if _, err := e.app.RunOnce(context.Background()); err == nil {
		t.Fatal("a 554 should fail the cycle")
	}
	if n := e.srv.PendingFailures(); n != 0 {
		t.Fatalf("the injected 554 was never met")
	}
	st, err := e.app.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Failed) != 1 || !strings.Contains(st.Failed[0].Error, "554") {
		t.Fatalf("status failed = %+v, want the reminder with its 554", st.Failed)
	}
	e.clock.Advance(time.Hour)
	e.cycle()
	if got := e.sent("reminder"); len(got) != 0 {
		t.Errorf("a permanently failed reminder was sent again (%d)", len(got))
	}
}

// TestCrashBetweenPlannedAndSent: a reminder planned in the outbox but never
// confirmed (the process died) is sent exactly once after the restart, with
// the planned Message-ID.
func TestCrashBetweenPlannedAndSent(t *testing.T) {
	e := newEnv(t, demo.Now.Add(-5*time.Hour))
	ctx := context.Background()
	e.syncOnly()
	row, due, err := e.app.planReminder(ctx, e.clock.Now())
	if err != nil || !due {
		t.Fatalf("planReminder: %v due=%v", err, due)
	}
	// The process dies here. A new one starts a minute later.
	e.clock.Advance(time.Minute)
	e.open()
	e.cycle()
	got := e.sent("reminder")
	if len(got) != 1 {
		t.Fatalf("%d reminders after the restart, want 1", len(got))
	}
	if id := got[0].Header.Get("Message-Id"); id != "<"+row.MessageID+">" {
		t.Errorf("resent Message-ID %s, want the planned %s", id, row.MessageID)
	}
	e.clock.Advance(time.Hour)
	e.open()
	e.cycle()
	if n := len(e.sent("reminder")); n != 1 {
		t.Errorf("%d reminders after a second restart, want 1", n)
	}
}

// TestDoneReplySilences: replying "done" to the reminder records an update
// for the people it covered, once; the next workday brings no reminder for
// them.
func TestDoneReplySilences(t *testing.T) {
	e := newEnv(t, demo.Now.Add(-5*time.Hour))
	e.cycle()
	rem := e.sent("reminder")
	if len(rem) != 1 {
		t.Fatalf("%d reminders", len(rem))
	}
	id := rem[0].Header.Get("Message-Id")
	reply := "From: " + demo.UserName + " <" + demo.UserEmail + ">\r\nTo: " + demo.UserEmail + "\r\nSubject: Re: " + rem[0].Header.Get("Subject") +
		"\r\nMessage-ID: <reply-1@example.com>\r\nIn-Reply-To: " + id + "\r\nDate: " + e.clock.Now().Add(time.Hour).Format(time.RFC1123Z) +
		"\r\n\r\nDone\r\n\r\nOn Fri, leadup wrote:\r\n> check in with Dana\r\n"
	if err := e.srv.Append("INBOX", []byte(reply), e.clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(2 * time.Hour)
	if rep := e.cycle(); rep.Replies != 1 {
		t.Fatalf("replies applied = %d, want 1", rep.Replies)
	}
	st, err := e.app.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range st.Stakeholders {
		if s.Email == demo.BossEmail && (s.Overdue || s.LastUpdate == nil) {
			t.Errorf("after done, the boss is %+v", s)
		}
	}
	// Tuesday 10:00, past the reminder time and repeat_after (2 workdays)
	// since Friday's: "done" covered everyone in that reminder (the boss and
	// Raj, whose unanswered mail it showed), so nobody is due and no
	// reminder goes out; without the reply Raj would be reminded again.
	e.clock.Advance(94 * time.Hour)
	if got := e.clock.Now(); got.Weekday() != time.Tuesday || got.Hour() != 10 {
		t.Fatalf("test clock at %v, want Tuesday 10:00", got)
	}
	if rep := e.cycle(); rep.Replies != 0 || rep.Reminder != "" {
		t.Errorf("Tuesday's cycle: %+v; want no reply applied again and no reminder", rep)
	}
	if n := len(e.sent("reminder")); n != 1 {
		t.Errorf("%d reminders, want only Friday's", n)
	}
	st, err = e.app.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range st.Stakeholders {
		if s.Overdue || s.OpenAsks != 0 {
			t.Errorf("after done, %s is overdue=%v with %d open asks", s.Name, s.Overdue, s.OpenAsks)
		}
	}
}

// TestMissedDigestSlot: leadup asleep through the Friday 15:00 slot sends
// that digest once, on the next workday (never on the weekend). A slot
// before leadup's first cycle is not "missed".
func TestMissedDigestSlot(t *testing.T) {
	thursday := demo.Now.Add(-24 * time.Hour) // Thu 15:00
	e := newEnv(t, thursday)
	if rep := e.cycle(); rep.Digest != "" {
		t.Fatalf("Thursday: the previous Friday's slot predates leadup, yet a digest went out: %+v", rep)
	}
	e.clock.Advance(43 * time.Hour) // Sat 10:00
	if rep := e.cycle(); rep.Digest != "" {
		t.Fatalf("Saturday: a digest went out on a day off: %+v", rep)
	}
	e.clock.Advance(47 * time.Hour) // Mon 09:00
	rep := e.cycle()
	if rep.Digest == "" {
		t.Fatalf("Monday: the missed Friday digest was not sent late: %+v", rep)
	}
	if !strings.Contains(rep.Digest, "2026-11-20T15:00:00") {
		t.Errorf("the late digest is keyed %q, want Friday's slot", rep.Digest)
	}
	e.clock.Advance(2 * time.Hour)
	e.open()
	if rep := e.cycle(); rep.Digest != "" {
		t.Errorf("the late digest went out twice: %+v", rep)
	}
	if n := len(e.sent("digest")); n != 1 {
		t.Errorf("%d digests, want 1", n)
	}
}

// TestDoneReplyFoundInSent: a provider that files the user's reply to
// themselves only in Sent still has it applied, once.
func TestDoneReplyFoundInSent(t *testing.T) {
	e := newEnv(t, demo.Now.Add(-5*time.Hour))
	e.cycle()
	rem := e.sent("reminder")
	if len(rem) != 1 {
		t.Fatalf("%d reminders", len(rem))
	}
	reply := "From: " + demo.UserEmail + "\r\nTo: " + demo.UserEmail + "\r\nSubject: Re: reminder\r\nMessage-ID: <reply-sent@example.com>\r\nIn-Reply-To: " +
		rem[0].Header.Get("Message-Id") + "\r\nDate: " + e.clock.Now().Add(time.Hour).Format(time.RFC1123Z) + "\r\n\r\nsnooze 3 days\r\n"
	if err := e.srv.Append("Sent", []byte(reply), e.clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(2 * time.Hour)
	if rep := e.cycle(); rep.Replies != 1 {
		t.Fatalf("replies applied = %d, want 1 (from Sent)", rep.Replies)
	}
	st, err := e.app.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range st.Stakeholders {
		if s.Email == demo.BossEmail && s.Paused == nil {
			t.Errorf("after snooze the boss is not paused: %+v", s)
		}
	}
}

// TestStaleReminderIsDropped: a reminder planned on Friday but never sent
// (SMTP down all day) does not go out on Monday with Friday's content; a
// fresh one does.
func TestStaleReminderIsDropped(t *testing.T) {
	e := newEnv(t, demo.Now.Add(-5*time.Hour)) // Fri 10:00
	ctx := context.Background()
	e.syncOnly()
	friday, due, err := e.app.planReminder(ctx, e.clock.Now())
	if err != nil || !due {
		t.Fatalf("planReminder: %v due=%v", err, due)
	}
	e.clock.Advance(72 * time.Hour) // Mon 10:00
	rep := e.cycle()
	if rep.Reminder == "" || rep.Reminder == friday.Key {
		t.Fatalf("Monday's cycle sent %q, want a fresh reminder (not %s)", rep.Reminder, friday.Key)
	}
	got := e.sent("reminder")
	if len(got) != 1 {
		t.Fatalf("%d reminders delivered, want only Monday's", len(got))
	}
	if d, _ := got[0].Header.Date(); !d.Equal(e.clock.Now()) {
		t.Errorf("the reminder is dated %v, want Monday %v", d, e.clock.Now())
	}
	row, err := e.app.st.OutboxByKey(ctx, friday.Key)
	if err != nil || row.State != store.StateFailed || !strings.Contains(row.LastError, "superseded") {
		t.Errorf("Friday's row %+v %v: want failed as superseded", row, err)
	}
}

// TestTwoProcessesDoNotBothSend: a second App on the same state (a manual
// `run --once` while the service runs) cannot run a cycle while the first
// holds it, and after it the reminder is not sent again.
func TestTwoProcessesDoNotBothSend(t *testing.T) {
	e := newEnv(t, demo.Now.Add(-5*time.Hour))
	other, err := e.load(filepath.Join(e.dir, "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	release, err := e.app.exclusive()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.RunOnce(context.Background()); !errors.Is(err, ErrBusy) {
		t.Fatalf("a cycle during another's: err = %v, want ErrBusy", err)
	}
	release()
	if rep, err := other.RunOnce(context.Background()); err != nil || rep.Reminder == "" {
		t.Fatalf("after release: %+v %v", rep, err)
	}
	if rep := e.cycle(); rep.Reminder != "" {
		t.Errorf("the first process sent the reminder again: %+v", rep)
	}
	if n := len(e.sent("reminder")); n != 1 {
		t.Errorf("%d reminders, want 1", n)
	}
}
