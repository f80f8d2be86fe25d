package mailbox

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/leadup/leadup/daemon/internal/tlsmix"
	"github.com/leadup/leadup/daemon/internal/tlsmix/tlsmixtest"
)

// tlsServer is go-imap's in-memory server with TLS: from the first byte
// (an IMAPS port) or after STARTTLS (an IMAP port). It counts logins.
type tlsServer struct {
	port   int
	caFile string
	logins atomic.Int64
}

type loginCounter struct {
	imapserver.Session
	n *atomic.Int64
}

func (s *loginCounter) Login(user, pass string) error {
	s.n.Add(1)
	return s.Session.Login(user, pass)
}

func startTLSServer(t *testing.T, implicit bool) *tlsServer {
	t.Helper()
	pki := tlsmixtest.NewPKI(t)
	cfg := &tls.Config{Certificates: []tls.Certificate{pki.Cert}, MinVersion: tls.VersionTLS12}
	mem := imapmemserver.New()
	u := imapmemserver.NewUser(testUser, testPass)
	for _, name := range []string{"INBOX", "Sent"} {
		if err := u.Create(name, nil); err != nil {
			t.Fatal(err)
		}
	}
	mem.AddUser(u)
	ts := &tlsServer{caFile: pki.CAFile}
	opt := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return &loginCounter{Session: mem.NewSession(), n: &ts.logins}, nil, nil
		},
		Caps:   imap.CapSet{imap.CapIMAP4rev1: {}},
		Logger: tlogger{t},
	}
	if !implicit {
		opt.TLSConfig = cfg // offers STARTTLS, and LOGIN only after it
	}
	srv := imapserver.New(opt)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.port = ln.Addr().(*net.TCPAddr).Port
	if implicit {
		ln = tls.NewListener(ln, cfg)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ts
}

func (ts *tlsServer) options(mode string) Options {
	return Options{Host: "127.0.0.1", Port: ts.port, TLS: mode, CAFile: ts.caFile, Username: testUser,
		Secret: func(context.Context) (string, error) { return testPass, nil }, CommandTimeout: time.Minute}
}

// dialMixup dials with a short greeting wait: the wait only decides when
// the TLS check runs (a server that greets later still works).
func dialMixup(opt Options) (*Client, error) {
	c := &Client{opt: opt.withDefaults(), greetWait: 300 * time.Millisecond}
	if err := c.dial(context.Background()); err != nil {
		return nil, err
	}
	return c, nil
}

// checkMixup asserts that err is the mix-up naming fix: not the greeting
// timeout, not a bare TLS error, and not retried.
func checkMixup(t *testing.T, err error, fix string) {
	t.Helper()
	var m *tlsmix.Mismatch
	if !errors.As(err, &m) {
		t.Fatalf("Dial = %v, want a TLS mix-up", err)
	}
	if errors.Is(err, ErrTimeout) || strings.Contains(err.Error(), "i/o timeout") {
		t.Errorf("Dial = %v: the greeting timeout, not the mix-up", err)
	}
	if !strings.Contains(err.Error(), fix) || !strings.HasPrefix(m.Fix(), fix) {
		t.Errorf("Dial = %v (fix %q), want the fix %q", err, m.Fix(), fix)
	}
	if Retryable(err) {
		t.Errorf("a mix-up is a setting to fix, not retryable: %v", err)
	}
}

// STARTTLS or no TLS on an IMAPS port: the server waits for a
// ClientHello, which the check finds instead of waiting for a greeting.
func TestDialStartTLSOnIMAPSPort(t *testing.T) {
	for _, mode := range []string{TLSStartTLS, TLSNone} {
		t.Run(mode, func(t *testing.T) {
			ts := startTLSServer(t, true)
			_, err := dialMixup(ts.options(mode))
			checkMixup(t, err, "port "+strconv.Itoa(ts.port)+" speaks TLS at once: set imap.tls: implicit")
			if n := ts.logins.Load(); n != 0 {
				t.Errorf("%d logins; the check must not log in", n)
			}
		})
	}
}

// Implicit TLS on a port that greets in plain text.
func TestDialImplicitOnPlainPort(t *testing.T) {
	ts := startTLSServer(t, false)
	_, err := dialMixup(ts.options(TLSImplicit))
	checkMixup(t, err, "port "+strconv.Itoa(ts.port)+" starts in plain text (TLS comes after STARTTLS): set imap.tls: starttls")
	if !strings.Contains(err.Error(), `"* OK`) {
		t.Errorf("the error should show the plain-text greeting: %v", err)
	}
}

// The right modes pass the check and log in.
func TestDialRightModesPassTheCheck(t *testing.T) {
	for _, mode := range []string{TLSStartTLS, TLSImplicit} {
		t.Run(mode, func(t *testing.T) {
			ts := startTLSServer(t, mode == TLSImplicit)
			c, err := dialMixup(ts.options(mode))
			if err != nil {
				t.Fatalf("Dial over %s: %v", mode, err)
			}
			defer c.Close()
			if _, err := c.Discover(context.Background(), "Sent", "", nil); err != nil {
				t.Fatalf("Discover over %s: %v", mode, err)
			}
			if n := ts.logins.Load(); n != 1 {
				t.Errorf("%d logins, want 1", n)
			}
		})
	}
}
