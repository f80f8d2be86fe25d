package mailbox

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
)

func TestDiscoverSpecialUse(t *testing.T) {
	ms := newMemServer(t)
	ms.mkdir(t, "Sent", "")                               // a decoy without the attribute
	ms.mkdir(t, "[Gmail]/Gesendet", imap.MailboxAttrSent) // the real one
	ms.mkdir(t, "[Gmail]/Entwürfe", imap.MailboxAttrDrafts)
	ms.mkdir(t, "Status/Apollo", "")
	ms.mkdir(t, "Status/Zephyr", "")
	ms.mkdir(t, "Receipts", "")
	c, err := Dial(context.Background(), ms.options())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	f, err := c.Discover(context.Background(), "", "", []string{"Status/Apollo", "Status/Zephyr"})
	if err != nil {
		t.Fatal(err)
	}
	if f.Sent != "[Gmail]/Gesendet" || f.Drafts != "[Gmail]/Entwürfe" || len(f.All) != 7 {
		t.Errorf("Discover = %+v", f)
	}
}

func TestDiscoverKnownNamesAndOverride(t *testing.T) {
	ms := newMemServer(t)
	ms.mkdir(t, "Sent Items", "")
	ms.mkdir(t, "Drafts", "")
	ms.mkdir(t, "Archive/Sent 2019", "")
	c, err := Dial(context.Background(), ms.options())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	f, err := c.Discover(context.Background(), "", "", nil)
	if err != nil || f.Sent != "Sent Items" || f.Drafts != "Drafts" {
		t.Errorf("Discover = %+v, %v; want Sent Items and Drafts by name", f, err)
	}
	f, err = c.Discover(context.Background(), "archive/sent 2019", "", nil)
	if err != nil || f.Sent != "Archive/Sent 2019" {
		t.Errorf("Discover with override = %+v, %v", f, err)
	}
	_, err = c.Discover(context.Background(), "Sent Itmes", "", nil)
	if err == nil || !strings.Contains(err.Error(), `"Sent Items"`) {
		t.Errorf("a missing override gave %v, want an error naming the close \"Sent Items\"", err)
	}
}

