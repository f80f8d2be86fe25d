package mailer

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/leadup/leadup/daemon/backoff"
)

const (
	testUser = "alex@example.com"
	testPass = "s3cret-Pa55word!"
)

// fastBackoff keeps retries immediate: the delays are tunables, not waits
// the tests sit out.
func fastBackoff() *backoff.Backoff {
	return &backoff.Backoff{Min: time.Millisecond, Max: time.Millisecond, DelayFirst: true}
}

func newSender(t *testing.T, opt Options) *Sender {
	t.Helper()
	s, err := New(opt)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

func messageID(t *testing.T, raw []byte) string {
	t.Helper()
	p := parseMessage(t, raw)
	id, err := p.header.MessageID()
	if err != nil {
		t.Fatalf("message id: %v", err)
	}
	return "<" + id + ">"
}

func TestSendDeliversOverStartTLS(t *testing.T) {
	ts := startServer(t, serverOpts{user: testUser, pass: testPass})
	var logs bytes.Buffer
	opt := ts.options("starttls")
	opt.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := newSender(t, opt)
	m := testMessage(t)

	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := ts.accepted()
	if len(got) != 1 {
		t.Fatalf("server accepted %d messages, want 1", len(got))
	}
	env := got[0]
	if !env.tls || env.user != testUser {
		t.Errorf("session: tls=%v user=%q, want TLS and %q", env.tls, env.user, testUser)
	}
	if env.from != "leadup@example.com" || strings.Join(env.to, ",") != "alex@example.com,alex.doe@example.com" {
		t.Errorf("envelope from=%q to=%v", env.from, env.to)
	}
	p := parseMessage(t, env.data)
	checkHeaders(t, p, m)
	if !p.alternative || normalizeNL(p.text) != m.Text || !strings.Contains(p.html, "cid:chart@leadup.local") {
		t.Errorf("body: alternative=%v text=%q html=%q", p.alternative, p.text, p.html)
	}
	if !bytes.Equal(p.inline["<chart@leadup.local>"], m.Inline[0].Data) {
		t.Errorf("inline PNG not delivered intact")
	}
	if strings.Contains(logs.String(), testPass) {
		t.Errorf("password in logs: %s", logs.String())
	}
	if !strings.Contains(logs.String(), "smtp delivered") {
		t.Errorf("no delivery log record: %s", logs.String())
	}
}

func TestSendImplicitTLS(t *testing.T) {
	ts := startServer(t, serverOpts{implicit: true, user: testUser, pass: testPass})
	s := newSender(t, ts.options("implicit"))
	if err := s.Send(context.Background(), testMessage(t)); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := ts.accepted()
	if len(got) != 1 || !got[0].tls {
		t.Fatalf("accepted %d messages (tls=%v), want 1 over TLS", len(got), len(got) == 1 && got[0].tls)
	}
}

func TestSendXOAuth2(t *testing.T) {
	const token = "ya29.token-value"
	ts := startServer(t, serverOpts{user: testUser, pass: token, xoauth2: true})
	opt := ts.options("starttls")
	opt.Auth = "xoauth2"
	var calls atomic.Int32
	opt.Password = func(context.Context) (string, error) { calls.Add(1); return token, nil }
	s := newSender(t, opt)
	if calls.Load() != 0 {
		t.Fatalf("New resolved the token; it must be lazy")
	}
	if err := s.Send(context.Background(), testMessage(t)); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if got := ts.accepted(); len(got) != 1 || got[0].user != testUser {
		t.Fatalf("accepted %v, want one message from an XOAUTH2 session", got)
	}
	if calls.Load() != 1 {
		t.Errorf("token resolved %d times, want once per attempt", calls.Load())
	}
}

func TestSendTLSNoneOnLoopback(t *testing.T) {
	ts := startServer(t, serverOpts{noTLS: true, insecureAuth: true, user: testUser, pass: testPass})
	opt := ts.options("none")
	opt.CAFile = ""
	s := newSender(t, opt)
	if err := s.Send(context.Background(), testMessage(t)); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if got := ts.accepted(); len(got) != 1 || got[0].tls {
		t.Fatalf("want one message over plain loopback, got %d", len(got))
	}
}

func TestSendStartTLSRequired(t *testing.T) {
	// A server that does not offer STARTTLS must not get the password.
	ts := startServer(t, serverOpts{noTLS: true, insecureAuth: true, user: testUser, pass: testPass})
	s := newSender(t, ts.options("starttls"))
	err := s.Send(context.Background(), testMessage(t))
	if Classify(err) != Setup || !strings.Contains(err.Error(), "STARTTLS") {
		t.Fatalf("Send = %v (class %v), want a STARTTLS setup error", err, Classify(err))
	}
	if ts.mailCount() != 0 {
		t.Fatalf("a message transaction was started without TLS")
	}
}

func TestRetryUntilAccepted(t *testing.T) {
	tests := []struct {
		name      string
		reply     error
		failures  int
		wantTries int
	}{
		{"451 greylisted twice", smtpErr(451, "4.7.1", "Greylisted, try again later"), 2, 3},
		{"gmail 550 5.4.5 is temporary", smtpErr(550, "5.4.5", "Daily user sending limit exceeded"), 1, 2},
		{"421 closing", smtpErr(421, "4.3.2", "Service shutting down"), 1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := startServer(t, serverOpts{user: testUser, pass: testPass,
				onData: func(n int, _ *smtp.Conn, _ []byte) error {
					if n <= tt.failures {
						return tt.reply
					}
					return nil
				}})
			s := newSender(t, ts.options("starttls"))
			m := testMessage(t)
			b := fastBackoff()
			if _, err := s.SendRetry(context.Background(), m, b, 5); err != nil {
				t.Fatalf("SendRetry: %v", err)
			}
			envs := ts.envelopes()
			if len(envs) != tt.wantTries {
				t.Fatalf("server saw %d transfers, want %d", len(envs), tt.wantTries)
			}
			for i, e := range envs {
				if id := messageID(t, e.data); id != m.MessageID {
					t.Errorf("transfer %d has Message-ID %s, want %s", i+1, id, m.MessageID)
				}
			}
			if got := ts.accepted(); len(got) != 1 {
				t.Fatalf("accepted %d times, want exactly once", len(got))
			}
			if b.Attempts() != 0 {
				t.Errorf("backoff not reset after success")
			}
		})
	}
}

