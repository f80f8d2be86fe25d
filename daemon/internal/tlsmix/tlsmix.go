// Package tlsmix finds, within seconds, the two port and TLS mix-ups that
// otherwise cost a minute or end in a cryptic TLS error: a client that
// waits for a plain-text greeting from a server that waits for a TLS
// handshake (port 465 or 993 with starttls), and a TLS handshake against a
// server that greets in plain text (port 587 or 143 with implicit TLS).
//
// The first bytes tell. A plain-text SMTP or IMAP server greets at once
// ("220 …", "* OK …"); a TLS server sends nothing until the client's
// ClientHello. So a plain connection that hears nothing for a few seconds
// is checked with a TLS handshake on a second, short-lived connection
// (which sends no command and so is never a login attempt), and a TLS
// handshake answered in ASCII is a plain-text port. Either way the error
// is a *Mismatch whose Fix names the setting to change.
package tlsmix

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultWait is how long a plain connection waits for the server's first
// bytes before it checks whether the server speaks TLS instead. Servers
// greet within milliseconds; a slower one (a greeting delay against spam)
// only costs the check, since the connection keeps waiting when the
// server does not speak TLS.
const DefaultWait = 3 * time.Second

// Mismatch is a TLS mode that does not fit what the server on the port
// speaks.
type Mismatch struct {
	Proto string // "smtp" or "imap": the config section whose tls key is wrong
	Port  int
	Mode  string // the configured mode: "implicit", "starttls" or "none"
	// ServerTLS is true when the server waits for a TLS handshake (it sent
	// nothing, and answered the check's handshake); false when it answered
	// a TLS handshake in plain text.
	ServerTLS bool
	// Sent is the start of what the server sent in plain text (its
	// greeting), printable characters only.
	Sent string
	// Wait is how long the server stayed silent (ServerTLS only).
	Wait time.Duration
	// Err is the TLS error of the handshake against plain text.
	Err error
}

// Well-known ports: where TLS comes at once, and where the session starts
// in plain text (and TLS, if any, follows STARTTLS).
var (
	implicitPort = map[string]int{"smtp": 465, "imap": 993}
	plainPorts   = map[string][]int{"smtp": {587, 25}, "imap": {143}}
	plainPort    = map[string]int{"smtp": 587, "imap": 143}
)

// Known returns the mix-up that a well-known port with mode is, without
// connecting (for the offline `leadup check`): 465 or 993 with starttls
// or none, 587, 25 or 143 with implicit. It returns nil for any other
// pair, including the ports it does not know.
func Known(proto string, port int, mode string) *Mismatch {
	switch mode {
	case "starttls", "none":
		if port == implicitPort[proto] {
			return &Mismatch{Proto: proto, Port: port, Mode: mode, ServerTLS: true}
		}
	case "implicit":
		for _, p := range plainPorts[proto] {
			if p == port {
				return &Mismatch{Proto: proto, Port: port, Mode: mode}
			}
		}
	}
	return nil
}

// Fix says in one line what to change.
func (m *Mismatch) Fix() string {
	key := m.Proto + ".tls"
	if m.ServerTLS {
		fix := fmt.Sprintf("port %d speaks TLS at once: set %s: implicit", m.Port, key)
		if m.Port == implicitPort[m.Proto] {
			fix += fmt.Sprintf(", or use port %d with %s: starttls", plainPort[m.Proto], key)
		}
		return fix
	}
	fix := fmt.Sprintf("port %d starts in plain text (TLS comes after STARTTLS): set %s: starttls", m.Port, key)
	for _, p := range plainPorts[m.Proto] {
		if p == m.Port {
			fix += fmt.Sprintf(", or use port %d with %s: implicit", implicitPort[m.Proto], key)
		}
	}
	return fix
}

// Error is the fix, then what was seen.
func (m *Mismatch) Error() string {
	if m.ServerTLS {
		return fmt.Sprintf("%s (%s.tls is %s, but the server sent no greeting within %s and answered a TLS handshake)",
			m.Fix(), m.Proto, m.Mode, m.Wait)
	}
	seen := "in plain text"
	if m.Sent != "" {
		seen = fmt.Sprintf("in plain text: %q", m.Sent)
	}
	return fmt.Sprintf("%s (%s.tls is %s, but the server answered the TLS handshake %s)", m.Fix(), m.Proto, m.Mode, seen)
}

// Unwrap gives access to the TLS error (a tls.RecordHeaderError), if any.
func (m *Mismatch) Unwrap() error { return m.Err }

// Guard checks one connection's first bytes.
type Guard struct {
	Proto string // "smtp" or "imap"
	Port  int
	Mode  string // the configured TLS mode, for the error
	// Config is the TLS config for Handshake and for the check's handshake.
	Config *tls.Config
	// Redial opens a second connection to the same server for the check
	// in Plain; nil skips the check (Plain then only waits).
	Redial func(ctx context.Context) (net.Conn, error)
	// Wait is how long Plain waits for the first bytes: DefaultWait when
	// zero, and at most half the time left before the context's deadline.
	Wait time.Duration
}

