package tlsmix_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/internal/tlsconf"
	"github.com/leadup/leadup/daemon/internal/tlsmix"
	"github.com/leadup/leadup/daemon/internal/tlsmix/tlsmixtest"
)

func addr(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }

func dial(t *testing.T, port int) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr(port))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func guard(t *testing.T, port int, mode, caFile string) *tlsmix.Guard {
	t.Helper()
	cfg, err := tlsconf.Client("127.0.0.1", caFile)
	if err != nil {
		t.Fatal(err)
	}
	return &tlsmix.Guard{Proto: "smtp", Port: port, Mode: mode, Config: cfg, Wait: 200 * time.Millisecond,
		Redial: func(ctx context.Context) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "tcp", addr(port))
		}}
}

// A plain-text client on a TLS port hears nothing; the check's handshake
// on a second connection tells why, and sends no command.
func TestPlainOnTLSPort(t *testing.T) {
	pki := tlsmixtest.NewPKI(t)
	srv := tlsmixtest.TLSOnly(t, pki)
	g := guard(t, srv.Port, "starttls", pki.CAFile)
	conn := dial(t, srv.Port)
	_, err := g.Plain(context.Background(), conn)
	var m *tlsmix.Mismatch
	if !errors.As(err, &m) || !m.ServerTLS {
		t.Fatalf("Plain on a TLS port = %v, want a Mismatch with ServerTLS", err)
	}
	want := "port " + strconv.Itoa(srv.Port) + " speaks TLS at once: set smtp.tls: implicit"
	if m.Fix() != want || !strings.HasPrefix(err.Error(), want+" (smtp.tls is starttls") {
		t.Errorf("fix %q, error %q; want the fix %q first", m.Fix(), err, want)
	}
	conn.Close()
	srv.Wait()
	if srv.Handshakes.Load() != 1 {
		t.Errorf("%d handshakes, want the check's one", srv.Handshakes.Load())
	}
	if n := srv.AppBytes.Load(); n != 0 {
		t.Errorf("the check sent %d bytes after the handshake; it must send no command", n)
	}
}

// An untrusted certificate still shows that the port speaks TLS.
func TestPlainOnTLSPortUntrusted(t *testing.T) {
	srv := tlsmixtest.TLSOnly(t, tlsmixtest.NewPKI(t))
	g := guard(t, srv.Port, "none", "")
	_, err := g.Plain(context.Background(), dial(t, srv.Port))
	var m *tlsmix.Mismatch
	if !errors.As(err, &m) || !m.ServerTLS || m.Mode != "none" {
		t.Fatalf("Plain on a TLS port with an untrusted certificate = %v, want a Mismatch", err)
	}
}

// A greeting is passed on untouched.
func TestPlainGreeting(t *testing.T) {
	srv := tlsmixtest.Greeter(t, tlsmixtest.SMTPGreeting)
	c, err := guard(t, srv.Port, "starttls", "").Plain(context.Background(), dial(t, srv.Port))
	if err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || line != tlsmixtest.SMTPGreeting+"\r\n" {
		t.Fatalf("greeting through Plain = %q, %v", line, err)
	}
	c.Close()
	srv.Wait()
	if srv.Conns.Load() != 1 {
		t.Errorf("%d connections; a server that greets needs no check", srv.Conns.Load())
	}
}

// A plain-text server that greets late is not mistaken for TLS: the
// check's handshake gets plain text, and the first connection goes on.
// The server greets the first connection only once the check connected,
// so the greeting always comes after the wait.
func TestPlainLateGreeting(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		first, err := ln.Accept()
		if err != nil {
			return
		}
		defer first.Close()
		probe, err := ln.Accept()
		if err != nil {
			return
		}
		io.WriteString(probe, "220 late\r\n")
		io.Copy(io.Discard, probe) // until the check gives up and closes
		probe.Close()
		io.WriteString(first, "220 late\r\n")
		io.Copy(io.Discard, first)
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	c, err := guard(t, port, "starttls", "").Plain(context.Background(), dial(t, port))
	if err != nil {
		t.Fatalf("Plain with a late plain-text greeting = %v, want the connection", err)
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || line != "220 late\r\n" {
		t.Fatalf("late greeting = %q, %v", line, err)
	}
	c.Close()
	wg.Wait()
}

// A server that says nothing on either connection is left to the
// caller's timeout, not called a TLS port.
func TestPlainSilentServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	c, err := guard(t, port, "starttls", "").Plain(context.Background(), dial(t, port))
	if err != nil || c == nil {
		t.Fatalf("Plain on a silent server = %v; want the connection back for the caller's timeout", err)
	}
}

