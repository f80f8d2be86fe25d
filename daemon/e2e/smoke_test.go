//go:build e2e

package e2e

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/mail"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// The smoke tests prove the servers (Dovecot with Postfix, and mox) behave
// the way leadup's end-to-end tests assume; each runs against both. Tests
// that change mail use accounts of their own (Isolated): other packages'
// tests run against the same servers at the same time.

func TestSmokeIMAPSLoginWithCA(t *testing.T) { EachServer(t, smokeIMAPSLoginWithCA) }

func smokeIMAPSLoginWithCA(t *testing.T, s *Servers) {
	c := s.IMAP(t)
	// Not c.State(): go-imap beta.8 wakes Login().Wait() before it records the
	// new state, so State() may still say "not authenticated" for a moment.
	// STATUS needs an authenticated session on the server side.
	if _, err := c.Status("INBOX", &imap.StatusOptions{NumMessages: true}).Wait(); err != nil {
		t.Fatalf("STATUS INBOX after login: %v", err)
	}
	for _, cp := range []imap.Cap{imap.CapUIDPlus, imap.CapCondStore, imap.CapIdle, imap.CapSpecialUse} {
		if !c.Caps().Has(cp) {
			t.Errorf("%s does not advertise %s after login: %v", s.Name, cp, c.Caps())
		}
	}
}

func TestSmokeIMAPSWithoutCAIsRefused(t *testing.T) { EachServer(t, smokeIMAPSWithoutCAIsRefused) }

func smokeIMAPSWithoutCAIsRefused(t *testing.T, s *Servers) {
	// System roots only: the throw-away CA (mox's self-signed certificate)
	// is unknown.
	c, err := imapclient.DialTLS(s.IMAPSAddr(), &imapclient.Options{TLSConfig: &tls.Config{}})
	if err == nil {
		_ = c.Close()
		t.Fatal("TLS handshake succeeded without the CA")
	}
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Fatalf("error = %v (%T), want an x509.UnknownAuthorityError", err, err)
	}
}

func TestSmokeIMAPStartTLS(t *testing.T) { EachServer(t, smokeIMAPStartTLS) }

func smokeIMAPStartTLS(t *testing.T, s *Servers) {
	c, err := imapclient.DialStartTLS(s.IMAPStartTLSAddr(), &imapclient.Options{TLSConfig: s.TLSConfig()})
	if err != nil {
		t.Fatalf("STARTTLS to %s: %v", s.IMAPStartTLSAddr(), err)
	}
	defer func() { _ = c.Close() }()
	if err := c.Login(s.User, s.Password).Wait(); err != nil {
		t.Fatalf("login after STARTTLS: %v", err)
	}
	if err := c.Logout().Wait(); err != nil {
		t.Fatalf("logout: %v", err)
	}

	// Without the CA the upgrade fails on the certificate too.
	c2, err := imapclient.DialStartTLS(s.IMAPStartTLSAddr(), &imapclient.Options{TLSConfig: &tls.Config{}})
	if err == nil {
		err = c2.Noop().Wait() // the handshake may surface on first use
		_ = c2.Close()
	}
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Fatalf("STARTTLS without the CA: error = %v, want an x509.UnknownAuthorityError", err)
	}
}

func TestSmokeSpecialUseMailboxes(t *testing.T) { EachServer(t, smokeSpecialUseMailboxes) }

func smokeSpecialUseMailboxes(t *testing.T, s *Servers) {
	s = s.Isolated(t) // a brand-new account
	c := s.IMAP(t)
	if !c.Caps().Has(imap.CapSpecialUse) {
		t.Fatalf("no SPECIAL-USE capability after login: %v", c.Caps())
	}
	want := map[string]imap.MailboxAttr{"Sent": imap.MailboxAttrSent, "Drafts": imap.MailboxAttrDrafts}
	for _, opts := range []*imap.ListOptions{nil, {ReturnSpecialUse: true}} {
		list, err := c.List("", "*", opts).Collect()
		if err != nil {
			t.Fatalf("LIST %+v: %v", opts, err)
		}
		got := map[string][]imap.MailboxAttr{}
		for _, mb := range list {
			name := mb.Mailbox
			if strings.EqualFold(name, "INBOX") {
				name = "INBOX" // mox lists it as "Inbox"
			}
			got[name] = mb.Attrs
		}
		for name, attr := range want {
			if !slices.Contains(got[name], attr) {
				t.Errorf("LIST %+v: %s has attrs %v, want %s", opts, name, got[name], attr)
			}
		}
		if _, ok := got["INBOX"]; !ok {
			t.Errorf("LIST %+v: no INBOX in %v", opts, got)
		}
	}
}

func testMessage(id, from, to, subject string) []byte {
	return []byte(strings.ReplaceAll(fmt.Sprintf(`From: %s
To: %s
Subject: %s
Date: Mon, 02 Mar 2026 09:15:00 +0000
Message-ID: <%s>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Shipped the importer; next up the billing export.
`, from, to, subject, id), "\n", "\r\n"))
}

