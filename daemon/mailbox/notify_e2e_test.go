//go:build e2e

package mailbox

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/leadup/leadup/daemon/e2e"
	"github.com/leadup/leadup/daemon/store"
)

// waitFor polls cond every 50 ms until it holds; the deadline is a hang
// guard, not a timing assertion.
func waitFor(t *testing.T, what string, done <-chan error, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		select {
		case err := <-done:
			t.Fatalf("Watch returned while waiting for %s: %v", what, err)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 30 s", what)
		}
	}
}

// answeredNOOP reports whether the transcript has a NOOP and its OK.
func answeredNOOP(wire string) bool {
	i := strings.Index(wire, " NOOP\r\n")
	if i < 0 {
		return false
	}
	start := strings.LastIndex(wire[:i], "\n") + 1
	return strings.Contains(wire[i:], "\r\n"+wire[start:i]+" OK")
}

// Dovecot and mox offer NOTIFY: a mail APPENDed straight into a project
// label (as a server rule files it) wakes the watcher, which selects no
// folder and keeps the connection alive with NOOPs; the mail is then
// synced.
func TestE2EWatchNotifyWakesForALabel(t *testing.T) { e2e.EachServer(t, e2eWatchNotifyWakesForALabel) }

func e2eWatchNotifyWakesForALabel(t *testing.T, s *e2e.Servers) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fx := newE2EOn(t, s)
	inbox, label := fx.folder("In"), fx.folder("Status/Apollo")
	seed := plainMail("seed-"+fx.prefix+"@example.com", "Sam Lee <sam@example.com>", "apollo@example.com", "Apollo weekly", day0, "Green.")
	fx.add(t, inbox, seed, day0)
	fx.add(t, label, seed, day0)

	var logs, wire lockedBuffer
	opt := fx.opt
	opt.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	opt.Debug = &wire
	opt.IdleRestart = 300 * time.Millisecond // a NOOP after every 300 ms of silence
	watcher, err := Dial(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer watcher.Close()
	wake := make(chan struct{}, 1)
	done := make(chan error, 1)
	go func() { done <- watcher.Watch(ctx, []string{inbox, label}, wake) }()

	waitFor(t, "NOTIFY watch", done, func() bool { return strings.Contains(logs.String(), "watching for new mail with NOTIFY") })
	// The folders' state when the watch began is no news.
	select {
	case <-wake:
		t.Fatal("woken before any new mail")
	default:
	}
	// A keep-alive went out and was answered, and the watch goes on.
	waitFor(t, "answered NOOP", done, func() bool { return answeredNOOP(wire.String()) })

	id := "filed-" + fx.prefix + "@example.com"
	fx.add(t, label, plainMail(id, "Sam Lee <sam@example.com>", "apollo@example.com", "Apollo: blocked", day0.Add(time.Hour),
		"Blocked on the vendor."), day0.Add(time.Hour))
	select {
	case <-wake:
	case err := <-done:
		t.Fatalf("Watch returned: %v\n%s", err, wire.String())
	case <-time.After(30 * time.Second): // a hang guard
		t.Fatalf("a mail filed into %s did not wake the watcher within 30 s:\n%s", label, wire.String())
	}

	// The woken daemon syncs: the filed mail is read.
	c, err := Dial(ctx, fx.opt)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Sync(ctx, fx.st, SyncOptions{Now: day0.AddDate(0, 0, 1), Folders: []Folder{
		{Name: label, Kind: store.KindProject, Project: "Apollo"}}}); err != nil {
		t.Fatal(err)
	}
	msgs, err := fx.st.Messages(ctx, store.Filter{Kind: store.KindProject, Project: "Apollo"})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range msgs {
		found = found || m.MessageID == id
	}
	if !found {
		t.Errorf("the filed mail %s was not synced: %+v", id, msgs)
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("Watch after cancel = %v", err)
	}
	w := wire.String()
	want := fmt.Sprintf(` NOTIFY SET STATUS (mailboxes ("%s" "%s") (MessageNew MessageExpunge))`, inbox, label)
	if !strings.Contains(w, want) {
		t.Errorf("want %q on the wire:\n%s", want, w)
	}
	for _, cmd := range []string{" IDLE\r\n", " SELECT ", " EXAMINE "} {
		if strings.Contains(w, cmd) {
			t.Errorf("the NOTIFY watcher sent %q:\n%s", cmd, w)
		}
	}
	if strings.Contains(w, fx.s.Password) || strings.Count(w, "[login exchange not shown]") < 2 {
		t.Errorf("the transcript shows a login:\n%s", w)
	}
}

// Dovecot with NOTIFY hidden (a proxy strips it from every capability
// list): the watcher falls back to IDLE on INBOX, and new mail there
// still wakes it.
func TestE2EWatchWithoutNotifyIdlesOnInbox(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fx := newE2E(t)
	proxy := e2e.NewIMAPQuirkProxy(t, fx.s.IMAPStartTLSAddr(), e2e.IMAPQuirks{HideCaps: []string{"NOTIFY"}})
	var logs, wire lockedBuffer
	opt := fx.opt
	opt.Port, opt.TLS = proxy.Port(), TLSNone // plain on loopback, so the proxy reads the capabilities
	opt.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	opt.Debug = &wire
	label := fx.folder("Status/Apollo")
	fx.add(t, label, plainMail("seed-"+fx.prefix+"@example.com", "a@example.com", "b@example.com", "s", day0, "t"), day0)
	watcher, err := Dial(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer watcher.Close()
	// The mail this test delivers to the shared INBOX goes when it ends.
	id := "fallback-" + fx.prefix + "@example.com"
	t.Cleanup(func() { fx.removeFromInbox(t, id) })

	wake := make(chan struct{}, 1)
	done := make(chan error, 1)
	go func() { done <- watcher.Watch(ctx, []string{"INBOX", label}, wake) }()
	waitFor(t, "IDLE on INBOX", done, func() bool { return strings.Contains(wire.String(), "+ idling") })
	fx.add(t, "INBOX", plainMail(id, "a@example.com", "b@example.com", "s", day0, "t"), day0)
	select {
	case <-wake:
	case err := <-done:
		t.Fatalf("Watch returned: %v", err)
	case <-time.After(30 * time.Second): // a hang guard
		t.Fatalf("new mail in INBOX did not wake the fallback within 30 s:\n%s", wire.String())
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Watch after cancel = %v", err)
	}
	if l := logs.String(); !strings.Contains(l, "watching INBOX with IDLE") {
		t.Errorf("the fallback was not logged:\n%s", l)
	}
	if w := wire.String(); strings.Contains(w, " NOTIFY ") {
		t.Errorf("NOTIFY sent to a server that hides it:\n%s", w)
	}
}

// removeFromInbox deletes the test's mail with Message-ID id from the
// shared INBOX.
func (fx *e2eFixture) removeFromInbox(t *testing.T, id string) {
	c := fx.s.IMAP(t)
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Logf("cleanup: select INBOX: %v", err)
		return
	}
	res, err := c.UIDSearch(&imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: id}}}, nil).Wait()
	if err != nil || len(res.AllUIDs()) == 0 {
		t.Logf("cleanup: search INBOX for %s: %v", id, err)
		return
	}
	uids := imap.UIDSetNum(res.AllUIDs()...)
	if err := c.Store(uids, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagDeleted}, Silent: true}, nil).Close(); err != nil {
		t.Logf("cleanup: flag %s deleted: %v", id, err)
		return
	}
	if err := c.UIDExpunge(uids).Close(); err != nil {
		t.Logf("cleanup: expunge %s: %v", id, err)
	}
}
