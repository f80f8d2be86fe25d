//go:build e2e

// End-to-end tests against the real Dovecot started by
// `.ci/mailservers start`, the core of them (sync, discovery, certificates,
// UIDVALIDITY, drafts, IDLE) also against mox, as subtests "dovecot" and
// "mox":
//
//	.ci/mailservers start && LEADUP_E2E=1 go test -race -tags e2e ./daemon/mailbox/
//
// Other packages' tests share the account, so every test here works in
// folders under its own prefix and deletes them when it ends.
package mailbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/leadup/leadup/daemon/backoff"
	"github.com/leadup/leadup/daemon/e2e"
	"github.com/leadup/leadup/daemon/store"
)

type e2eFixture struct {
	s      *e2e.Servers
	prefix string
	opt    Options
	st     *store.Store
}

func newE2E(t *testing.T) *e2eFixture {
	t.Helper()
	return newE2EOn(t, e2e.Env(t))
}

// newE2EOn is newE2E on the servers s (Dovecot or mox).
func newE2EOn(t *testing.T, s *e2e.Servers) *e2eFixture {
	t.Helper()
	prefix := fmt.Sprintf("mbx%d-%s-%d", os.Getpid(), strings.NewReplacer("/", "-", ".", "-").Replace(t.Name()), time.Now().UnixNano()%1e6)
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	fx := &e2eFixture{s: s, prefix: prefix, st: st, opt: Options{
		Host: s.IMAPHost, Port: s.IMAPSPort, TLS: TLSImplicit, CAFile: s.CAFile,
		Username: s.User, Secret: func(context.Context) (string, error) { return s.Password, nil },
		CommandTimeout: 30 * time.Second,
		Logger:         slog.New(slog.NewTextHandler(testWriter{t}, nil)),
		Backoff:        backoff.Backoff{Min: 10 * time.Millisecond, Max: 100 * time.Millisecond, Jitter: 0.5},
	}}
	t.Cleanup(func() { fx.cleanup(t) })
	return fx
}

// folder names a folder under the test's prefix.
func (fx *e2eFixture) folder(name string) string { return fx.prefix + "/" + name }

// cleanup deletes the test's folders, children first.
func (fx *e2eFixture) cleanup(t *testing.T) {
	c := fx.s.IMAP(t)
	list, err := c.List("", fx.prefix+"*", nil).Collect()
	if err != nil {
		t.Logf("cleanup: list: %v", err)
		return
	}
	slices.SortFunc(list, func(a, b *imap.ListData) int { return len(b.Mailbox) - len(a.Mailbox) })
	for _, mb := range list {
		if slices.Contains(mb.Attrs, imap.MailboxAttrNonExistent) || slices.Contains(mb.Attrs, imap.MailboxAttrNoSelect) {
			continue
		}
		if err := c.Delete(mb.Mailbox).Wait(); err != nil {
			t.Logf("cleanup: delete %s: %v", mb.Mailbox, err)
		}
	}
}