// wait is Wait, or DefaultWait; under a deadline at most half the time
// left, so the check fits in before it.
func (g *Guard) wait(ctx context.Context) time.Duration {
	w := g.Wait
	if w <= 0 {
		w = DefaultWait
	}
	if dl, ok := ctx.Deadline(); ok {
		w = min(w, time.Until(dl)/2)
	}
	return w
}

// Plain waits for the first bytes of a plain-text session on conn and
// returns a connection that still delivers them. When the server stays
// silent for Wait and answers a TLS handshake on a second connection,
// the error is a *Mismatch; when it stays silent but is not a TLS server,
// conn is returned unread for the caller's own timeouts to bound. The
// read deadline of conn is cleared on return.
func (g *Guard) Plain(ctx context.Context, conn net.Conn) (net.Conn, error) {
	wait := g.wait(ctx)
	if err := conn.SetReadDeadline(time.Now().Add(wait)); err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { conn.SetReadDeadline(time.Unix(1, 0)) })
	buf := make([]byte, 512)
	n, err := conn.Read(buf)
	stop()
	if cerr := conn.SetReadDeadline(time.Time{}); cerr != nil && err == nil {
		err = cerr
	}
	switch {
	case n > 0:
		return &prefixConn{Conn: conn, pre: buf[:n]}, nil
	case ctx.Err() != nil:
		return nil, fmt.Errorf("waiting for the greeting: %w", context.Cause(ctx))
	case isTimeout(err):
		if g.speaksTLS(ctx, wait) {
			return nil, &Mismatch{Proto: g.Proto, Port: g.Port, Mode: g.Mode, ServerTLS: true, Wait: wait.Round(time.Millisecond)}
		}
		return conn, nil
	}
	return nil, fmt.Errorf("waiting for the greeting: %w", err)
}

// speaksTLS tries a TLS handshake on a second connection, bounded by
// wait. Only the handshake happens: no command is sent.
func (g *Guard) speaksTLS(ctx context.Context, wait time.Duration) bool {
	if g.Redial == nil || g.Config == nil {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	c, err := g.Redial(ctx)
	if err != nil {
		return false
	}
	defer c.Close()
	tc := tls.Client(c, g.Config.Clone())
	err = tc.HandshakeContext(ctx)
	return err == nil || answeredTLS(err)
}

// answeredTLS reports whether a failed handshake got as far as a TLS
// answer from the server: an alert, or a certificate to judge.
func answeredTLS(err error) bool {
	var (
		alert        tls.AlertError
		verification *tls.CertificateVerificationError
		unknownAuth  x509.UnknownAuthorityError
		hostname     x509.HostnameError
		invalid      x509.CertificateInvalidError
	)
	return errors.As(err, &alert) || errors.As(err, &verification) || errors.As(err, &unknownAuth) ||
		errors.As(err, &hostname) || errors.As(err, &invalid)
}

// Handshake runs a TLS client handshake on conn, bounded by ctx. When the
// server answers in plain text the error is a *Mismatch wrapping the
// tls.RecordHeaderError; other errors are returned as they are. conn is
// not closed on failure.
func (g *Guard) Handshake(ctx context.Context, conn net.Conn) (*tls.Conn, error) {
	rec := &recordConn{Conn: conn}
	tc := tls.Client(rec, g.Config)
	err := tc.HandshakeContext(ctx)
	if err == nil {
		rec.stop()
		return tc, nil
	}
	var rh tls.RecordHeaderError
	if errors.As(err, &rh) && rh.Conn != nil {
		return nil, &Mismatch{Proto: g.Proto, Port: g.Port, Mode: g.Mode, Sent: printable(rec.first()), Err: err}
	}
	return nil, err
}

// IsPlainTextAnswer reports whether err is a TLS handshake answered in
// plain text (the first record did not look like TLS).
func IsPlainTextAnswer(err error) bool {
	var rh tls.RecordHeaderError
	return errors.As(err, &rh) && rh.Conn != nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// printable is the first line of b, printable ASCII only, at most 60
// characters.
func printable(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		if c == '\r' || c == '\n' || sb.Len() >= 60 {
			break
		}
		if c >= ' ' && c < 0x7f {
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

// prefixConn delivers pre before reading from the connection.
type prefixConn struct {
	net.Conn
	pre []byte
}

func (c *prefixConn) Read(p []byte) (int, error) {
	if len(c.pre) > 0 {
		n := copy(p, c.pre)
		c.pre = c.pre[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}

// recordConn keeps the first bytes read through it, for the error of a
// handshake answered in plain text.
type recordConn struct {
	net.Conn
	mu      sync.Mutex
	buf     []byte
	stopped bool
}

const recordMax = 128

func (c *recordConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	if !c.stopped && len(c.buf) < recordMax {
		c.buf = append(c.buf, p[:min(n, recordMax-len(c.buf))]...)
	}
	c.mu.Unlock()
	return n, err
}

func (c *recordConn) stop() {
	c.mu.Lock()
	c.stopped, c.buf = true, nil
	c.mu.Unlock()
}

func (c *recordConn) first() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]byte(nil), c.buf...)
}

// PortOf is the port of a host:port address, 0 when there is none.
func PortOf(addr string) int {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(p)
	return n
}
