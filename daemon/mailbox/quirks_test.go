package mailbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/leadup/leadup/daemon/backoff"
	"github.com/leadup/leadup/daemon/e2e"
	"github.com/leadup/leadup/daemon/store"
)

// quirkServer is one kind of server leadup meets: a layout of folders,
// and the quirks of a proxy in front of it (none when nil).
type quirkServer struct {
	name   string
	layout serverLayout
	quirks *e2e.IMAPQuirks
}

// quirkServers are the servers every core operation is tried against.
// imapmemserver itself offers none of CONDSTORE, UIDPLUS, LITERAL+ and
// SPECIAL-USE (TestQuirkServersLackWhatTheySay checks it), so each of
// them stands for a server without those; the proxy takes away what it
// always offers (LITERAL-, IDLE, UNSELECT).
var quirkServers = []quirkServer{
	{name: "special-use attributes without SPECIAL-USE (Gmail)"},
	{name: "no special-use attributes", layout: serverLayout{NoSpecialUse: true}},
	{name: "Cyrus: INBOX. namespace and . separator", layout: cyrusLayout},
	{name: "Courier: INBOX. namespace, no UNSELECT, no APPEND into the EXAMINEd folder", layout: cyrusLayout, quirks: &e2e.CourierQuirks},
	{name: "no LITERAL+ nor LITERAL-", quirks: &e2e.IMAPQuirks{HideCaps: []string{"LITERAL+", "LITERAL-"}}},
	{name: "no IDLE", quirks: &e2e.IMAPQuirks{HideCaps: []string{"IDLE"}, Refuse: []string{"IDLE"}}},
	{name: "drops the connection every 6 commands", quirks: &e2e.IMAPQuirks{DropEvery: 6}},
}

// path is a folder's name on a server with layout l: "Status/Apollo" is
// "INBOX.Status.Apollo" under Cyrus's layout.
func (l serverLayout) path(p string) string {
	if l.Delim != 0 {
		p = strings.ReplaceAll(p, "/", string(l.Delim))
	}
	return l.Personal + p
}

// start runs the server (and its proxy) with Sent, Drafts, two labels and
// a few messages in each folder leadup reads; the options point at it.
func (qs quirkServer) start(t *testing.T) (*memServer, *e2e.IMAPQuirkProxy, Options) {
	t.Helper()
	ms := newLayoutServer(t, qs.layout)
	l := qs.layout
	ms.mkdir(t, l.path("Sent"), imap.MailboxAttrSent)
	ms.mkdir(t, l.path("Drafts"), imap.MailboxAttrDrafts)
	ms.mkdir(t, l.path("Status/Apollo"), "")
	ms.mkdir(t, l.path("Status/Zephyr"), "")
	for i := range 3 {
		d := day0.AddDate(0, 0, i)
		ms.add(t, l.path("Sent"), plainMail(fmt.Sprintf("sent-%d@example.com", i), "Alex Doe <alex@example.com>",
			"Jane Smith <jane@example.com>", fmt.Sprintf("Apollo update %d", i), d, "Apollo is on track."), d, imap.FlagSeen)
	}
	ms.add(t, "INBOX", plainMail("ask-1@example.com", "Jane Smith <jane@example.com>", "alex@example.com",
		"Any update on Apollo?", day0, "Hi Alex, any update on Apollo?"), day0)
	ms.add(t, l.path("Status/Apollo"), plainMail("apollo-1@example.com", "Sam Lee <sam@example.com>", "apollo@example.com",
		"Apollo weekly", day0, "Status: green. We shipped the beta."), day0)
	opt := ms.options()
	opt.Logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opt.Backoff = backoff.Backoff{Min: time.Millisecond, Max: 5 * time.Millisecond}
	var proxy *e2e.IMAPQuirkProxy
	if qs.quirks != nil {
		proxy = e2e.NewIMAPQuirkProxy(t, ms.addr, *qs.quirks)
		opt.Port = proxy.Port()
	}
	return ms, proxy, opt
}