func crlf(s string) []byte {
	return []byte(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n"))
}

func (fx *e2eFixture) add(t *testing.T, folder, raw string, date time.Time, flags ...imap.Flag) imap.UID {
	t.Helper()
	if flags == nil {
		flags = []imap.Flag{}
	}
	return fx.s.Append(t, folder, crlf(raw), flags, date)
}

func (fx *e2eFixture) flags(t *testing.T, folders ...string) map[string][]imap.Flag {
	out := map[string][]imap.Flag{}
	for _, f := range folders {
		for uid, fl := range fx.s.Flags(t, f) {
			out[fmt.Sprintf("%s/%d", f, uid)] = fl
		}
	}
	return out
}

func TestE2ESyncImplicitTLS(t *testing.T) { e2e.EachServer(t, e2eSyncImplicitTLS) }

func e2eSyncImplicitTLS(t *testing.T, s *e2e.Servers) {
	ctx := context.Background()
	fx := newE2EOn(t, s)
	sent, inbox, apollo := fx.folder("Sent"), fx.folder("In"), fx.folder("Status/Apollo")
	for i := range 4 {
		d := day0.AddDate(0, 0, i)
		fx.add(t, sent, plainMail(fmt.Sprintf("e2e-sent-%d-%s@example.com", i, fx.prefix), "Alex Doe <alex@example.com>",
			"Jane Smith <jane@example.com>", fmt.Sprintf("Apollo update %d", i), d, "On track."), d, imap.FlagSeen)
	}
	fx.add(t, inbox, plainMail("e2e-ask-"+fx.prefix+"@example.com", "Jane Smith <jane@example.com>", "alex@example.com",
		"Any update?", day0, "Any update on Apollo?"), day0)
	for i := range 3 {
		d := day0.Add(time.Duration(i) * time.Hour)
		var flags []imap.Flag
		if i == 1 {
			flags = []imap.Flag{imap.FlagFlagged, imap.FlagAnswered}
		}
		fx.add(t, apollo, altMail(fmt.Sprintf("e2e-apollo-%d-%s@example.com", i, fx.prefix), "Bob Lee <bob@example.com>",
			"apollo-team@example.com", fmt.Sprintf("Re: Apollo weekly %d", i), d, "Launch slipped, blocked on vendor."), d, flags...)
	}
	before := fx.flags(t, sent, inbox, apollo)

	c, err := Dial(ctx, fx.opt)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	so := SyncOptions{Now: day0.AddDate(0, 0, 10), Folders: []Folder{
		{Name: sent, Kind: store.KindSent}, {Name: inbox, Kind: store.KindInbox},
		{Name: apollo, Kind: store.KindProject, Project: "Apollo"},
	}}
	stats, err := c.Sync(ctx, fx.st, so)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Fetched != 8 || stats.Stored != 8 {
		t.Errorf("first sync = %+v, want 8 fetched and stored", stats)
	}
	if after := fx.flags(t, sent, inbox, apollo); !reflect.DeepEqual(before, after) {
		t.Errorf("flags changed by a sync:\nbefore %v\nafter  %v", before, after)
	}
	msgs, err := fx.st.Messages(ctx, store.Filter{Kind: store.KindProject, Project: "Apollo"})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 3 || msgs[0].FromAddr != "bob@example.com" || msgs[0].InReplyTo == "" || msgs[0].Visible == "" {
		t.Errorf("Apollo messages stored as %+v", msgs)
	}
	cur, _, err := fx.st.Cursor(ctx, apollo)
	if err != nil || cur.HighestModSeq == 0 || cur.LastUID != 3 {
		t.Errorf("cursor = %+v, %v; want last UID 3 and %s's HIGHESTMODSEQ", cur, err, fx.s.Name)
	}

	stats, err = c.Sync(ctx, fx.st, so)
	if err != nil {
		t.Fatal(err)
	}
	if stats.RoundTrips != 3 || stats.Fetched != 0 {
		t.Errorf("nothing-new sync = %+v, want 3 round trips, nothing fetched", stats)
	}

	fx.add(t, apollo, plainMail("e2e-new-"+fx.prefix+"@example.com", "Bob Lee <bob@example.com>", "apollo-team@example.com",
		"Unblocked", day0.AddDate(0, 0, 2), "Back on track."), day0.AddDate(0, 0, 2))
	stats, err = c.Sync(ctx, fx.st, so)
	if err != nil || stats.Fetched != 1 || stats.Stored != 1 {
		t.Errorf("incremental sync = %+v, %v; want 1 fetched and stored", stats, err)
	}
}

func TestE2EStartTLSAndDiscover(t *testing.T) { e2e.EachServer(t, e2eStartTLSAndDiscover) }

func e2eStartTLSAndDiscover(t *testing.T, s *e2e.Servers) {
	ctx := context.Background()
	fx := newE2EOn(t, s)
	fx.add(t, fx.folder("Status/Apollo"), plainMail("d@example.com", "a@example.com", "b@example.com", "s", day0, "t"), day0)
	opt := fx.opt
	opt.Port, opt.TLS = fx.s.IMAPStartTLSPort, TLSStartTLS
	c, err := Dial(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	f, err := c.Discover(ctx, "", "", []string{fx.folder("Status/Apollo")})
	if err != nil {
		t.Fatal(err)
	}
	if f.Sent != "Sent" || f.Drafts != "Drafts" {
		t.Errorf("Discover = %+v, want %s's special-use Sent and Drafts", f, fx.s.Name)
	}
	t.Run("misspelled label", func(t *testing.T) {
		// mox makes the parents of Status/Apollo real folders: they must
		// not crowd out the folder meant.
		_, err := c.Discover(ctx, "", "", []string{fx.folder("Status/Apolo")})
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%q", fx.folder("Status/Apollo"))) {
			t.Errorf("missing label error = %v, want it to name %s", err, fx.folder("Status/Apollo"))
		}
	})
}

func TestE2EUntrustedCertificateRefused(t *testing.T) {
	e2e.EachServer(t, e2eUntrustedCertificateRefused)
}

func e2eUntrustedCertificateRefused(t *testing.T, s *e2e.Servers) {
	fx := newE2EOn(t, s)
	for _, mode := range []struct {
		tls  string
		port int
	}{{TLSImplicit, fx.s.IMAPSPort}, {TLSStartTLS, fx.s.IMAPStartTLSPort}} {
		opt := fx.opt
		opt.CAFile, opt.TLS, opt.Port = "", mode.tls, mode.port
		_, err := Dial(context.Background(), opt)
		var cv *tls.CertificateVerificationError
		if !errors.As(err, &cv) {
			t.Errorf("%s without ca_file: Dial = %v, want a certificate verification error", mode.tls, err)
		}
	}
}

func TestE2EUIDValidityReset(t *testing.T) { e2e.EachServer(t, e2eUIDValidityReset) }

func e2eUIDValidityReset(t *testing.T, s *e2e.Servers) {
	ctx := context.Background()
	fx := newE2EOn(t, s)
	apollo := fx.folder("Apollo")
	raws := make([]string, 4)
	for i := range raws {
		raws[i] = altMail(fmt.Sprintf("uv-%d-%s@example.com", i, fx.prefix), "Bob Lee <bob@example.com>", "t@example.com",
			fmt.Sprintf("Apollo %d", i), day0.Add(time.Duration(i)*time.Hour), "text")
	}
	for _, r := range raws[:3] {
		fx.add(t, apollo, r, day0)
	}
	so := SyncOptions{Now: day0, Folders: []Folder{{Name: apollo, Kind: store.KindProject, Project: "Apollo"}}}
	if _, err := Sync(ctx, fx.opt, fx.st, so); err != nil {
		t.Fatal(err)
	}
	before, _, _ := fx.st.Cursor(ctx, apollo)

	admin := fx.s.IMAP(t)
	if err := admin.Delete(apollo).Wait(); err != nil {
		t.Fatal(err)
	}
	for _, r := range raws {
		fx.add(t, apollo, r, day0)
	}
	stats, err := Sync(ctx, fx.opt, fx.st, so)
	if err != nil {
		t.Fatal(err)
	}
	after, _, _ := fx.st.Cursor(ctx, apollo)
	if after.UIDValidity == before.UIDValidity {
		t.Fatalf("%s kept UIDVALIDITY %d across delete and create", fx.s.Name, before.UIDValidity)
	}
	msgs, err := fx.st.Messages(ctx, store.Filter{Kind: store.KindProject})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Resets != 1 || len(msgs) != 4 {
		t.Errorf("after the reset: stats %+v, %d messages; want 1 reset and 4 messages", stats, len(msgs))
	}
}

func TestE2ECutMidFetchResumes(t *testing.T) {
	ctx := context.Background()
	fx := newE2E(t)
	apollo := fx.folder("Apollo")
	const n = 120
	c0 := fx.s.IMAP(t)
	if err := c0.Create(apollo, nil).Wait(); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		raw := crlf(altMail(fmt.Sprintf("cut-%d-%s@example.com", i, fx.prefix), "Bob Lee <bob@example.com>", "t@example.com",
			fmt.Sprintf("Apollo %d", i), day0.Add(time.Duration(i)*time.Minute), strings.Repeat("progress on the vendor work ", 100)))
		cmd := c0.Append(apollo, int64(len(raw)), &imap.AppendOptions{Time: day0})
		cmd.Write(raw)
		cmd.Close()
		if _, err := cmd.Wait(); err != nil {
			t.Fatal(err)
		}
	}
	before := fx.flags(t, apollo)
	proxy := e2e.NewCutProxy(t, fx.s.IMAPSAddr())
	opt := fx.opt
	opt.Host, opt.Port = "127.0.0.1", portOf(t, proxy.Addr)
	opt.Batch = 25
	c, err := Dial(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	proxy.CutAfter(150 << 10) // about a third of the way through the FETCH
	so := SyncOptions{Now: day0, Folders: []Folder{{Name: apollo, Kind: store.KindProject, Project: "Apollo"}}}
	stats, err := c.Sync(ctx, fx.st, so)
	if err != nil {
		t.Fatal(err)
	}
	if proxy.Cuts() == 0 || stats.Redials == 0 {
		t.Fatalf("no cut happened: cuts %d, stats %+v", proxy.Cuts(), stats)
	}
	msgs, err := fx.st.Messages(ctx, store.Filter{Kind: store.KindProject})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, m := range msgs {
		ids[m.MessageID] = true
	}
	if len(msgs) != n || len(ids) != n || stats.Skipped != 0 {
		t.Errorf("after a cut: %d stored, %d distinct, stats %+v; want %d exactly once", len(msgs), len(ids), stats, n)
	}
	if after := fx.flags(t, apollo); !reflect.DeepEqual(before, after) {
		t.Errorf("flags changed")
	}
}

// realWorld are malformed messages of the kinds found in real mailboxes.
func realWorld(prefix string) []string {
	huge := strings.Repeat("x", 200<<10)
	var refs strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&refs, " <ref-%d@example.com>", i)
	}
	return []string{
		// Broken MIME boundary: declared, never used, then a different one.
		"From: a@example.com\nSubject: broken boundary\nMessage-ID: <mw1-" + prefix + "@x>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"declared\"\n\n--other\nContent-Type: text/plain\n\nhello\n--other--\n",
		// Bad base64 in a text part.
		"From: a@example.com\nSubject: bad base64\nMessage-ID: <mw2-" + prefix + "@x>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n%%%% this is ### not base64 ====\n",
		// Unknown charsets in the header and the body.
		"From: =?x-unknown-8?Q?J=E9r=F4me?= <j@example.com>\nSubject: =?x-mac-klingon?B?cWFwbGEn?=\nMessage-ID: <mw3-" + prefix + "@x>\nContent-Type: text/plain; charset=x-klingon\n\nqapla' batlh\n",
		// Raw 8-bit Latin-1 in the header.
		"From: \xc9l\xe8ve <eleve@example.com>\nSubject: r\xe9sum\xe9 du projet\nMessage-ID: <mw4-" + prefix + "@x>\n\ncorps\n",
		// No Date, no From, no Message-ID.
		"Subject: orphan\n\nnobody sent this\n",
		// A huge header line and a huge References.
		"From: a@example.com\nSubject: " + huge + "\nReferences:" + refs.String() + "\nMessage-ID: <mw6-" + prefix + "@x>\n\nbody\n",
		// An attachment of 3 MB before the text part.
		"From: a@example.com\nSubject: attachment first\nMessage-ID: <mw7-" + prefix + "@x>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n" + strings.Repeat("QUJDRA==\n", 3<<17) + "--b\nContent-Type: text/plain\n\nthe text\n--b--\n",
		// Truncated mid-part, nested multipart without end.
		"From: a@example.com\nSubject: truncated\nMessage-ID: <mw8-" + prefix + "@x>\nContent-Type: multipart/alternative; boundary=\"o\"\n\n--o\nContent-Type: multipart/related; boundary=\"i\"\n\n--i\nContent-Type: text/html\n\n<p>unclosed <b>tags",
		// Header without a body, without a final newline.
		"From: a@example.com\nSubject: no body\nMessage-ID: <mw9-" + prefix + "@x>",
		// NUL bytes and a bare CR.
		"From: a@example.com\nSubject: nul\x00byte\nMessage-ID: <mw10-" + prefix + "@x>\n\nbody with \x00 and \r bare CR\n",
	}
}

