package mailbox

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"

	"github.com/leadup/leadup/daemon/e2e"
	"github.com/leadup/leadup/daemon/internal/tlsmix"
)

// lockedBuffer collects what goroutines write (a log, a transcript).
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// watchServer is go-imap's in-memory server with one user whose password
// is pass, on 127.0.0.1. With fakeNotify it claims NOTIFY in every
// capability list it sends, as a server would that then refuses the
// command (go-imap's answers BAD to a command it does not know).
type watchServer struct {
	addr string
	user *imapmemserver.User
}

func newWatchServer(t *testing.T, pass string, fakeNotify bool) *watchServer {
	t.Helper()
	mem := imapmemserver.New()
	u := imapmemserver.NewUser(testUser, pass)
	for _, name := range []string{"INBOX", "Sent", "Status/Été"} {
		if err := u.Create(name, nil); err != nil {
			t.Fatal(err)
		}
	}
	mem.AddUser(u)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}},
		InsecureAuth: true,
		Logger:       tlogger{t},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ws := &watchServer{addr: ln.Addr().String(), user: u}
	if fakeNotify {
		ln = notifyClaimer{ln}
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ws
}

type notifyClaimer struct{ net.Listener }

func (l notifyClaimer) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	return claimConn{c}, err
}

type claimConn struct{ net.Conn }