func TestPermanentNotRetried(t *testing.T) {
	ts := startServer(t, serverOpts{user: testUser, pass: testPass,
		onData: func(int, *smtp.Conn, []byte) error {
			return smtpErr(550, "5.7.1", "Message rejected as spam")
		}})
	s := newSender(t, ts.options("starttls"))
	_, err := s.SendRetry(context.Background(), testMessage(t), fastBackoff(), 5)
	var e *Error
	if !errors.As(err, &e) || e.Class != Permanent || e.Code != 550 || e.Enhanced != "5.7.1" {
		t.Fatalf("SendRetry = %#v, want a permanent 550 5.7.1 *Error", err)
	}
	if e.Temporary() {
		t.Errorf("Temporary() = true for a 5xx")
	}
	if n := len(ts.envelopes()); n != 1 {
		t.Fatalf("server saw %d transfers, want 1 (no retry)", n)
	}
}

func TestGivesUpAfterMaxAttempts(t *testing.T) {
	ts := startServer(t, serverOpts{user: testUser, pass: testPass,
		onMail: func(int) error { return smtpErr(451, "4.3.0", "try later") }})
	s := newSender(t, ts.options("starttls"))
	_, err := s.SendRetry(context.Background(), testMessage(t), fastBackoff(), 3)
	if Classify(err) != Temporary || !strings.Contains(err.Error(), "after 3 attempts") {
		t.Fatalf("SendRetry = %v, want temporary after 3 attempts", err)
	}
	if n := ts.mailCount(); n != 3 {
		t.Fatalf("server saw %d MAIL commands, want 3", n)
	}
}

