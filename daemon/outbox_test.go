package daemon

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/leadup/leadup/daemon/demo"
	"github.com/leadup/leadup/daemon/mailer"
	"github.com/leadup/leadup/daemon/store"
)

// failReminder makes the Friday 10:00 reminder fail for good (a 554) and
// returns its status line.
func (e *env) failReminder() FailedMail {
	e.t.Helper()
	e.srv.FailNext(&smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "rejected"})
	if _, err := e.app.RunOnce(context.Background()); err == nil {
		e.t.Fatal("a 554 should fail the cycle")
	}
	st, err := e.app.Status(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	if len(st.Failed) != 1 {
		e.t.Fatalf("status failed = %+v, want the reminder", st.Failed)
	}
	return st.Failed[0]
}

func asOutboxError(t *testing.T, err error, want string) {
	t.Helper()
	var oe *OutboxError
	if !errors.As(err, &oe) || !strings.Contains(oe.Msg, want) {
		t.Errorf("error %v, want an OutboxError saying %q", err, want)
	}
}

// TestRetryFailedMail: status numbers a failed reminder and names `leadup
// outbox retry N`; retrying makes it pending, the next cycle sends it
// once, and retrying a sent or unknown mail says why not.
func TestRetryFailedMail(t *testing.T) {
	e := newEnv(t, demo.Now.Add(-5*time.Hour))
	ctx := context.Background()
	f := e.failReminder()
	if f.ID == 0 || !strings.Contains(f.Fix, "leadup outbox retry ") || !strings.Contains(f.Fix, "leadup outbox dismiss ") {
		t.Fatalf("failed mail %+v: want its number and the retry and dismiss commands in the fix", f)
	}
	done, err := e.app.RetryOutbox(ctx, f.ID)
	if err != nil || len(done.Rows) != 1 {
		t.Fatalf("retry = %+v, %v", done, err)
	}
	st, _ := e.app.Status(ctx)
	if len(st.Failed) != 0 || len(st.Pending) != 1 || st.Pending[0].ID != f.ID || !strings.Contains(st.Pending[0].Error, "retried by hand") {
		t.Fatalf("after retry: failed %+v, pending %+v", st.Failed, st.Pending)
	}
	asOutboxError(t, func() error { _, err := e.app.RetryOutbox(ctx, f.ID); return err }(), "pending already")
	e.clock.Advance(time.Hour)
	e.cycle()
	if n := len(e.sent("reminder")); n != 1 {
		t.Fatalf("%d reminders after the retry, want 1", n)
	}
	e.clock.Advance(time.Hour)
	e.cycle()
	if n := len(e.sent("reminder")); n != 1 {
		t.Errorf("%d reminders a cycle later, want still 1", n)
	}
	asOutboxError(t, func() error { _, err := e.app.RetryOutbox(ctx, f.ID); return err }(), "was sent on")
	asOutboxError(t, func() error { _, err := e.app.RetryOutbox(ctx, 999); return err }(), "leadup status")
}

