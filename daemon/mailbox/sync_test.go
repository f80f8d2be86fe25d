package mailbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/leadup/leadup/daemon/backoff"
	"github.com/leadup/leadup/daemon/e2e"
	"github.com/leadup/leadup/daemon/message"
	"github.com/leadup/leadup/daemon/store"
)

var day0 = time.Date(2026, 11, 2, 9, 15, 0, 0, time.UTC)

func plainMail(id, from, to, subject string, date time.Time, body string) string {
	return fmt.Sprintf(`Received: from mx.example.com by imap.example.com; %s
DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; b=%s
From: %s
To: %s
Subject: %s
Date: %s
Message-ID: <%s>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

%s
`, date.Format(time.RFC1123Z), strings.Repeat("A", 400), from, to, subject, date.Format(time.RFC1123Z), id, body)
}

// altMail is multipart/alternative with a base64 HTML part, as Gmail and
// Outlook send.
func altMail(id, from, to, subject string, date time.Time, text string) string {
	return fmt.Sprintf(`From: %s
To: %s
Cc: Raj Patel <raj@example.com>
Subject: %s
Date: %s
Message-ID: <%s>
In-Reply-To: <thread-root@example.com>
References: <thread-root@example.com>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

%s

On Mon, Nov 2, 2026 Jane Smith wrote:
> old text
--b1
Content-Type: text/html; charset="utf-8"
Content-Transfer-Encoding: base64

PGh0bWw+PGJvZHk+PHA+SGVsbG88L3A+PC9ib2R5PjwvaHRtbD4=
--b1--
`, from, to, subject, date.Format(time.RFC1123Z), id, text)
}

