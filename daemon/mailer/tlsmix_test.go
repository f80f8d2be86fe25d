package mailer

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/internal/tlsmix"
	"github.com/leadup/leadup/daemon/internal/tlsmix/tlsmixtest"
)

// mixupSender is a sender with a short greeting wait: the wait only
// decides when the TLS check runs, and a plain-text server that greets
// later than it still works (see the tlsmix tests).
func mixupSender(t *testing.T, opt Options) *Sender {
	t.Helper()
	s := newSender(t, opt)
	s.greetWait = 300 * time.Millisecond
	return s
}

// checkMixup asserts that err is the mix-up of a setup failure that names
// fix, and not the greeting timeout or a bare TLS error.
func checkMixup(t *testing.T, err error, fix string) {
	t.Helper()
	var m *tlsmix.Mismatch
	if !errors.As(err, &m) {
		t.Fatalf("err = %v, want a TLS mix-up", err)
	}
	var ne net.Error
	if errors.As(err, &ne) || strings.Contains(err.Error(), "i/o timeout") {
		t.Errorf("err = %v: the greeting timeout, not the mix-up", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Class != Setup {
		t.Fatalf("class of %v = %v, want setup", err, Classify(err))
	}
	if got := e.Fix(); !strings.HasPrefix(got, fix) || strings.Contains(got, "\n") {
		t.Errorf("Fix() = %q, want one line starting %q", got, fix)
	}
	if !strings.Contains(err.Error(), fix) {
		t.Errorf("the error must say the fix itself (check --connect prints it): %v", err)
	}
}

// STARTTLS (or no TLS) against a port that speaks TLS at once: the
// server waits for a ClientHello, the client for a greeting. Found by
// the check, not after the 60 s timeout, and never retried.
func TestStartTLSOnImplicitPort(t *testing.T) {
	for _, mode := range []string{TLSStartTLS, TLSNone} {
		t.Run(mode, func(t *testing.T) {
			ts := startServer(t, serverOpts{implicit: true, user: testUser, pass: testPass, insecureAuth: true})
			opt := ts.options(mode)
			opt.Timeout = time.Minute
			s := mixupSender(t, opt)
			fix := "port " + strconv.Itoa(ts.port) + " speaks TLS at once: set smtp.tls: implicit"
			checkMixup(t, s.Check(context.Background()), fix)
			n, err := s.SendRetry(context.Background(), testMessage(t), fastBackoff(), 5)
			checkMixup(t, err, fix)
			if n != 1 {
				t.Errorf("%s made; a mix-up is not retried", Attempts(n))
			}
			ts.mu.Lock()
			logins := ts.logins
			ts.mu.Unlock()
			if logins != 0 || ts.mailCount() != 0 {
				t.Errorf("%d logins, %d MAIL commands; the check must not log in", logins, ts.mailCount())
			}
		})
	}
}

// The check that finds a TLS port sends nothing but a handshake.
func TestStartTLSOnTLSOnlyPortSendsNoCommand(t *testing.T) {
	pki := tlsmixtest.NewPKI(t)
	srv := tlsmixtest.TLSOnly(t, pki)
	s := mixupSender(t, Options{Host: "127.0.0.1", Port: srv.Port, TLS: TLSStartTLS, CAFile: pki.CAFile,
		Username: testUser, Password: staticPassword(testPass)})
	checkMixup(t, s.Check(context.Background()), "port "+strconv.Itoa(srv.Port)+" speaks TLS at once")
	srv.Wait() // Check closed its connections
	if n := srv.AppBytes.Load(); n != 0 || srv.Handshakes.Load() != 1 {
		t.Errorf("%d handshakes, %d bytes after them; want the check's one handshake and no command", srv.Handshakes.Load(), n)
	}
}

// Implicit TLS against a port that greets in plain text.
func TestImplicitOnPlainTextPort(t *testing.T) {
	ts := startServer(t, serverOpts{user: testUser, pass: testPass})
	s := mixupSender(t, ts.options(TLSImplicit))
	fix := "port " + strconv.Itoa(ts.port) + " starts in plain text (TLS comes after STARTTLS): set smtp.tls: starttls"
	err := s.Check(context.Background())
	checkMixup(t, err, fix)
	if !strings.Contains(err.Error(), `"220 `) {
		t.Errorf("the error should show the plain-text greeting: %v", err)
	}
	n, err := s.SendRetry(context.Background(), testMessage(t), fastBackoff(), 5)
	checkMixup(t, err, fix)
	if n != 1 || ts.mailCount() != 0 {
		t.Errorf("%s, %d MAIL commands; want one attempt and no mail", Attempts(n), ts.mailCount())
	}
}

// The right modes still work through the check (a greeting arrives, the
// handshake succeeds), and the greeting is passed on intact.
func TestRightModesPassTheCheck(t *testing.T) {
	for _, mode := range []string{TLSStartTLS, TLSImplicit} {
		t.Run(mode, func(t *testing.T) {
			ts := startServer(t, serverOpts{implicit: mode == TLSImplicit, user: testUser, pass: testPass})
			s := mixupSender(t, ts.options(mode))
			if err := s.Send(context.Background(), testMessage(t)); err != nil {
				t.Fatalf("Send over %s: %v", mode, err)
			}
			if ts.mailCount() != 1 {
				t.Errorf("%d MAIL commands, want 1", ts.mailCount())
			}
		})
	}
}