func TestE2EMalformedRealWorld(t *testing.T) {
	ctx := context.Background()
	fx := newE2E(t)
	folder := fx.folder("Junkyard")
	appended := 0
	c := fx.s.IMAP(t)
	if err := c.Create(folder, nil).Wait(); err != nil {
		t.Fatal(err)
	}
	for i, raw := range realWorld(fx.prefix) {
		d := day0.Add(time.Duration(i) * time.Minute)
		b := crlf(raw)
		cmd := c.Append(folder, int64(len(b)), &imap.AppendOptions{Time: d})
		cmd.Write(b)
		cmd.Close()
		if _, err := cmd.Wait(); err != nil {
			t.Logf("Dovecot refused malformed message %d: %v", i, err)
			continue
		}
		appended++
	}
	fx.add(t, folder, plainMail("good-"+fx.prefix+"@example.com", "Bob Lee <bob@example.com>", "t@example.com",
		"Good one", day0.AddDate(0, 0, 1), "readable"), day0.AddDate(0, 0, 1))
	appended++
	before := fx.flags(t, folder)
	so := SyncOptions{Now: day0, Folders: []Folder{{Name: folder, Kind: store.KindProject, Project: "Junk"}}}
	stats, err := Sync(ctx, fx.opt, fx.st, so)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Stored+stats.Skipped != appended || stats.Fetched != appended {
		t.Errorf("stats %+v: want %d fetched, each stored or skipped", stats, appended)
	}
	msgs, err := fx.st.Messages(ctx, store.Filter{Kind: store.KindProject})
	if err != nil {
		t.Fatal(err)
	}
	var good bool
	for _, m := range msgs {
		good = good || strings.HasPrefix(m.MessageID, "good-")
		if len(m.Visible) > DefaultMaxText || len(m.Subject) > 300<<10 {
			t.Errorf("message %d stored unbounded: visible %d, subject %d bytes", m.UID, len(m.Visible), len(m.Subject))
		}
	}
	if !good {
		t.Errorf("the good message after the malformed ones was not stored")
	}
	if after := fx.flags(t, folder); !reflect.DeepEqual(before, after) {
		t.Errorf("flags changed")
	}
}

