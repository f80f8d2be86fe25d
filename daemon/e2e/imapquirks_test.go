package e2e

import (
	"bytes"
	"net"
	"slices"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// memIMAP is go-imap's in-memory server on 127.0.0.1 with one user and
// an INBOX.
func memIMAP(t *testing.T) string {
	t.Helper()
	mem := imapmemserver.New()
	u := imapmemserver.NewUser("u", "p")
	if err := u.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(u)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}},
		InsecureAuth: true,
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// Literals pass both ways untouched, even when they hold what looks like
// a capability list, a command or a literal; the capabilities the quirks
// hide are gone from the lists outside them.
func TestIMAPQuirkProxyLiteralsUntouched(t *testing.T) {
	p := NewIMAPQuirkProxy(t, memIMAP(t), IMAPQuirks{HideCaps: []string{"UNSELECT", "LITERAL-", "IDLE"}, Refuse: []string{"UNSELECT"}})
	c, err := imapclient.DialInsecure(p.Addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("u", "p").Wait(); err != nil {
		t.Fatal(err)
	}
	for _, h := range []imap.Cap{imap.CapUnselect, imap.CapLiteralMinus, imap.CapIdle} {
		if c.Caps().Has(h) {
			t.Errorf("the client sees %s", h)
		}
	}
	raw := []byte("Subject: tricky\r\n\r\n* CAPABILITY IMAP4rev1 UNSELECT IDLE\r\nA1 UNSELECT\r\nDONE\r\na line that ends like a literal {3}\r\nabc\r\n")
	if _, err := AppendRaw(c, "INBOX", raw, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatal(err)
	}
	sec := &imap.FetchItemBodySection{Peek: true}
	msgs, err := c.Fetch(imap.SeqSetNum(1), &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{sec}}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || !bytes.Equal(msgs[0].FindBodySection(sec), raw) {
		t.Fatalf("the message came back as %q, want %q", msgs[0].FindBodySection(sec), raw)
	}
	if err := c.Noop().Wait(); err != nil {
		t.Fatalf("the connection is out of step after the literals: %v", err)
	}
	if p.Refusals() != 0 || !slices.Equal(p.Commands(), []string{"LOGIN", "APPEND", "EXAMINE", "FETCH", "NOOP"}) {
		t.Errorf("commands %v, %d refused; want the five sent, none refused", p.Commands(), p.Refusals())
	}
}

// DropEvery hangs up as the Nth command of each connection arrives,
// before the server sees it.
func TestIMAPQuirkProxyDropEvery(t *testing.T) {
	p := NewIMAPQuirkProxy(t, memIMAP(t), IMAPQuirks{DropEvery: 3})
	c, err := imapclient.DialInsecure(p.Addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("u", "p").Wait(); err != nil {
		t.Fatal(err)
	}
	if err := c.Noop().Wait(); err != nil {
		t.Fatal(err)
	}
	if err := c.Noop().Wait(); err == nil {
		t.Fatal("the third command went through")
	}
	if p.Drops() != 1 {
		t.Errorf("%d drops, want 1", p.Drops())
	}
}