// count is how many messages folder holds on the server.
func (ms *memServer) count(t testing.TB, folder string) uint32 {
	t.Helper()
	c, err := imapclient.DialInsecure(ms.addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(testUser, testPass).Wait(); err != nil {
		t.Fatal(err)
	}
	sel, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	return sel.NumMessages
}

// discover is Discover retried while the connection breaks, as the
// daemon's connectRetry does.
func discover(t *testing.T, c *Client, labels []string) Found {
	t.Helper()
	for try := 0; ; try++ {
		f, err := c.Discover(context.Background(), "", "", labels)
		if err == nil {
			return f
		}
		if !Retryable(err) || try == 5 {
			t.Fatalf("Discover: %v", err)
		}
	}
}

// saveDraft is what the daemon does with a planned draft each cycle until
// it is confirmed: look for it, APPEND it when it is not there.
func saveDraft(ctx context.Context, c *Client, folder, id string, raw []byte) error {
	has, err := c.HasMessageID(ctx, folder, id)
	if err != nil || has {
		return err
	}
	return c.AppendDraft(ctx, folder, raw, day0)
}

func draftMail(id string) []byte {
	return []byte(strings.ReplaceAll(fmt.Sprintf(`From: Alex Doe <alex@example.com>
To: Jane Smith <jane@example.com>
Subject: Weekly update
Date: Fri, 13 Nov 2026 15:00:00 +0100
Message-ID: <%s>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Apollo: on track.
`, id), "\n", "\r\n"))
}

// Every core operation works against every kind of server: Sent and
// Drafts are found, "Status/Apollo" resolves to the server's own name for
// it, a first sync reads every message, a draft saved cycle after cycle
// lands once, and the resend lookup finds a mail by its Message-ID.
func TestQuirkServersCoreOperations(t *testing.T) {
	for _, qs := range quirkServers {
		t.Run(qs.name, func(t *testing.T) {
			ctx := context.Background()
			ms, proxy, opt := qs.start(t)
			l := qs.layout
			var tr strings.Builder
			opt.Debug = &tr
			c, err := Dial(ctx, opt)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()

			f := discover(t, c, []string{"Status/Apollo", "Status/Zephyr"})
			if f.Sent != l.path("Sent") || f.Drafts != l.path("Drafts") {
				t.Errorf("Sent %q, Drafts %q; want %q and %q", f.Sent, f.Drafts, l.path("Sent"), l.path("Drafts"))
			}
			label, ok := lookup(f.All, "Status/Apollo")
			if !ok || label != l.path("Status/Apollo") {
				t.Fatalf("label Status/Apollo resolved to %q, %v; want %q", label, ok, l.path("Status/Apollo"))
			}

			st, err := store.Open(ctx, filepath.Join(t.TempDir(), "state.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			so := SyncOptions{Now: day0.AddDate(0, 0, 10), Folders: []Folder{
				{Name: f.Sent, Kind: store.KindSent},
				{Name: "INBOX", Kind: store.KindInbox},
				{Name: label, Kind: store.KindProject, Project: "Apollo"},
			}}
			if _, err := c.Sync(ctx, st, so); err != nil {
				t.Fatalf("Sync: %v", err)
			}
			if got := storeDump(t, st); len(got) != 5 {
				t.Errorf("the sync stored %d messages, want the 5 seeded:\n%s", len(got), strings.Join(got, "\n"))
			}

			// The draft, saved as the daemon does until it is confirmed;
			// an attempt the connection breaks under is made again.
			raw := draftMail("digest-2026-11-13@leadup")
			var saved bool
			for try := 0; try < 4 && !saved; try++ {
				if err := saveDraft(ctx, c, f.Drafts, "digest-2026-11-13@leadup", raw); err != nil {
					if !Retryable(err) {
						t.Fatalf("saving the draft: %v", err)
					}
					t.Logf("saving the draft, attempt %d: %v", try+1, err)
					continue
				}
				saved = true
			}
			if !saved {
				t.Fatal("the draft was not saved in 4 attempts")
			}
			// A later cycle finds it and saves nothing more.
			for try := 0; try < 3; try++ {
				if err := saveDraft(ctx, c, f.Drafts, "digest-2026-11-13@leadup", raw); err == nil {
					break
				} else if !Retryable(err) {
					t.Fatal(err)
				}
			}
			if n := ms.count(t, f.Drafts); n != 1 {
				t.Errorf("%d drafts in %s, want exactly 1", n, f.Drafts)
			}

			// The resend lookup.
			if has, err := c.HasMessageID(ctx, "INBOX", "ask-1@example.com"); err != nil || !has {
				t.Errorf("HasMessageID(INBOX, a mail there) = %v, %v", has, err)
			}
			if has, err := c.HasMessageID(ctx, f.Sent, "never-sent@leadup"); err != nil || has {
				t.Errorf("HasMessageID(Sent, a mail never sent) = %v, %v", has, err)
			}

			if proxy != nil && proxy.Refusals() != 0 {
				t.Errorf("the server refused %d commands: %v", proxy.Refusals(), proxy.Commands())
			}
			wire := tr.String()
			if strings.Contains(wire, " CLOSE\r\n") {
				t.Errorf("CLOSE sent: it expunges on a server that ignores RFC 3501 6.4.2")
			}
			if qs.quirks != nil && slices.Contains(qs.quirks.HideCaps, "UNSELECT") && strings.Contains(wire, " UNSELECT\r\n") {
				t.Errorf("UNSELECT sent to a server that does not offer it")
			}
			if qs.quirks != nil && qs.quirks.DropEvery > 0 && proxy.Drops() == 0 {
				t.Errorf("the connection was never dropped: the test did not test drops")
			}
		})
	}
}

// The servers lack what their names say: imapmemserver offers none of
// CONDSTORE, UIDPLUS, LITERAL+ and SPECIAL-USE, and the proxy hides what
// it would offer.
func TestQuirkServersLackWhatTheySay(t *testing.T) {
	for _, qs := range quirkServers {
		t.Run(qs.name, func(t *testing.T) {
			_, _, opt := qs.start(t)
			c, err := Dial(context.Background(), opt)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			caps := c.Caps()
			for _, cp := range []imap.Cap{imap.CapCondStore, imap.CapUIDPlus, imap.CapLiteralPlus, imap.CapSpecialUse, imap.CapIMAP4rev2} {
				if caps.Has(cp) {
					t.Errorf("the server offers %s", cp)
				}
			}
			if qs.quirks != nil {
				for _, h := range qs.quirks.HideCaps {
					if caps.Has(imap.Cap(h)) {
						t.Errorf("the server offers %s, which the proxy should hide", h)
					}
				}
			}
			if has := caps.Has(imap.CapNamespace); has != (qs.layout.Personal != "") {
				t.Errorf("NAMESPACE offered: %v; want it with a personal prefix only", has)
			}
		})
	}
}

// The Courier-like proxy refuses what Courier refuses: an APPEND into the
// folder the connection has open with EXAMINE (what leadup did before it
// left the folder first) and UNSELECT. Another folder open, or none,
// and the APPEND goes through.
func TestCourierLikeServerRefusesAppendIntoExaminedFolder(t *testing.T) {
	qs := quirkServer{layout: cyrusLayout, quirks: &e2e.CourierQuirks}
	ms, proxy, opt := qs.start(t)
	c, err := imapclient.DialInsecure(fmt.Sprintf("127.0.0.1:%d", opt.Port), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(testUser, testPass).Wait(); err != nil {
		t.Fatal(err)
	}
	drafts := cyrusLayout.path("Drafts")
	raw := draftMail("x@leadup")
	if _, err := c.Select(drafts, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatal(err)
	}
	_, err = e2e.AppendRaw(c, drafts, raw, nil)
	var ie *imap.Error
	if !errors.As(err, &ie) || ie.Type != imap.StatusResponseTypeNo || !strings.Contains(ie.Text, "READ-ONLY") {
		t.Fatalf("APPEND into the EXAMINEd folder: %v; want Courier's NO", err)
	}
	if err := c.Unselect().Wait(); !errors.As(err, &ie) {
		t.Errorf("UNSELECT: %v; want it refused", err)
	}
	if _, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := e2e.AppendRaw(c, drafts, raw, nil); err != nil {
		t.Errorf("APPEND with another folder open: %v", err)
	}
	if n := ms.count(t, drafts); n != 1 {
		t.Errorf("%d drafts, want the one APPEND that was not refused", n)
	}
	if proxy.Refusals() != 2 {
		t.Errorf("%d refusals, want 2 (the APPEND and the UNSELECT)", proxy.Refusals())
	}
}

// Where the server offers UNSELECT, leadup leaves Drafts with it before
// the APPEND, on the same connection.
func TestAppendDraftUnselectsWhereOffered(t *testing.T) {
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
	if err := saveDraft(ctx, c, "Drafts", "y@leadup", draftMail("y@leadup")); err != nil {
		t.Fatal(err)
	}
	wire := tr.String()
	ex, un, ap := strings.Index(wire, " EXAMINE "), strings.Index(wire, " UNSELECT\r\n"), strings.Index(wire, " APPEND ")
	if ex < 0 || un < ex || ap < un || strings.Count(wire, "[login exchange not shown]") != 1 {
		t.Errorf("want EXAMINE, UNSELECT, APPEND on one connection:\n%s", wire)
	}
}

// A server without IDLE: Idle says so at once instead of waiting.
func TestIdleWithoutIdleCapability(t *testing.T) {
	qs := quirkServer{quirks: &e2e.IMAPQuirks{HideCaps: []string{"IDLE"}, Refuse: []string{"IDLE"}}}
	_, proxy, opt := qs.start(t)
	c, err := Dial(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Idle(context.Background(), "INBOX", make(chan struct{}, 1)); !errors.Is(err, errNoIdle) {
		t.Errorf("Idle without IDLE = %v, want %v", err, errNoIdle)
	}
	if slices.Contains(proxy.Commands(), "IDLE") {
		t.Errorf("IDLE sent to a server that does not offer it: %v", proxy.Commands())
	}
}

// Labels resolve through the server's layout: exactly first, then the
// same path under the personal prefix and separator, then ignoring case;
// a path that matches several folders is an error naming them.
func TestResolveLabels(t *testing.T) {
	cyrus := []string{"INBOX", "INBOX.Sent", "INBOX.Drafts", "INBOX.Status", "INBOX.Status.Apollo", "INBOX.Status.Zephyr"}
	for _, c := range []struct {
		names      []string
		want, got  string
		candidates []string
	}{
		{cyrus, "Status/Apollo", "INBOX.Status.Apollo", nil},
		{cyrus, "INBOX.Status.Apollo", "INBOX.Status.Apollo", nil},
		{cyrus, "Status.Apollo", "INBOX.Status.Apollo", nil},
		{cyrus, "INBOX/Status/Apollo", "INBOX.Status.Apollo", nil},
		{cyrus, "status/apollo", "INBOX.Status.Apollo", nil},
		{cyrus, "Sent", "INBOX.Sent", nil},
		{cyrus, "inbox", "INBOX", nil},
		{cyrus, "Status/Apolo", "", nil},
		{[]string{"INBOX", "Status.Apollo"}, "Status/Apollo", "Status.Apollo", nil},
		{[]string{"INBOX", "INBOX/Status/Apollo"}, "Status/Apollo", "INBOX/Status/Apollo", nil},
		// An exact name always wins, and the right case over another.
		{[]string{"INBOX.Status.Apollo", "Status/Apollo"}, "Status/Apollo", "Status/Apollo", nil},
		{[]string{"INBOX.status.apollo", "INBOX.Status.Apollo"}, "Status/Apollo", "INBOX.Status.Apollo", nil},
		{[]string{"status/apollo", "Status/APOLLO"}, "Status/Apollo", "", []string{"status/apollo", "Status/APOLLO"}},
		{[]string{"INBOX", "INBOX.Status.Apollo", "Status.Apollo"}, "Status/Apollo", "", []string{"INBOX.Status.Apollo", "Status.Apollo"}},
	} {
		got, cands := resolve(c.names, c.want)
		if got != c.got || !slices.Equal(cands, c.candidates) {
			t.Errorf("resolve(%v, %q) = %q, %v; want %q, %v", c.names, c.want, got, cands, c.got, c.candidates)
		}
	}
}

// On a server with the INBOX. layout, a label that matches two folders
// is an error that names both, and a missing one names the closest.
func TestDiscoverAmbiguousLabel(t *testing.T) {
	ms := newLayoutServer(t, cyrusLayout)
	for _, n := range []string{"INBOX.Sent", "INBOX.Status.Apollo", "Status.Apollo"} {
		ms.mkdir(t, n, "")
	}
	c, err := Dial(context.Background(), ms.options())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	f, err := c.Discover(context.Background(), "", "", []string{"Status/Apollo", "Status/Zephyr"})
	if err == nil {
		t.Fatal("an ambiguous and a missing label gave no error")
	}
	for _, want := range []string{`project label "Status/Apollo" matches several folders: "INBOX.Status.Apollo", "Status.Apollo"`,
		`project label "Status/Zephyr" does not exist`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %s", err, want)
		}
	}
	if f.Sent != "INBOX.Sent" {
		t.Errorf("Sent = %q, want INBOX.Sent found by name", f.Sent)
	}
}