func TestE2EDraft(t *testing.T) { e2e.EachServer(t, e2eDraft) }

func e2eDraft(t *testing.T, s *e2e.Servers) {
	ctx := context.Background()
	fx := newE2EOn(t, s)
	drafts := fx.folder("Drafts")
	if err := fx.s.IMAP(t).Create(drafts, nil).Wait(); err != nil {
		t.Fatal(err)
	}
	c, err := Dial(ctx, fx.opt)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	id := "digest-" + fx.prefix + "@leadup"
	raw := crlf("From: Alex Doe <alex@example.com>\nTo: Jane Smith <jane@example.com>\nSubject: Weekly update\nMessage-ID: <" + id + ">\nDate: Fri, 13 Nov 2026 15:00:00 +0100\n\nApollo: on track.\n")
	if ok, err := c.HasMessageID(ctx, drafts, id); err != nil || ok {
		t.Fatalf("HasMessageID before = %v, %v", ok, err)
	}
	if err := c.AppendDraft(ctx, drafts, raw, day0); err != nil {
		t.Fatal(err)
	}
	if ok, err := c.HasMessageID(ctx, drafts, id); err != nil || !ok {
		t.Fatalf("HasMessageID after = %v, %v", ok, err)
	}
	flags := fx.s.Flags(t, drafts)
	if len(flags) != 1 {
		t.Fatalf("%d messages in drafts, want 1", len(flags))
	}
	for _, fl := range flags {
		if !slices.Contains(fl, imap.FlagDraft) {
			t.Errorf("draft flags %v lack \\Draft", fl)
		}
	}
}