func TestDiscoverMissingLabelListsClosest(t *testing.T) {
	ms := newMemServer(t)
	ms.mkdir(t, "Sent", imap.MailboxAttrSent)
	for _, n := range []string{"Status/Apollo", "Status/Zephyr", "Projects/Apollo-2", "Receipts", "Travel"} {
		ms.mkdir(t, n, "")
	}
	c, err := Dial(context.Background(), ms.options())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	f, err := c.Discover(context.Background(), "", "", []string{"Status/Apolo", "Status/Zephyr", "Apollo"})
	if err == nil {
		t.Fatal("missing labels gave no error")
	}
	msg := err.Error()
	for _, want := range []string{`"Status/Apolo" does not exist`, `closest folders: "Status/Apollo"`, `"Apollo" does not exist`, `"Projects/Apollo-2"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %s", msg, want)
		}
	}
	if strings.Contains(msg, `"Status/Zephyr" does not exist`) {
		t.Errorf("error names an existing label: %s", msg)
	}
	if f.Sent != "Sent" {
		t.Errorf("Found not filled in despite the error: %+v", f)
	}
}

func TestClosest(t *testing.T) {
	names := []string{"INBOX", "Sent", "Status/Apollo", "Status/Zephyr", "Travel"}
	if got := closest("status/apolo", names, 2); !reflect.DeepEqual(got, []string{"Status/Apollo", "Status/Zephyr"}) {
		t.Errorf("closest = %v", got)
	}
	if got := closest("Zephyr", names, 1); !reflect.DeepEqual(got, []string{"Status/Zephyr"}) {
		t.Errorf("closest = %v", got)
	}
}

func TestAppendDraftAndHasMessageID(t *testing.T) {
	ctx := context.Background()
	ms := newMemServer(t)
	ms.mkdir(t, "Drafts", imap.MailboxAttrDrafts)
	c, err := Dial(ctx, ms.options())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ok, err := c.HasMessageID(ctx, "Drafts", "<digest-2026-11-13@leadup>")
	if err != nil || ok {
		t.Fatalf("HasMessageID before append = %v, %v", ok, err)
	}
	raw := []byte(strings.ReplaceAll(`From: Alex Doe <alex@example.com>
To: Jane Smith <jane@example.com>
Subject: Weekly update
Date: Fri, 13 Nov 2026 15:00:00 +0100
Message-ID: <digest-2026-11-13@leadup>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Apollo: on track.
`, "\n", "\r\n"))
	date := time.Date(2026, 11, 13, 14, 0, 0, 0, time.UTC)
	if err := c.AppendDraft(ctx, "Drafts", raw, date); err != nil {
		t.Fatal(err)
	}
	ok, err = c.HasMessageID(ctx, "Drafts", "digest-2026-11-13@leadup")
	if err != nil || !ok {
		t.Fatalf("HasMessageID after append = %v, %v", ok, err)
	}
	flags := ms.flags(t)
	if got := flags["Drafts/1"]; !strings.Contains(got, `\Draft`) {
		t.Errorf("draft flags = %q, want \\Draft", got)
	}
}

func TestIdleWakesOnNewMail(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ms := newMemServer(t)
	c, err := Dial(ctx, ms.options())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	wake := make(chan struct{}, 1)
	done := make(chan error, 1)
	go func() { done <- c.Idle(ctx, "INBOX", wake) }()
	// Keep delivering until the IDLE has started and reports one.
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for woke := false; !woke; {
		select {
		case <-wake:
			woke = true
		case <-tick.C:
			ms.add(t, "INBOX", "Subject: hi\r\n\r\nhello\r\n", day0)
		case err := <-done:
			t.Fatalf("Idle returned early: %v", err)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Idle after cancel = %v, want nil", err)
	}
}

// A connection that drops right after EXAMINE: HasMessageID must not
// search a fresh connection on which no folder is selected.
func TestHasMessageIDDropAfterExamine(t *testing.T) {
	ctx := context.Background()
	ms := newMemServer(t)
	ms.mkdir(t, "Drafts", imap.MailboxAttrDrafts)
	opt := ms.options()
	var tr strings.Builder
	opt.Debug = &tr
	c, err := Dial(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ms.dropAfterSelect.Store(true)
	// Either answer is fine (the drop may be seen before or during the
	// search); a search without EXAMINE on its connection is not.
	if _, err := c.HasMessageID(ctx, "Drafts", "<x@leadup>"); err != nil {
		t.Logf("HasMessageID after a drop: %v", err)
	}
	selected := false
	for _, line := range strings.Split(tr.String(), "\r\n") {
		switch {
		case strings.Contains(line, "[login exchange not shown]"):
			selected = false // a new connection
		case strings.Contains(line, " EXAMINE "):
			selected = true
		case strings.Contains(line, " UID SEARCH ") && !selected:
			t.Errorf("UID SEARCH on a connection without EXAMINE:\n%s", tr.String())
		}
	}
	// And the client recovers on the next call.
	if ok, err := c.HasMessageID(ctx, "Drafts", "<x@leadup>"); err != nil || ok {
		t.Errorf("HasMessageID after recovery = %v, %v; want false, nil", ok, err)
	}
}

// Idle on a Client that was closed redials rather than reporting that the
// server lacks IDLE.
func TestIdleAfterClose(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ms := newMemServer(t)
	c, err := Dial(ctx, ms.options())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Close()
	wake := make(chan struct{}, 1)
	done := make(chan error, 1)
	go func() { done <- c.Idle(ctx, "INBOX", wake) }()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for woke := false; !woke; {
		select {
		case <-wake:
			woke = true
		case <-tick.C:
			ms.add(t, "INBOX", "Subject: hi\r\n\r\nhello\r\n", day0)
		case err := <-done:
			t.Fatalf("Idle after Close returned early: %v", err)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Idle after cancel = %v, want nil", err)
	}
}

func TestDialBadCAFile(t *testing.T) {
	ms := newMemServer(t)
	opt := ms.options()
	opt.TLS = TLSStartTLS
	opt.CAFile = filepath.Join(t.TempDir(), "missing.pem")
	if _, err := Dial(context.Background(), opt); err == nil || !strings.Contains(err.Error(), "ca_file") {
		t.Errorf("Dial with a missing ca_file = %v, want an error naming ca_file", err)
	}
}

// A typo's near miss comes before the wanted folder's parents, which real
// servers (mox) list as folders of their own.
func TestClosestPrefersNearMissOverParents(t *testing.T) {
	names := []string{"Archive", "Status", "Status/Apollo", "Status/Zephyr", "INBOX"}
	got := closest("Status/Apolo", names, 2)
	if len(got) == 0 || got[0] != "Status/Apollo" {
		t.Errorf("closest(Status/Apolo) = %q, want Status/Apollo first", got)
	}
	if got := closest("apollo", names, 1); len(got) != 1 || got[0] != "Status/Apollo" {
		t.Errorf("closest(apollo) = %q: a label typed without its parent should still find it", got)
	}
}