func TestBadPasswordIsSetupAndRedacted(t *testing.T) {
	// The server echoes the password it got in its 535 reply; the client
	// must still never show it.
	const wrong = "wrong-Pa55word-XYZ"
	ts := startServer(t, serverOpts{user: testUser, pass: testPass, echoPassword: true})
	var logs bytes.Buffer
	opt := ts.options("starttls")
	opt.Password = staticPassword(wrong)
	opt.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := newSender(t, opt)

	n, err := s.SendRetry(context.Background(), testMessage(t), fastBackoff(), 5)
	var e *Error
	if !errors.As(err, &e) || e.Class != Setup || e.Code != 535 || n != 1 {
		t.Fatalf("SendRetry = %d, %v; want one attempt, a 535 setup failure", n, err)
	}
	checkErr := s.Check(context.Background())
	if Classify(checkErr) != Setup {
		t.Fatalf("Check = %v, want a setup failure", checkErr)
	}
	for _, text := range []string{err.Error(), checkErr.Error(), logs.String()} {
		if strings.Contains(text, wrong) {
			t.Fatalf("password leaked: %s", text)
		}
	}
	if !strings.Contains(err.Error(), "[redacted]") {
		t.Errorf("error %q: want the echoed password replaced by [redacted]", err)
	}
	if ts.mailCount() != 0 {
		t.Errorf("a message was attempted after failed auth")
	}
}

func TestCheck(t *testing.T) {
	ts := startServer(t, serverOpts{user: testUser, pass: testPass})
	opt := ts.options("starttls")
	opt.Auth = "" // default: PLAIN when offered, else LOGIN
	s := newSender(t, opt)
	if err := s.Check(context.Background()); err != nil {
		t.Fatalf("Check: %v", err)
	}
	if ts.mailCount() != 0 || len(ts.envelopes()) != 0 {
		t.Fatalf("Check sent mail")
	}
	ts.mu.Lock()
	logins := ts.logins
	ts.mu.Unlock()
	if logins != 1 {
		t.Fatalf("Check logged in %d times, want 1", logins)
	}
}

func TestUntrustedCertificate(t *testing.T) {
	for _, mode := range []string{"starttls", "implicit"} {
		t.Run(mode, func(t *testing.T) {
			ts := startServer(t, serverOpts{implicit: mode == "implicit", user: testUser, pass: testPass})
			opt := ts.options(mode)
			opt.CAFile = "" // the throw-away CA is not among the system roots
			s := newSender(t, opt)
			err := s.Send(context.Background(), testMessage(t))
			var unknownCA x509.UnknownAuthorityError
			var verify *tls.CertificateVerificationError
			if err == nil || !(errors.As(err, &unknownCA) || errors.As(err, &verify)) {
				t.Fatalf("Send = %v, want a certificate verification error", err)
			}
			if Classify(err) != Setup {
				t.Errorf("class = %v, want setup (needs ca_file)", Classify(err))
			}
			if ts.mailCount() != 0 {
				t.Errorf("mail sent over an untrusted connection")
			}
		})
	}
}

func TestNewRefuses(t *testing.T) {
	pw := staticPassword("x")
	tests := []struct {
		name string
		opt  Options
		want string
	}{
		{"tls none to a remote host", Options{Host: "smtp.example.com", TLS: "none"}, "loopback"},
		{"tls none to a remote ip", Options{Host: "192.0.2.10", TLS: "none"}, "loopback"},
		{"no host", Options{TLS: "starttls"}, "host"},
		{"unknown tls", Options{Host: "h", TLS: "ssl"}, "tls"},
		{"unknown auth", Options{Host: "h", Auth: "cram-md5", Username: "u", Password: pw}, "auth"},
		{"auth without user", Options{Host: "h", Auth: "plain", Password: pw}, "username"},
		{"user without password", Options{Host: "h", Username: "u"}, "password"},
		{"bad port", Options{Host: "h", Port: 70000}, "port"},
		{"missing ca file", Options{Host: "h", CAFile: "/nonexistent/ca.pem"}, "ca_file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New(tt.opt)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New = %v, %v; want an error mentioning %q", s, err, tt.want)
			}
		})
	}
	for _, host := range []string{"127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.53"} {
		if _, err := New(Options{Host: host, TLS: "none"}); err != nil {
			t.Errorf("New(tls none, %s) = %v, want accepted", host, err)
		}
	}
}