func TestE2EIdle(t *testing.T) { e2e.EachServer(t, e2eIdle) }

func e2eIdle(t *testing.T, s *e2e.Servers) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fx := newE2EOn(t, s)
	inbox := fx.folder("In")
	if err := fx.s.IMAP(t).Create(inbox, nil).Wait(); err != nil {
		t.Fatal(err)
	}
	idler, err := Dial(ctx, fx.opt)
	if err != nil {
		t.Fatal(err)
	}
	defer idler.Close()
	wake := make(chan struct{}, 1)
	done := make(chan error, 1)
	go func() { done <- idler.Idle(ctx, inbox, wake) }()
	// Deliver until the IDLE, started asynchronously, reports one.
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for i, woke := 0, false; !woke; i++ {
		select {
		case <-wake:
			woke = true
		case err := <-done:
			t.Fatalf("Idle returned: %v", err)
		case <-tick.C:
			if i > 300 { // a hang guard, not a timing assertion
				t.Fatal("Idle never woke")
			}
			fx.add(t, inbox, plainMail(fmt.Sprintf("idle-%d@example.com", i), "a@example.com", "b@example.com", "s", day0, "t"), day0)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Idle after cancel = %v", err)
	}
}

// A cut at any point of a whole first sync against Dovecot loses nothing:
// after the next sync the store equals a clean sync's, message for
// message. Plain IMAP on loopback, so the cut lands on an exact byte of
// the protocol rather than on a TLS record.
func TestE2ECutSweepLosesNothing(t *testing.T) {
	ctx := context.Background()
	fx := newE2E(t)
	sent, inbox, apollo := fx.folder("Sent"), fx.folder("In"), fx.folder("Status/Apollo")
	for i := range 4 {
		d := day0.AddDate(0, 0, i)
		fx.add(t, sent, plainMail(fmt.Sprintf("sweep-sent-%d-%s@example.com", i, fx.prefix), "Alex Doe <alex@example.com>",
			"Jane Smith <jane@example.com>", fmt.Sprintf("Apollo update %d", i), d, "Apollo is on track."), d, imap.FlagSeen)
	}
	fx.add(t, inbox, plainMail("sweep-ask-"+fx.prefix+"@example.com", "Jane Smith <jane@example.com>", "alex@example.com",
		"Any update on Apollo?", day0, "Hi Alex, any update on Apollo before Thursday?"), day0)
	for i := range 4 {
		d := day0.Add(time.Duration(i) * time.Hour)
		fx.add(t, apollo, altMail(fmt.Sprintf("sweep-apollo-%d-%s@example.com", i, fx.prefix), "Bob Lee <bob@example.com>",
			"apollo-team@example.com", fmt.Sprintf("Re: Apollo weekly %d", i), d, "We're live: the consumer cutover is done."), d)
	}
	so := SyncOptions{Now: day0.AddDate(0, 0, 10), Folders: []Folder{
		{Name: sent, Kind: store.KindSent}, {Name: inbox, Kind: store.KindInbox},
		{Name: apollo, Kind: store.KindProject, Project: "Apollo"},
	}}
	fresh := func() *store.Store {
		st, err := store.Open(ctx, filepath.Join(t.TempDir(), "state.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	opt := fx.opt
	opt.TLS, opt.Port, opt.CAFile = TLSNone, portOf(t, fx.s.IMAPStartTLSAddr()), ""
	opt.Retries = 3
	opt.Logger = slog.New(slog.DiscardHandler)
	ref := fresh()
	if _, err := Sync(ctx, opt, ref, so); err != nil {
		t.Fatal(err)
	}
	want := storeDump(t, ref)
	if len(want) != 9 {
		t.Fatalf("a clean sync stored %d messages, want the 9 seeded", len(want))
	}

	proxy := e2e.NewCutProxy(t, fx.s.IMAPStartTLSAddr())
	opt.Host, opt.Port = "127.0.0.1", portOf(t, proxy.Addr)
	sweepCuts(t, proxy, opt, so, fresh, want, 53, 50)
}