// TestRetriedMailAlreadyDeliveredIsNotResent: a retried mail that reached
// the mailbox after all (the server took it and then said no) is found by
// its Message-ID and not sent again.
func TestRetriedMailAlreadyDeliveredIsNotResent(t *testing.T) {
	e := newEnv(t, demo.Now.Add(-5*time.Hour))
	ctx := context.Background()
	f := e.failReminder()
	row, _, err := e.app.st.OutboxByID(ctx, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	m := e.reminderMessage(row)
	raw, err := mailer.Build(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.srv.Append("INBOX", raw, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.RetryOutbox(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Hour)
	e.cycle()
	if n := len(e.sent("reminder")); n != 0 {
		t.Errorf("a retried mail already in the Inbox was sent again (%d)", n)
	}
	if got, _ := e.app.st.OutboxByKey(ctx, row.Key); got.State != store.StateSent {
		t.Errorf("its row is %s, want sent", got.State)
	}
}

// TestDismissAndStaleRetry: a reminder of an earlier day is not retried
// (the fix says so, and names dismiss); dismissing it hides it from status
// and sends nothing.
func TestDismissAndStaleRetry(t *testing.T) {
	e := newEnv(t, demo.Now.Add(-5*time.Hour))
	ctx := context.Background()
	f := e.failReminder()
	e.clock.Advance(72 * time.Hour) // Monday
	st, _ := e.app.Status(ctx)
	if len(st.Failed) != 1 || strings.Contains(st.Failed[0].Fix, "retry") || !strings.Contains(st.Failed[0].Fix, "dismiss") {
		t.Fatalf("status failed = %+v: a stale reminder's fix names dismiss, not retry", st.Failed)
	}
	asOutboxError(t, func() error { _, err := e.app.RetryOutbox(ctx, f.ID); return err }(), "dismiss")
	done, err := e.app.DismissOutbox(ctx, f.ID)
	if err != nil || len(done.Rows) != 1 {
		t.Fatalf("dismiss = %+v, %v", done, err)
	}
	st, _ = e.app.Status(ctx)
	if len(st.Failed) != 0 || len(st.Pending) != 0 {
		t.Errorf("after dismiss: failed %+v, pending %+v", st.Failed, st.Pending)
	}
	asOutboxError(t, func() error { _, err := e.app.DismissOutbox(ctx, f.ID); return err }(), "already")
}

// TestDismissPendingMail: a pending mail dismissed is never sent.
func TestDismissPendingMail(t *testing.T) {
	e := newEnv(t, demo.Now.Add(-5*time.Hour))
	ctx := context.Background()
	e.reconfigure(wrongSMTPPassword) // the reminder waits, pending
	if _, err := e.app.RunOnce(ctx); err == nil {
		t.Fatal("a refused login should fail the cycle")
	}
	st, _ := e.app.Status(ctx)
	if len(st.Pending) != 1 {
		t.Fatalf("pending %+v, want the reminder", st.Pending)
	}
	if _, err := e.app.DismissOutbox(ctx, st.Pending[0].ID); err != nil {
		t.Fatal(err)
	}
	e.reconfigure(func(s string) string { return strings.Replace(s, "not-the-password", demo.Password, 1) })
	e.clock.Advance(time.Hour)
	e.cycle()
	if n := len(e.sent("reminder")); n != 0 {
		t.Errorf("a dismissed pending reminder was sent (%d)", n)
	}
	if st, _ := e.app.Status(ctx); len(st.Pending)+len(st.Failed) != 0 {
		t.Errorf("status still lists it: %+v %+v", st.Pending, st.Failed)
	}
}

// TestStatusNextTimes: before the first sync status has no last sync and
// no last cycle; after a cycle on Friday 10:00 it has both, the digest is
// next at 15:00 and the reminder check later than now.
func TestStatusNextTimes(t *testing.T) {
	e := newEnv(t, demo.Now.Add(-5*time.Hour))
	ctx := context.Background()
	st, err := e.app.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.LastSync != nil || st.LastCycle != nil {
		t.Errorf("before any cycle: last sync %v, last cycle %+v", st.LastSync, st.LastCycle)
	}
	if st.NextDigest == nil || !st.NextDigest.Equal(demo.Now) {
		t.Errorf("next digest %v, want %v", st.NextDigest, demo.Now)
	}
	e.cycle()
	st, err = e.app.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := e.clock.Now()
	if st.LastSync == nil || !st.LastSync.Equal(now) {
		t.Errorf("last sync %v, want %v", st.LastSync, now)
	}
	if c := st.LastCycle; c == nil || !c.OK || c.Error != nil || !c.At.Equal(now) {
		t.Errorf("last cycle %+v, want ok at %v", c, now)
	}
	if st.NextReminder == nil || !st.NextReminder.After(now) {
		t.Errorf("next reminder %v, want after %v (today's was sent)", st.NextReminder, now)
	}
	if st.NextDigest == nil || !st.NextDigest.Equal(demo.Now) {
		t.Errorf("next digest %v, want %v", st.NextDigest, demo.Now)
	}
	// A failed cycle is recorded with its error. (The IMAP line comes
	// first in the demo config.)
	e.reconfigure(func(s string) string {
		return strings.Replace(s, "password: "+demo.Password, "password: not-the-password", 1)
	})
	e.clock.Advance(time.Minute)
	if _, err := e.app.RunOnce(ctx); err == nil {
		t.Fatal("a cycle with a refused IMAP login should fail")
	}
	st, _ = e.app.Status(ctx)
	if c := st.LastCycle; c == nil || c.OK || c.Error == nil || *c.Error == "" {
		t.Errorf("last cycle %+v, want the failure", c)
	}
	if st.LastSync == nil || !st.LastSync.Equal(now) {
		t.Errorf("last sync %v, want still %v", st.LastSync, now)
	}
}