type fixture struct {
	ms  *memServer
	st  *store.Store
	opt Options
	so  SyncOptions
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ms := newMemServer(t)
	ms.mkdir(t, "Sent", imap.MailboxAttrSent)
	ms.mkdir(t, "Drafts", imap.MailboxAttrDrafts)
	ms.mkdir(t, "Status/Apollo", "")
	ms.mkdir(t, "Status/Zephyr", "")
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	opt := ms.options()
	opt.Logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opt.Backoff = backoff.Backoff{Min: time.Millisecond, Max: 5 * time.Millisecond}
	return &fixture{ms: ms, st: st, opt: opt, so: SyncOptions{
		Now: day0.AddDate(0, 0, 10),
		Folders: []Folder{
			{Name: "Sent", Kind: store.KindSent},
			{Name: "INBOX", Kind: store.KindInbox},
			{Name: "Status/Apollo", Kind: store.KindProject, Project: "Apollo"},
		},
	}}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func (fx *fixture) seed(t *testing.T) {
	ms := fx.ms
	for i := range 5 {
		d := day0.AddDate(0, 0, i)
		ms.add(t, "Sent", plainMail(fmt.Sprintf("sent-%d@example.com", i), "Alex Doe <alex@example.com>",
			"Jane Smith <jane@example.com>", fmt.Sprintf("Apollo update %d", i), d, "Apollo is on track."), d, imap.FlagSeen)
	}
	ms.add(t, "INBOX", plainMail("ask-1@example.com", "Jane Smith <jane@example.com>", "alex@example.com",
		"Any update on Apollo?", day0, "Hi Alex, any update on Apollo?"), day0)
	ms.add(t, "INBOX", plainMail("news-1@example.com", "Newsletter <news@shop.example>", "alex@example.com",
		"50% off", day0, "Buy now."), day0, imap.FlagSeen)
	ms.add(t, "INBOX", plainMail("news-2@example.com", "Newsletter <news@shop.example>", "alex@example.com",
		"60% off", day0, "Buy now."), day0, imap.FlagFlagged)
	for i := range 3 {
		d := day0.Add(time.Duration(i) * time.Hour)
		flags := []imap.Flag{}
		if i == 0 {
			flags = append(flags, imap.FlagSeen, imap.FlagAnswered)
		}
		ms.add(t, "Status/Apollo", altMail(fmt.Sprintf("apollo-%d@example.com", i), "Bob Lee <bob@example.com>",
			"apollo-team@example.com", fmt.Sprintf("Re: Apollo weekly %d", i), d, "Launch slipped by a week, we are blocked on vendor."), d, flags...)
	}
}

func count(t *testing.T, st *store.Store, f store.Filter) int {
	t.Helper()
	ms, err := st.Messages(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	return len(ms)
}

func TestSyncReadOnlyIncremental(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	fx.seed(t)
	before := fx.ms.flags(t)

	c, err := Dial(ctx, fx.opt)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	stats, err := c.Sync(ctx, fx.st, fx.so)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Fetched != 11 || stats.Stored != 11 || stats.Folders != 3 {
		t.Errorf("first sync stats = %+v, want 11 fetched and stored in 3 folders", stats)
	}
	if after := fx.ms.flags(t); !reflect.DeepEqual(before, after) {
		t.Errorf("flags changed by a sync:\nbefore %v\nafter  %v", before, after)
	}
	if n := fx.ms.writes.Load(); n != 0 {
		t.Errorf("sync issued %d writes (STORE/EXPUNGE/COPY/APPEND)", n)
	}

	sent, err := fx.st.Messages(ctx, store.Filter{Kind: store.KindSent})
	if err != nil {
		t.Fatal(err)
	}
	if len(sent) != 5 {
		t.Fatalf("stored %d sent messages, want 5", len(sent))
	}
	m := sent[0]
	if m.FromAddr != "alex@example.com" || !reflect.DeepEqual(m.To, []string{"jane@example.com"}) ||
		m.Subject != "Apollo update 0" || !m.Date.Equal(day0) || m.MessageID == "" || m.UID == 0 {
		t.Errorf("first sent message stored as %+v", m)
	}
	apollo, err := fx.st.Messages(ctx, store.Filter{Kind: store.KindProject, Project: "Apollo"})
	if err != nil {
		t.Fatal(err)
	}
	if len(apollo) != 3 {
		t.Fatalf("stored %d Apollo messages, want 3", len(apollo))
	}
	if a := apollo[0]; a.InReplyTo == "" || len(a.Cc) != 1 || !strings.Contains(a.Visible+a.Snippet, "Launch slipped") {
		t.Errorf("Apollo message stored as %+v", a)
	}

	// Nothing new: one EXAMINE per folder, no FETCH.
	fetches := fx.ms.fetches.Load()
	stats, err = c.Sync(ctx, fx.st, fx.so)
	if err != nil {
		t.Fatal(err)
	}
	if stats.RoundTrips != 3 || stats.Fetched != 0 || fx.ms.fetches.Load() != fetches {
		t.Errorf("nothing-new sync: stats %+v, server saw %d fetches; want 3 round trips and none",
			stats, fx.ms.fetches.Load()-fetches)
	}

	// New mail is picked up, and only it.
	fx.ms.add(t, "Status/Apollo", plainMail("apollo-new@example.com", "Bob Lee <bob@example.com>", "apollo-team@example.com",
		"Apollo unblocked", day0.AddDate(0, 0, 3), "Vendor delivered; back on track."), day0.AddDate(0, 0, 3))
	stats, err = c.Sync(ctx, fx.st, fx.so)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Fetched != 1 || stats.Stored != 1 {
		t.Errorf("incremental sync stats = %+v, want 1 fetched and stored", stats)
	}
	if n := count(t, fx.st, store.Filter{Kind: store.KindProject}); n != 4 {
		t.Errorf("%d project messages after the incremental sync, want 4", n)
	}
	if after := fx.ms.flags(t); len(after) != len(before)+1 {
		t.Errorf("flags snapshot has %d messages, want %d", len(after), len(before)+1)
	} else {
		for k, v := range before {
			if after[k] != v {
				t.Errorf("flags of %s changed from %q to %q", k, v, after[k])
			}
		}
	}
}

func TestSyncUIDValidityReset(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	fx.seed(t)
	if _, err := Sync(ctx, fx.opt, fx.st, fx.so); err != nil {
		t.Fatal(err)
	}
	// The folder is deleted and recreated: new UIDVALIDITY, same mail plus one.
	fx.ms.rmdir(t, "Status/Apollo")
	fx.ms.mkdir(t, "Status/Apollo", "")
	for i := range 4 {
		d := day0.Add(time.Duration(i) * time.Hour)
		fx.ms.add(t, "Status/Apollo", altMail(fmt.Sprintf("apollo-%d@example.com", i), "Bob Lee <bob@example.com>",
			"apollo-team@example.com", fmt.Sprintf("Re: Apollo weekly %d", i), d, "text"), d)
	}
	stats, err := Sync(ctx, fx.opt, fx.st, fx.so)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Resets != 1 || stats.Fetched != 4 || stats.Stored != 4 {
		t.Errorf("stats after a UIDVALIDITY change = %+v, want 1 reset, 4 fetched, 4 stored", stats)
	}
	msgs, err := fx.st.Messages(ctx, store.Filter{Kind: store.KindProject, Project: "Apollo"})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 4 {
		t.Fatalf("%d Apollo messages after the resync, want 4 (no duplicates)", len(msgs))
	}
	cur, _, err := fx.st.Cursor(ctx, "Status/Apollo")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.UIDValidity != cur.UIDValidity {
			t.Errorf("message %s kept the old UIDVALIDITY %d (cursor %d)", m.MessageID, m.UIDValidity, cur.UIDValidity)
		}
	}
}

func TestSyncGmailLabelsDeduplicated(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	raw := altMail("one@example.com", "Bob Lee <bob@example.com>", "apollo-team@example.com", "Apollo", day0, "text")
	fx.ms.add(t, "Status/Apollo", raw, day0)
	fx.ms.mkdir(t, "Status/Apollo/Launch", "")
	fx.ms.add(t, "Status/Apollo/Launch", raw, day0)
	fx.so.Folders = append(fx.so.Folders, Folder{Name: "Status/Apollo/Launch", Kind: store.KindProject, Project: "Apollo"})
	stats, err := Sync(ctx, fx.opt, fx.st, fx.so)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Fetched != 2 || stats.Stored != 1 {
		t.Errorf("stats = %+v, want 2 fetched, 1 stored", stats)
	}
	if n := count(t, fx.st, store.Filter{Kind: store.KindProject, Project: "Apollo"}); n != 1 {
		t.Errorf("%d Apollo messages, want 1", n)
	}
}

func TestSyncKeepInbox(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	fx.seed(t)
	fx.so.KeepInbox = func(m *message.Message) bool { return strings.EqualFold(m.From.Addr, "jane@example.com") }
	stats, err := Sync(ctx, fx.opt, fx.st, fx.so)
	if err != nil {
		t.Fatal(err)
	}
	inbox, err := fx.st.Messages(ctx, store.Filter{Kind: store.KindInbox})
	if err != nil {
		t.Fatal(err)
	}
	if len(inbox) != 1 || inbox[0].FromAddr != "jane@example.com" || stats.Filtered != 2 {
		t.Errorf("inbox kept %d messages (%+v), filtered %d; want only Jane's, 2 filtered", len(inbox), inbox, stats.Filtered)
	}
	// The filtered messages are not fetched again.
	stats, err = Sync(ctx, fx.opt, fx.st, fx.so)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Fetched != 0 {
		t.Errorf("second sync fetched %d messages, want 0", stats.Fetched)
	}
}

// malformed are messages seen in the wild that parsers trip on.
var malformed = []string{
	"this is not a mail at all, no header, no blank line",
	"From: broken <\nSubject: =?x-unknown?Q?caf=E9?=\nContent-Type: multipart/mixed; boundary=\"never\"\n\nno parts at all\n",
	"Subject: bad base64\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n!!!! not base64 ****\n",
	"Subject: unknown charset\nContent-Type: text/plain; charset=x-klingon\n\nqapla'\n",
	"Subject: 8bit \xff\xfe header\nFrom: \xe9l\xe8ve <eleve@example.com>\n\nbody\n",
	"Subject: " + strings.Repeat("long ", 20000) + "\n\nbody\n",
	"Content-Type: multipart/alternative; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nunterminated part\n",
	"",
}

func TestSyncMalformedDoesNotStop(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	for i, raw := range malformed {
		fx.ms.add(t, "Status/Apollo", raw, day0.Add(time.Duration(i)*time.Minute))
	}
	fx.ms.add(t, "Status/Apollo", plainMail("after@example.com", "Bob Lee <bob@example.com>", "x@example.com",
		"After the junk", day0.AddDate(0, 0, 1), "still read"), day0.AddDate(0, 0, 1))
	stats, err := Sync(ctx, fx.opt, fx.st, fx.so)
	if err != nil {
		t.Fatal(err)
	}
	if got := stats.Stored + stats.Skipped; got != len(malformed)+1 {
		t.Errorf("stats = %+v: %d stored or skipped, want %d", stats, got, len(malformed)+1)
	}
	msgs, err := fx.st.Messages(ctx, store.Filter{Kind: store.KindProject})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range msgs {
		found = found || m.MessageID == "<after@example.com>" || m.MessageID == "after@example.com"
	}
	if !found {
		t.Errorf("the good message after the malformed ones was not stored; stored %d", len(msgs))
	}
	cur, _, _ := fx.st.Cursor(ctx, "Status/Apollo")
	if cur.LastUID != uint32(len(malformed)+1) {
		t.Errorf("cursor at %d, want %d", cur.LastUID, len(malformed)+1)
	}
}

func TestSyncResumesAfterCut(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	const n = 60
	for i := range n {
		d := day0.Add(time.Duration(i) * time.Minute)
		fx.ms.add(t, "Status/Apollo", altMail(fmt.Sprintf("m%d@example.com", i), "Bob Lee <bob@example.com>",
			"apollo-team@example.com", fmt.Sprintf("Apollo %d", i), d, strings.Repeat("status words ", 200)), d)
	}
	proxy := e2e.NewCutProxy(t, fx.ms.addr)
	opt := fx.opt
	h, p, _ := strings.Cut(proxy.Addr, ":")
	opt.Host = h
	fmt.Sscan(p, &opt.Port)
	opt.Batch = 7
	fx.so.Folders = fx.so.Folders[2:]
	c, err := Dial(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	proxy.CutAfter(40 << 10) // in the middle of the FETCH
	stats, err := c.Sync(ctx, fx.st, fx.so)
	if err != nil {
		t.Fatal(err)
	}
	if proxy.Cuts() == 0 || stats.Redials == 0 {
		t.Fatalf("the proxy did not cut the sync (cuts %d, stats %+v)", proxy.Cuts(), stats)
	}
	msgs, err := fx.st.Messages(ctx, store.Filter{Kind: store.KindProject})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, m := range msgs {
		seen[m.MessageID]++
	}
	if len(msgs) != n || len(seen) != n {
		t.Errorf("stored %d messages (%d distinct) after a cut, want %d exactly once; stats %+v", len(msgs), len(seen), n, stats)
	}
}

// A message whose FETCH kills the connection before the server says which
// one it is: found by reading one message at a time, then skipped.
func TestSyncSkipsMessageThatBreaksConnection(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	for i := range 6 {
		d := day0.Add(time.Duration(i) * time.Minute)
		fx.ms.add(t, "Status/Apollo", plainMail(fmt.Sprintf("p%d@example.com", i), "Bob Lee <bob@example.com>",
			"apollo-team@example.com", fmt.Sprintf("Apollo %d", i), d, "ok"), d)
	}
	fx.ms.poisonFolder = "Status/Apollo"
	fx.ms.poison.Store(4)
	fx.so.Folders = fx.so.Folders[2:]
	stats, err := Sync(ctx, fx.opt, fx.st, fx.so)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := fx.st.Messages(ctx, store.Filter{Kind: store.KindProject})
	if err != nil {
		t.Fatal(err)
	}
	var got []uint32
	for _, m := range msgs {
		got = append(got, m.UID)
	}
	if !reflect.DeepEqual(got, []uint32{1, 2, 3, 5, 6}) || stats.Skipped != 1 {
		t.Errorf("stored UIDs %v, stats %+v; want all but 4, one skipped", got, stats)
	}
	cur, _, _ := fx.st.Cursor(ctx, "Status/Apollo")
	if cur.LastUID != 6 {
		t.Errorf("cursor at %d, want 6", cur.LastUID)
	}
	// And it stays skipped.
	fetches := fx.ms.fetches.Load()
	if _, err := Sync(ctx, fx.opt, fx.st, fx.so); err != nil || fx.ms.fetches.Load() != fetches {
		t.Errorf("next sync: %v, %d fetches; want nothing fetched", err, fx.ms.fetches.Load()-fetches)
	}
}

func TestSyncGivesUpOnDeadServer(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	fx.ms.add(t, "Status/Apollo", plainMail("x@example.com", "b@example.com", "c@example.com", "s", day0, "t"), day0)
	fx.so.Folders = fx.so.Folders[2:]
	c, err := Dial(ctx, fx.opt)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// Point redials at a port where nothing listens, then break the session.
	c.opt.Port = listenClosed(t)
	c.imap.Close()
	_, err = c.Sync(ctx, fx.st, fx.so)
	if err == nil || !strings.Contains(err.Error(), "reconnect") {
		t.Errorf("Sync against a dead server = %v, want a reconnect error", err)
	}
}

func TestDialRefusesPlaintextToRemoteHost(t *testing.T) {
	for _, host := range []string{"192.0.2.1", "imap.example.com", "[2001:db8::1]"} {
		_, err := Dial(context.Background(), Options{Host: host, Port: 143, TLS: TLSNone,
			Secret: func(context.Context) (string, error) { return "pw", nil }})
		if !errors.Is(err, ErrInsecure) {
			t.Errorf("Dial(%s, tls none) = %v, want ErrInsecure", host, err)
		}
	}
}

func TestDialOAuth(t *testing.T) {
	ms := newMemServer(t)
	ms.token = "ya29.token-value"
	ms.mkdir(t, "Sent", imap.MailboxAttrSent)
	for _, mech := range []string{AuthXOAuth2, AuthOAuthBearer} {
		opt := ms.options()
		opt.Auth = mech
		opt.Secret = func(context.Context) (string, error) { return ms.token, nil }
		c, err := Dial(context.Background(), opt)
		if err != nil {
			t.Errorf("%s: %v", mech, err)
			continue
		}
		if f, err := c.Discover(context.Background(), "", "", nil); err != nil || f.Sent != "Sent" {
			t.Errorf("%s: logged in but Discover = %+v, %v", mech, f, err)
		}
		c.Close()
		opt.Secret = func(context.Context) (string, error) { return "expired", nil }
		if _, err := Dial(context.Background(), opt); err == nil || strings.Contains(err.Error(), "expired") {
			t.Errorf("%s with a bad token: Dial = %v, want an error without the token", mech, err)
		}
	}
}

func TestSyncFirstSyncSince(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	for i := range 6 {
		d := day0.AddDate(0, 0, i)
		fx.ms.add(t, "Status/Apollo", plainMail(fmt.Sprintf("s%d@example.com", i), "b@example.com", "t@example.com",
			fmt.Sprintf("day %d", i), d, "text"), d)
	}
	fx.so.Folders = fx.so.Folders[2:]
	fx.so.FirstSyncSince = day0.AddDate(0, 0, 3)
	stats, err := Sync(ctx, fx.opt, fx.st, fx.so)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Stored != 3 {
		t.Errorf("first sync since day 3 stored %d, want 3 (%+v)", stats.Stored, stats)
	}
	// Later syncs read everything new, whatever its date.
	fx.ms.add(t, "Status/Apollo", plainMail("late@example.com", "b@example.com", "t@example.com", "late", day0, "old date"), day0)
	stats, err = Sync(ctx, fx.opt, fx.st, fx.so)
	if err != nil || stats.Stored != 1 {
		t.Errorf("second sync = %+v, %v; want the one new message", stats, err)
	}
}

func TestClientRedialsAfterDrop(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	c, err := Dial(ctx, fx.opt)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.imap.Close() // the server or a NAT box dropped the idle connection
	if _, err := c.Discover(ctx, "", "", nil); err != nil {
		t.Errorf("Discover after a drop = %v, want a transparent redial", err)
	}
}

func TestDialWrongPassword(t *testing.T) {
	ms := newMemServer(t)
	opt := ms.options()
	opt.Secret = func(context.Context) (string, error) { return "wrong", nil }
	_, err := Dial(context.Background(), opt)
	var ie *imap.Error
	if !errors.As(err, &ie) || strings.Contains(err.Error(), "wrong") {
		t.Errorf("Dial with a wrong password = %v, want an IMAP NO that does not echo the secret", err)
	}
}

func TestDebugTranscriptHidesSecret(t *testing.T) {
	ms := newMemServer(t)
	opt := ms.options()
	var buf strings.Builder
	opt.Debug = &buf
	c, err := Dial(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Discover(context.Background(), "", "", nil); err == nil {
		t.Log("no sent folder expected")
	}
	c.Close()
	if strings.Contains(buf.String(), testPass) {
		t.Errorf("debug transcript shows the password:\n%s", buf.String())
	}
	if !strings.Contains(buf.String(), "LIST") {
		t.Errorf("debug transcript misses the commands:\n%s", buf.String())
	}
}

// A server that greets and then never answers: the watchdog must close.
func TestWatchdogOnSilentServer(t *testing.T) {
	ln := listenSilent(t)
	opt := Options{Host: "127.0.0.1", Port: ln, TLS: TLSNone, Username: "u",
		Secret: func(context.Context) (string, error) { return "p", nil }, CommandTimeout: 500 * time.Millisecond}
	_, err := Dial(context.Background(), opt)
	if !errors.Is(err, ErrTimeout) {
		t.Errorf("Dial to a silent server = %v, want ErrTimeout", err)
	}
}

// On a first sync limited by FirstSyncSince, a message that kills the
// connection before the server names it is still isolated and skipped,
// whether it is the first message since that day (nothing stored yet, no
// cursor) or a later one.
func TestSyncFirstSyncSinceSkipsMessageThatBreaksConnection(t *testing.T) {
	for _, poison := range []uint32{4, 5} {
		t.Run(fmt.Sprint("uid", poison), func(t *testing.T) {
			// Only a safety net against a retry loop that never ends.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			fx := newFixture(t)
			for i := range 6 {
				d := day0.AddDate(0, 0, i)
				fx.ms.add(t, "Status/Apollo", plainMail(fmt.Sprintf("s%d@example.com", i), "b@example.com", "t@example.com",
					fmt.Sprintf("day %d", i), d, "text"), d)
			}
			fx.ms.poisonFolder = "Status/Apollo"
			fx.ms.poison.Store(poison)
			fx.so.Folders = fx.so.Folders[2:]
			fx.so.FirstSyncSince = day0.AddDate(0, 0, 3)
			stats, err := Sync(ctx, fx.opt, fx.st, fx.so)
			if err != nil {
				t.Fatal(err)
			}
			msgs, err := fx.st.Messages(ctx, store.Filter{Kind: store.KindProject})
			if err != nil {
				t.Fatal(err)
			}
			var got, want []uint32
			for _, m := range msgs {
				got = append(got, m.UID)
			}
			for _, u := range []uint32{4, 5, 6} {
				if u != poison {
					want = append(want, u)
				}
			}
			if !reflect.DeepEqual(got, want) || stats.Skipped != 1 {
				t.Errorf("stored UIDs %v, stats %+v; want %v, one skipped", got, stats, want)
			}
			if cur, _, _ := fx.st.Cursor(ctx, "Status/Apollo"); cur.LastUID != 6 {
				t.Errorf("cursor at %d, want 6", cur.LastUID)
			}
		})
	}
}

// A new folder whose very first message breaks the connection: there is no
// cursor yet, and skipping must still move past it.
func TestSyncSkipsFirstMessageOfNewFolder(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // safety net only
	defer cancel()
	fx := newFixture(t)
	for i := range 3 {
		d := day0.Add(time.Duration(i) * time.Minute)
		fx.ms.add(t, "Status/Apollo", plainMail(fmt.Sprintf("f%d@example.com", i), "b@example.com", "t@example.com",
			fmt.Sprintf("Apollo %d", i), d, "ok"), d)
	}
	fx.ms.poisonFolder = "Status/Apollo"
	fx.ms.poison.Store(1)
	fx.so.Folders = fx.so.Folders[2:]
	stats, err := Sync(ctx, fx.opt, fx.st, fx.so)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Skipped != 1 || count(t, fx.st, store.Filter{Kind: store.KindProject}) != 2 {
		t.Errorf("stats %+v, want UIDs 2 and 3 stored and 1 skipped", stats)
	}
}