// A TLS handshake answered in plain text names the fix and shows the
// greeting.
func TestHandshakeOnPlainPort(t *testing.T) {
	srv := tlsmixtest.Greeter(t, tlsmixtest.IMAPGreeting)
	g := guard(t, srv.Port, "implicit", "")
	g.Proto = "imap"
	_, err := g.Handshake(context.Background(), dial(t, srv.Port))
	var m *tlsmix.Mismatch
	if !errors.As(err, &m) || m.ServerTLS {
		t.Fatalf("Handshake on a plain port = %v, want a Mismatch", err)
	}
	var rh tls.RecordHeaderError
	if !errors.As(err, &rh) || !tlsmix.IsPlainTextAnswer(err) {
		t.Errorf("the Mismatch must wrap the tls.RecordHeaderError: %v", err)
	}
	want := "port " + strconv.Itoa(srv.Port) + " starts in plain text (TLS comes after STARTTLS): set imap.tls: starttls"
	if m.Fix() != want || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), `"* OK [CAPABILITY`) {
		t.Errorf("fix %q, error %q; want the fix %q and the greeting", m.Fix(), err, want)
	}
}

func TestHandshakeOnTLSPort(t *testing.T) {
	pki := tlsmixtest.NewPKI(t)
	srv := tlsmixtest.TLSOnly(t, pki)
	tc, err := guard(t, srv.Port, "implicit", pki.CAFile).Handshake(context.Background(), dial(t, srv.Port))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(tc, "x"); err != nil {
		t.Fatal(err)
	}
}

// The well-known ports get the other port as a second way out.
func TestFixNamesTheUsualPort(t *testing.T) {
	for _, c := range []struct {
		m    tlsmix.Mismatch
		want string
	}{
		{tlsmix.Mismatch{Proto: "smtp", Port: 465, Mode: "starttls", ServerTLS: true}, "port 465 speaks TLS at once: set smtp.tls: implicit, or use port 587 with smtp.tls: starttls"},
		{tlsmix.Mismatch{Proto: "imap", Port: 993, Mode: "starttls", ServerTLS: true}, "port 993 speaks TLS at once: set imap.tls: implicit, or use port 143 with imap.tls: starttls"},
		{tlsmix.Mismatch{Proto: "smtp", Port: 587, Mode: "implicit"}, "port 587 starts in plain text (TLS comes after STARTTLS): set smtp.tls: starttls, or use port 465 with smtp.tls: implicit"},
		{tlsmix.Mismatch{Proto: "smtp", Port: 25, Mode: "implicit"}, "port 25 starts in plain text (TLS comes after STARTTLS): set smtp.tls: starttls, or use port 465 with smtp.tls: implicit"},
		{tlsmix.Mismatch{Proto: "imap", Port: 143, Mode: "implicit"}, "port 143 starts in plain text (TLS comes after STARTTLS): set imap.tls: starttls, or use port 993 with imap.tls: implicit"},
		{tlsmix.Mismatch{Proto: "imap", Port: 1143, Mode: "implicit"}, "port 1143 starts in plain text (TLS comes after STARTTLS): set imap.tls: starttls"},
	} {
		if got := c.m.Fix(); got != c.want {
			t.Errorf("Fix(%+v) = %q, want %q", c.m, got, c.want)
		}
	}
}

// A cancelled context ends the wait with the context's error.
func TestPlainCancelled(t *testing.T) {
	pki := tlsmixtest.NewPKI(t)
	srv := tlsmixtest.TLSOnly(t, pki)
	g := guard(t, srv.Port, "starttls", pki.CAFile)
	g.Wait = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.Plain(ctx, dial(t, srv.Port)); !errors.Is(err, context.Canceled) {
		t.Fatalf("Plain with a cancelled context = %v", err)
	}
}

func TestKnown(t *testing.T) {
	for _, c := range []struct {
		proto string
		port  int
		mode  string
		want  bool // a mix-up
	}{
		{"smtp", 465, "starttls", true}, {"smtp", 465, "none", true}, {"smtp", 465, "implicit", false},
		{"smtp", 587, "implicit", true}, {"smtp", 25, "implicit", true}, {"smtp", 587, "starttls", false},
		{"imap", 993, "starttls", true}, {"imap", 143, "implicit", true}, {"imap", 143, "starttls", false},
		{"imap", 465, "starttls", false}, {"smtp", 993, "starttls", false}, {"imap", 10993, "starttls", false},
	} {
		if got := tlsmix.Known(c.proto, c.port, c.mode); (got != nil) != c.want {
			t.Errorf("Known(%s, %d, %s) = %v, want a mix-up: %v", c.proto, c.port, c.mode, got, c.want)
		}
	}
}

// Under a deadline shorter than the wait, the check still runs before it.
func TestPlainShortDeadline(t *testing.T) {
	pki := tlsmixtest.NewPKI(t)
	srv := tlsmixtest.TLSOnly(t, pki)
	g := guard(t, srv.Port, "starttls", pki.CAFile)
	g.Wait = time.Hour
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Second)
	defer cancel()
	_, err := g.Plain(ctx, dial(t, srv.Port))
	var m *tlsmix.Mismatch
	if !errors.As(err, &m) || !m.ServerTLS {
		t.Fatalf("Plain under a short deadline = %v, want the Mismatch", err)
	}
}