// Write adds NOTIFY after IMAP4rev1 (the server writes a capability list
// in one piece).
func (c claimConn) Write(p []byte) (int, error) {
	if _, err := c.Conn.Write(bytes.ReplaceAll(p, []byte("IMAP4rev1 "), []byte("IMAP4rev1 NOTIFY "))); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (ws *watchServer) options(pass string) Options {
	h, p, _ := net.SplitHostPort(ws.addr)
	port, _ := net.LookupPort("tcp", p)
	return Options{Host: h, Port: port, TLS: TLSNone, Username: testUser,
		Secret:         func(context.Context) (string, error) { return pass, nil },
		CommandTimeout: 30 * time.Second}
}

func (ws *watchServer) add(t *testing.T, folder string) {
	t.Helper()
	raw := "Subject: hi\r\n\r\nhello\r\n"
	if _, err := ws.user.Append(folder, strings.NewReader(raw), &imap.AppendOptions{Time: day0}); err != nil {
		t.Fatal(err)
	}
}

// watchUntilWoken runs Watch and delivers into INBOX until it wakes, then
// stops it; Watch must return nil.
func watchUntilWoken(t *testing.T, c *Client, folders []string, deliver func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wake := make(chan struct{}, 1)
	done := make(chan error, 1)
	go func() { done <- c.Watch(ctx, folders, wake) }()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(30 * time.Second)
	for woke := false; !woke; {
		select {
		case <-wake:
			woke = true
		case <-tick.C:
			deliver()
		case err := <-done:
			t.Fatalf("Watch returned early: %v", err)
		case <-deadline:
			cancel()
			<-done
			t.Fatal("new mail in INBOX did not wake the watcher within 30 s")
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Watch after cancel = %v, want nil", err)
	}
}

// A server without NOTIFY: Watch says so and watches INBOX with IDLE.
func TestWatchWithoutNotifyIdlesOnInbox(t *testing.T) {
	ws := newWatchServer(t, testPass, false)
	opt := ws.options(testPass)
	var logs, wire lockedBuffer
	opt.Logger, opt.Debug = slog.New(slog.NewTextHandler(&logs, nil)), &wire
	c, err := Dial(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	watchUntilWoken(t, c, []string{"INBOX", "Sent", "Status/Été"}, func() { ws.add(t, "INBOX") })
	if !strings.Contains(logs.String(), "watching INBOX with IDLE") || !strings.Contains(logs.String(), "does not offer NOTIFY") {
		t.Errorf("the fallback was not logged:\n%s", logs.String())
	}
	if w := wire.String(); strings.Contains(w, " NOTIFY ") || !strings.Contains(w, " IDLE\r\n") {
		t.Errorf("want IDLE and no NOTIFY on the wire:\n%s", w)
	}
}

// A server that claims NOTIFY but refuses it: Watch asks once with every
// folder named as the wire wants it, then falls back to IDLE on INBOX.
func TestWatchRefusedNotifyIdlesOnInbox(t *testing.T) {
	ws := newWatchServer(t, testPass, true)
	opt := ws.options(testPass)
	var logs, wire lockedBuffer
	opt.Logger, opt.Debug = slog.New(slog.NewTextHandler(&logs, nil)), &wire
	c, err := Dial(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	watchUntilWoken(t, c, []string{"INBOX", "Sent", "Status/Été"}, func() { ws.add(t, "INBOX") })
	w := wire.String()
	if want := ` NOTIFY SET STATUS (mailboxes ("INBOX" "Sent" "Status/&AMk-t&AOk-") (MessageNew MessageExpunge))` + "\r\n"; strings.Count(w, want) != 1 {
		t.Errorf("want one %q on the wire:\n%s", want, w)
	}
	if !strings.Contains(w, " IDLE\r\n") {
		t.Errorf("no IDLE after the refusal:\n%s", w)
	}
	if l := logs.String(); !strings.Contains(l, "watching INBOX with IDLE") || !strings.Contains(l, "answered NOTIFY with BAD") {
		t.Errorf("the refusal was not logged:\n%s", l)
	}
}

// The watcher's own login works for every TLS mode and mechanism Dial
// supports, with passwords that must be quoted or sent as literals, and
// its transcript never shows the secret.
func TestNotifyConnLogins(t *testing.T) {
	ms := newMemServer(t)
	ms.token = "ya29.token-for-the-watcher"
	tricky := `pa"ss\wörd {3}`
	odd := newWatchServer(t, tricky, false)
	plain := newWatchServer(t, `quote " and \ backslash`, false)
	noLiteralPlus := e2e.NewIMAPQuirkProxy(t, odd.addr, e2e.IMAPQuirks{HideCaps: []string{"LITERAL+", "LITERAL-"}})
	implicit, starttls := startTLSServer(t, true), startTLSServer(t, false)
	for _, c := range []struct {
		name   string
		opt    Options
		secret string
	}{
		{name: "password", opt: ms.options(), secret: testPass},
		{name: "password with quotes", opt: plain.options(`quote " and \ backslash`), secret: `quote " and \ backslash`},
		{name: "8-bit password as a literal", opt: odd.options(tricky), secret: tricky},
		{name: "synchronizing literal", opt: func() Options { o := odd.options(tricky); o.Port = noLiteralPlus.Port(); return o }(), secret: tricky},
		{name: "xoauth2", opt: func() Options {
			o := ms.options()
			o.Auth, o.Secret = AuthXOAuth2, func(context.Context) (string, error) { return ms.token, nil }
			return o
		}(), secret: ms.token},
		{name: "oauthbearer", opt: func() Options {
			o := ms.options()
			o.Auth, o.Secret = AuthOAuthBearer, func(context.Context) (string, error) { return ms.token, nil }
			return o
		}(), secret: ms.token},
		{name: "implicit TLS", opt: implicit.options(TLSImplicit), secret: testPass},
		{name: "STARTTLS", opt: starttls.options(TLSStartTLS), secret: testPass},
	} {
		t.Run(c.name, func(t *testing.T) {
			var wire lockedBuffer
			n, err := dialNotify(context.Background(), c.opt.withDefaults(), &transcript{w: &wire})
			if err != nil {
				t.Fatalf("dialNotify: %v\n%s", err, wire.String())
			}
			if !n.caps.Has(imap.CapIMAP4rev1) || n.caps.Has(capNotify) {
				t.Errorf("capabilities after login = %v", n.caps)
			}
			n.close()
			w := wire.String()
			if strings.Contains(w, c.secret) || !strings.Contains(w, "[login exchange not shown]") {
				t.Errorf("the transcript shows the login:\n%s", w)
			}
		})
	}

	for _, auth := range []string{AuthPassword, AuthXOAuth2, AuthOAuthBearer} {
		t.Run("refused "+auth, func(t *testing.T) {
			o := ms.options()
			o.Auth, o.Secret = auth, func(context.Context) (string, error) { return "wrong", nil }
			_, err := dialNotify(context.Background(), o.withDefaults(), nil)
			var ie *imap.Error
			var be *sasl.OAuthBearerError
			if !errors.As(err, &ie) && !errors.As(err, &be) || Retryable(err) || !strings.Contains(err.Error(), "imap login as "+testUser) {
				t.Errorf("a wrong secret: %v; want a refusal naming the user, not retryable", err)
			}
		})
	}
	t.Run("mix-up", func(t *testing.T) {
		o := implicit.options(TLSStartTLS).withDefaults()
		_, err := dialNotify(context.Background(), o, nil)
		var m *tlsmix.Mismatch
		if !errors.As(err, &m) {
			t.Errorf("STARTTLS on a TLS port: %v; want the mix-up named", err)
		}
	})
}

// The watcher sends nothing that could change the mailbox.
func TestNotifyCommandsReadOnly(t *testing.T) {
	for name := range notifyCommands {
		switch name {
		case "STORE", "UID", "EXPUNGE", "COPY", "MOVE", "APPEND", "CREATE", "DELETE", "RENAME", "SELECT",
			"SUBSCRIBE", "UNSUBSCRIBE", "SETACL", "SETMETADATA", "SETQUOTA":
			t.Errorf("the watcher may send %s", name)
		}
	}
	n := &notifyConn{}
	if _, err := n.send("EXPUNGE"); err == nil {
		t.Error("send(EXPUNGE) was not refused")
	}
}