func TestSmokeAppendExamineFetchPeekKeepsFlags(t *testing.T) {
	EachServer(t, smokeAppendExamineFetchPeekKeepsFlags)
}

func smokeAppendExamineFetchPeekKeepsFlags(t *testing.T, s *Servers) {
	s = s.Isolated(t)
	date := time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC)
	unread := s.Append(t, "Projects/Apollo", testMessage("unread@e2e", s.User, s.Boss, "unread"), nil, date)
	read := s.Append(t, "Projects/Apollo", testMessage("read@e2e", s.User, s.Boss, "read"), []imap.Flag{imap.FlagSeen, imap.FlagFlagged}, date)
	if unread == 0 || read <= unread {
		t.Fatalf("UIDs unread=%d read=%d, want increasing non-zero", unread, read)
	}

	before := s.Flags(t, "Projects/Apollo")
	wantBefore := map[imap.UID][]imap.Flag{unread: {}, read: {imap.FlagFlagged, imap.FlagSeen}}
	if s.IsMox() {
		// mox marks mail appended anywhere but INBOX, Junk and a few
		// others as not junk (its AutomaticJunkFlags).
		wantBefore = map[imap.UID][]imap.Flag{unread: {"$NotJunk"}, read: {"$NotJunk", imap.FlagFlagged, imap.FlagSeen}}
	}
	if !reflect.DeepEqual(before, wantBefore) {
		t.Fatalf("flags after append = %v, want %v", before, wantBefore)
	}

	c := s.IMAP(t)
	sel, err := c.Select("Projects/Apollo", &imap.SelectOptions{ReadOnly: true, CondStore: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if sel.NumMessages != 2 || sel.UIDValidity == 0 {
		t.Fatalf("EXAMINE: %d messages, UIDVALIDITY %d", sel.NumMessages, sel.UIDValidity)
	}
	if sel.HighestModSeq == 0 {
		t.Errorf("EXAMINE (CONDSTORE) reported no HIGHESTMODSEQ")
	}
	hdr := &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, HeaderFields: []string{"Message-ID", "Subject"}, Peek: true}
	text := &imap.FetchItemBodySection{Specifier: imap.PartSpecifierText, Partial: &imap.SectionPartial{Offset: 0, Size: 100}, Peek: true}
	uids := imap.UIDSet{}
	uids.AddRange(1, 0)
	msgs, err := c.Fetch(uids, &imap.FetchOptions{UID: true, InternalDate: true, BodySection: []*imap.FetchItemBodySection{hdr, text}}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 {
		t.Fatalf("fetched %d messages, want 2", len(msgs))
	}
	for _, m := range msgs {
		if !bytes.Contains(m.FindBodySection(hdr), []byte("Message-ID: <")) {
			t.Errorf("UID %d: header section %q lacks Message-ID", m.UID, m.FindBodySection(hdr))
		}
		if !bytes.HasPrefix(m.FindBodySection(text), []byte("Shipped the importer")) {
			t.Errorf("UID %d: text section %q", m.UID, m.FindBodySection(text))
		}
		if !m.InternalDate.Equal(date) {
			t.Errorf("UID %d: internal date %v, want %v", m.UID, m.InternalDate, date)
		}
	}

	if after := s.Flags(t, "Projects/Apollo"); !reflect.DeepEqual(after, before) {
		t.Fatalf("flags changed by EXAMINE + PEEK fetch: before %v, after %v", before, after)
	}

	// Reset removes the label folders and empties the kept ones.
	s.Append(t, "INBOX", testMessage("inbox@e2e", s.Boss, s.User, "inbox"), nil, date)
	s.Append(t, "Sent", testMessage("sent@e2e", s.User, s.Boss, "sent"), []imap.Flag{imap.FlagSeen}, date)
	s.Reset(t, s.User)
	list, err := c.List("", "*", nil).Collect()
	if err != nil {
		t.Fatal(err)
	}
	for _, mb := range list {
		if strings.HasPrefix(mb.Mailbox, "Projects") {
			t.Errorf("after Reset %s still exists", mb.Mailbox)
		}
	}
	for _, mb := range []string{"INBOX", "Sent", "Drafts"} {
		st, err := c.Status(mb, &imap.StatusOptions{NumMessages: true}).Wait()
		if err != nil {
			t.Fatalf("STATUS %s after Reset: %v", mb, err)
		}
		if *st.NumMessages != 0 {
			t.Errorf("after Reset %s holds %d messages, want 0", mb, *st.NumMessages)
		}
	}
}

// Postfix hands the mail to Dovecot over LMTP; mox's queue delivers it
// back to mox over SMTP.
func TestSmokeSubmissionDeliversViaLMTP(t *testing.T) { EachServer(t, smokeSubmissionDelivers) }

func smokeSubmissionDelivers(t *testing.T, s *Servers) {
	s = s.Isolated(t)
	id := fmt.Sprintf("smoke-%d@leadup.e2e", time.Now().UnixNano())
	raw := testMessage(id, s.User, s.Boss, "Weekly update: Apollo")
	raw = append([]byte("Auto-Submitted: auto-generated\r\nX-Leadup-Test: smoke\r\n"), raw...)

	// The leadup user submits to the boss, with a copy to themself.
	s.Submit(t, s.User, []string{s.Boss, s.User}, raw)

	for _, who := range []*Servers{s.ForUser(s.Boss), s} {
		got := who.WaitForMessage(t, "INBOX", "Message-ID", "<"+id+">", time.Minute)
		m, err := mail.ReadMessage(bytes.NewReader(got))
		if err != nil {
			t.Fatalf("%s: delivered message does not parse: %v", who.User, err)
		}
		for k, want := range map[string]string{
			"Message-Id":     "<" + id + ">",
			"Subject":        "Weekly update: Apollo",
			"From":           s.User,
			"To":             s.Boss,
			"Auto-Submitted": "auto-generated",
			"X-Leadup-Test":  "smoke",
		} {
			if v := m.Header.Get(k); v != want {
				t.Errorf("%s: header %s = %q, want %q", who.User, k, v, want)
			}
		}
		if len(m.Header["Received"]) == 0 {
			t.Errorf("%s: no Received header: the message did not pass through %s's SMTP", who.User, s.Name)
		}
	}
}

func TestSmokeCutProxyDropsIMAPMidFetch(t *testing.T) { EachServer(t, smokeCutProxyDropsIMAPMidFetch) }

func smokeCutProxyDropsIMAPMidFetch(t *testing.T, s *Servers) {
	s = s.Isolated(t)
	body := bytes.Repeat([]byte("status line for the big message\r\n"), 8000) // ~270 KB
	raw := append(testMessage("big@e2e", s.Boss, s.User, "big"), body...)
	s.Append(t, "INBOX", raw, nil, time.Time{})

	p := NewCutProxy(t, s.IMAPSAddr())
	fetchAll := func() ([]byte, error) {
		c, err := imapclient.DialTLS(p.Addr, &imapclient.Options{TLSConfig: s.TLSConfig()})
		if err != nil {
			return nil, err
		}
		defer func() { _ = c.Close() }()
		if err := c.Login(s.User, s.Password).Wait(); err != nil {
			return nil, err
		}
		if _, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
			return nil, err
		}
		whole := &imap.FetchItemBodySection{Peek: true}
		p.CutAfter(50_000) // well inside the message body
		msgs, err := c.Fetch(imap.SeqSetNum(1), &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{whole}}).Collect()
		if err != nil {
			return nil, err
		}
		return msgs[0].FindBodySection(whole), nil
	}
	if got, err := fetchAll(); err == nil {
		t.Fatalf("fetch through the cut succeeded with %d bytes", len(got))
	}
	if p.Cuts() != 1 {
		t.Fatalf("cuts = %d, want 1", p.Cuts())
	}

	// Unarmed, a proxy passes the whole message; Cut drops it on demand.
	p2 := NewCutProxy(t, s.IMAPSAddr())
	c, err := imapclient.DialTLS(p2.Addr, &imapclient.Options{TLSConfig: s.TLSConfig()})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	if err := c.Login(s.User, s.Password).Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatal(err)
	}
	whole := &imap.FetchItemBodySection{Peek: true}
	msgs, err := c.Fetch(imap.SeqSetNum(1), &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{whole}}).Collect()
	if err != nil {
		t.Fatalf("fetch through an unarmed proxy: %v", err)
	}
	if got := msgs[0].FindBodySection(whole); !bytes.Equal(got, raw) {
		t.Fatalf("fetched %d bytes, want the %d appended", len(got), len(raw))
	}
	p2.Cut()
	if err := c.Noop().Wait(); err == nil {
		t.Fatal("NOOP succeeded on a connection the proxy cut")
	}
}

// AppendRaw closes the command even when the server refuses the message, so
// the Session's connection goes on: cmd/leadup appends malformed mail this
// way.
func TestSmokeAppendRawAfterRefusal(t *testing.T) { EachServer(t, smokeAppendRawAfterRefusal) }

func smokeAppendRawAfterRefusal(t *testing.T, s *Servers) {
	s = s.Isolated(t)
	raw := []byte("From: a@example.com\r\nSubject: after a refusal\r\n\r\nhi\r\n")
	var refused error
	var uid imap.UID
	s.Session(t, "append after a refusal", func(c *imapclient.Client) error {
		_, refused = AppendRaw(c, "No/Such/Folder", raw, nil)
		data, err := AppendRaw(c, "INBOX", raw, nil)
		if err != nil {
			return err
		}
		uid = data.UID
		return nil
	})
	if !isCode(refused, imap.ResponseCodeTryCreate) {
		t.Errorf("append to a missing folder: error = %v, want NO [TRYCREATE]", refused)
	}
	if _, ok := s.Flags(t, "INBOX")[uid]; uid == 0 || !ok {
		t.Errorf("the append after the refusal: UID %d, INBOX flags %v", uid, s.Flags(t, "INBOX"))
	}
}