func TestConnectionDroppedAfterData(t *testing.T) {
	ts := startServer(t, serverOpts{user: testUser, pass: testPass,
		onData: func(n int, c *smtp.Conn, _ []byte) error {
			if n == 1 {
				// The message arrived in full; the answer never does.
				c.Conn().Close()
				return errDropped
			}
			return nil
		}})
	s := newSender(t, ts.options("starttls"))
	m := testMessage(t)

	err := s.Send(context.Background(), m)
	if Classify(err) != Unknown {
		t.Fatalf("Send = %v (class %v), want unknown outcome", err, Classify(err))
	}
	var e *Error
	if !errors.As(err, &e) || !e.Temporary() {
		t.Fatalf("unknown outcome must be retryable: %v", err)
	}
	if _, err := s.SendRetry(context.Background(), m, fastBackoff(), 3); err != nil {
		t.Fatalf("SendRetry: %v", err)
	}
	envs := ts.envelopes()
	if len(envs) != 2 {
		t.Fatalf("server saw %d transfers, want 2", len(envs))
	}
	if a, b := messageID(t, envs[0].data), messageID(t, envs[1].data); a != m.MessageID || b != m.MessageID {
		t.Fatalf("Message-IDs %s and %s, want both %s", a, b, m.MessageID)
	}
}

func TestTimeoutAfterDataIsUnknown(t *testing.T) {
	release := make(chan struct{})
	ts := startServer(t, serverOpts{user: testUser, pass: testPass,
		onData: func(int, *smtp.Conn, []byte) error {
			<-release // never answer within the client's timeout
			return nil
		}})
	defer close(release)
	opt := ts.options("starttls")
	opt.Timeout = 300 * time.Millisecond
	s := newSender(t, opt)
	err := s.Send(context.Background(), testMessage(t))
	if Classify(err) != Unknown {
		t.Fatalf("Send = %v (class %v), want unknown outcome", err, Classify(err))
	}
}

func TestCancelStopsRetries(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ts := startServer(t, serverOpts{user: testUser, pass: testPass,
		onMail: func(int) error {
			cancel() // cancel while the first attempt is still in flight
			return smtpErr(451, "4.3.0", "try later")
		}})
	s := newSender(t, ts.options("starttls"))
	// An hour between attempts: only the cancellation can end this promptly.
	b := &backoff.Backoff{Min: time.Hour, Max: time.Hour, DelayFirst: true}
	_, err := s.SendRetry(ctx, testMessage(t), b, 100)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("SendRetry = %v, want context.Canceled", err)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("SendRetry = %v, want the last attempt's *Error too", err)
	}
	if n := ts.mailCount(); n != 1 {
		t.Fatalf("server saw %d attempts, want 1", n)
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ts := startServer(t, serverOpts{user: testUser, pass: testPass,
		onMail: func(int) error { return smtpErr(451, "4.3.0", "try later") }})
	var logs syncBuffer
	opt := ts.options("starttls")
	opt.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	s := newSender(t, opt)
	b := &backoff.Backoff{Min: time.Hour, Max: time.Hour, DelayFirst: true}
	errc := make(chan error, 1)
	go func() { _, err := s.SendRetry(ctx, testMessage(t), b, 100); errc <- err }()
	// Wait until SendRetry has logged that it is about to sleep, then cancel.
	for !strings.Contains(logs.String(), "will retry") {
		select {
		case err := <-errc:
			t.Fatalf("SendRetry returned before retrying: %v", err)
		case <-time.After(5 * time.Millisecond):
		}
	}
	cancel()
	err := <-errc
	if !errors.Is(err, context.Canceled) || Classify(err) != Temporary {
		t.Fatalf("SendRetry = %v, want Canceled carrying the temporary failure", err)
	}
}
