// Package mailer builds leadup's mail (reminders, digests, drafts) and sends
// it over SMTP with go-mail, classifying every failure as temporary,
// permanent or of unknown outcome so the outbox can retry safely: a retry
// reuses the caller's Message-ID, which is the idempotency key.
package mailer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/leadup/leadup/daemon/backoff"
	"github.com/leadup/leadup/daemon/internal/tlsconf"
	"github.com/leadup/leadup/daemon/internal/tlsmix"
)

// TLS modes of Options.TLS.
const (
	TLSImplicit = "implicit" // TLS from the first byte (port 465)
	TLSStartTLS = "starttls" // plain connect, then mandatory STARTTLS (port 587)
	TLSNone     = "none"     // no TLS: loopback hosts only (a local relay, tests)
)

// Auth mechanisms of Options.Auth.
const (
	AuthDefault = ""        // no auth without Username; else PLAIN, or LOGIN if PLAIN is not offered
	AuthPlain   = "plain"   // SASL PLAIN
	AuthLogin   = "login"   // the LOGIN mechanism (older Exchange)
	AuthXOAuth2 = "xoauth2" // Password returns an OAuth access token
)

// DefaultTimeout bounds one attempt (dial, TLS, auth, transfer) when
// Options.Timeout is zero.
const DefaultTimeout = 60 * time.Second

// Options configure a Sender. They hold no secret: the password is fetched
// through Password for each attempt, so a rotated secret or a refreshed
// OAuth token is picked up, and printing Options reveals nothing.
type Options struct {
	Host string
	// Port defaults to 465 for implicit TLS, 587 for STARTTLS, 25 for none.
	Port int
	// TLS is "implicit", "starttls" (the default when empty) or "none";
	// "none" is refused unless Host is a loopback address or "localhost".
	TLS string
	// CAFile adds a PEM CA bundle to the system roots, for servers with a
	// private CA. Certificate verification is always on.
	CAFile   string
	Username string
	// Password returns the password (or the OAuth token for xoauth2). It is
	// resolved lazily per attempt and never logged nor put in an error.
	Password func(ctx context.Context) (string, error)
	// Auth is "", "plain", "login" or "xoauth2" (see the Auth constants).
	Auth string
	// Timeout bounds one attempt; DefaultTimeout when zero.
	Timeout time.Duration
	// Logger receives attempt and retry records; nil discards them.
	Logger *slog.Logger
}

// Sender sends leadup's mail through one SMTP submission server. It is safe
// for concurrent use; each attempt uses its own connection.
type Sender struct {
	opt  Options
	port int
	tls  *tls.Config
	log  *slog.Logger
	// greetWait is how long a plain connection waits for the greeting
	// before it checks for a TLS port (tlsmix.DefaultWait when zero).
	greetWait time.Duration
}

// New validates opt and loads the CA file. It does not connect: use Check.
func New(opt Options) (*Sender, error) {
	if opt.Host == "" {
		return nil, errors.New("smtp host is empty")
	}
	s := &Sender{opt: opt, log: opt.Logger, port: opt.Port}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.opt.Timeout <= 0 {
		s.opt.Timeout = DefaultTimeout
	}
	switch strings.ToLower(opt.TLS) {
	case TLSImplicit:
		s.opt.TLS = TLSImplicit
		s.setDefaultPort(465)
	case TLSStartTLS, "":
		s.opt.TLS = TLSStartTLS
		s.setDefaultPort(587)
	case TLSNone:
		if !tlsconf.IsLoopback(opt.Host) {
			return nil, fmt.Errorf("smtp tls none is refused for %s: only loopback hosts may be used without TLS", opt.Host)
		}
		s.opt.TLS = TLSNone
		s.setDefaultPort(25)
	default:
		return nil, fmt.Errorf("smtp tls %q: want implicit, starttls or none", opt.TLS)
	}
	if s.port < 1 || s.port > 65535 {
		return nil, fmt.Errorf("smtp port %d is out of range", s.port)
	}
	switch strings.ToLower(opt.Auth) {
	case AuthDefault, AuthPlain, AuthLogin, AuthXOAuth2:
		s.opt.Auth = strings.ToLower(opt.Auth)
	default:
		return nil, fmt.Errorf("smtp auth %q: want plain, login or xoauth2", opt.Auth)
	}
	if s.opt.Auth != AuthDefault && opt.Username == "" {
		return nil, fmt.Errorf("smtp auth %s needs a username", s.opt.Auth)
	}
	if opt.Username != "" && opt.Password == nil {
		return nil, errors.New("smtp username is set but no password source")
	}

	tc, err := tlsconf.Client(opt.Host, opt.CAFile)
	if err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	s.tls = tc
	return s, nil
}

func (s *Sender) setDefaultPort(p int) {
	if s.port == 0 {
		s.port = p
	}
}

// attempt is one connection: a go-mail client whose connection is closed
// when the attempt's context is done (go-mail watches the context only while
// dialing) and when the attempt ends (go-mail leaves it open after a failed
// EHLO or STARTTLS).
type attempt struct {
	client *gomail.Client
	secret string
	mu     sync.Mutex
	conns  []net.Conn
	stops  []func() bool
}

// release closes whatever connection the attempt opened.
func (a *attempt) release() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, stop := range a.stops {
		stop()
	}
	for _, c := range a.conns {
		c.Close()
	}
}

// newAttempt resolves the password and prepares a client for one attempt.
func (s *Sender) newAttempt(ctx context.Context) (*attempt, error) {
	a := &attempt{}
	if s.opt.Username != "" {
		secret, err := s.opt.Password(ctx)
		if err != nil {
			// The password source's error is ours to show (a failing
			// password_cmd); it must not contain the secret itself.
			return nil, &Error{Class: Setup, Err: fmt.Errorf("smtp password: %w", err)}
		}
		a.secret = secret
	}
	dial := func(dctx context.Context, network, addr string) (net.Conn, error) {
		nd := &net.Dialer{KeepAlive: 30 * time.Second}
		raw, err := nd.DialContext(dctx, network, addr)
		if err != nil {
			return nil, err
		}
		a.mu.Lock()
		a.conns = append(a.conns, raw)
		a.stops = append(a.stops, context.AfterFunc(ctx, func() { raw.Close() }))
		a.mu.Unlock()
		// The first bytes tell a port and TLS mix-up within seconds,
		// instead of a greeting timeout or a bare TLS error.
		g := &tlsmix.Guard{Proto: "smtp", Port: s.port, Mode: s.opt.TLS, Config: s.tls.Clone(), Wait: s.greetWait,
			Redial: func(pctx context.Context) (net.Conn, error) { return nd.DialContext(pctx, network, addr) }}
		if s.opt.TLS == TLSImplicit {
			tc, err := g.Handshake(dctx, raw)
			if err != nil {
				return nil, err
			}
			return tc, nil
		}
		return g.Plain(dctx, raw)
	}
	opts := []gomail.Option{
		gomail.WithPort(s.port),
		gomail.WithTimeout(s.opt.Timeout),
		gomail.WithTLSConfig(s.tls.Clone()),
		gomail.WithDialContextFunc(dial),
	}
	switch s.opt.TLS {
	case TLSImplicit:
		// The dial func does the TLS; WithSSL keeps go-mail from STARTTLS.
		opts = append(opts, gomail.WithSSL())
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if s.opt.Username != "" {
		opts = append(opts, gomail.WithUsername(s.opt.Username), gomail.WithPassword(a.secret))
		switch s.opt.Auth {
		case AuthPlain:
			opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain))
		case AuthLogin:
			opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthLogin))
		case AuthXOAuth2:
			opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthXOAUTH2))
		default:
			opts = append(opts, gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthPlain, gomail.SMTPAuthLogin))
		}
	}
	c, err := gomail.NewClient(s.opt.Host, opts...)
	if err != nil {
		return nil, &Error{Class: Permanent, Err: fmt.Errorf("smtp client: %w", err)}
	}
	a.client = c
	return a, nil
}

// Check connects, negotiates TLS, authenticates and quits: what
// `leadup check --connect` needs to prove the SMTP settings work.
func (s *Sender) Check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.opt.Timeout)
	defer cancel()
	a, err := s.newAttempt(ctx)
	if err != nil {
		return err
	}
	defer a.release()
	c, err := a.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return s.failDial(a, err)
	}
	if err := a.client.CloseWithSMTPClient(c); err != nil {
		return s.fail(a, fmt.Errorf("quit %s:%d: %w", s.opt.Host, s.port, err))
	}
	return nil
}

// Send makes one attempt to deliver m. A nil error means the server
// accepted it. Otherwise the error is an *Error whose Class tells the outbox
// whether to retry (Temporary, Unknown) or record a failure (Permanent).
func (s *Sender) Send(ctx context.Context, m Message) error {
	msg, err := buildMsg(m)
	if err != nil {
		return &Error{Class: Permanent, Err: fmt.Errorf("build message: %w", err)}
	}
	ctx, cancel := context.WithTimeout(ctx, s.opt.Timeout)
	defer cancel()
	a, err := s.newAttempt(ctx)
	if err != nil {
		return err
	}
	defer a.release()

	log := s.log.With("message_id", m.MessageID, "kind", m.Kind, "server", s.opt.Host)
	c, err := a.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return s.failDial(a, err)
	}
	sendErr := a.client.SendWithSMTPClient(c, msg)
	closeErr := a.client.CloseWithSMTPClient(c)
	if msg.IsDelivered() {
		// The server accepted the message; a failed RSET or QUIT afterwards
		// does not change that.
		if err := errors.Join(sendErr, closeErr); err != nil {
			log.Debug("smtp session ended uncleanly after delivery", "err", s.redact(a, err))
		}
		log.Info("smtp delivered", "response", msg.ServerResponse())
		return nil
	}
	if sendErr == nil {
		sendErr = errors.New("message not delivered")
	}
	return s.fail(a, fmt.Errorf("send message %s: %w", m.MessageID, sendErr))
}

// failDial classifies a failure before any message was offered (greeting,
// EHLO, STARTTLS, AUTH): a refusal there is the setup's fault, never the
// message's.
func (s *Sender) failDial(a *attempt, err error) *Error {
	e := s.fail(a, fmt.Errorf("connect to %s:%d: %w", s.opt.Host, s.port, err))
	if e.Class == Permanent {
		e.Class = Setup
	}
	return e
}

// fail classifies err and strips the attempt's secret from it.
func (s *Sender) fail(a *attempt, err error) *Error {
	e := classify(err)
	e.Err = s.redact(a, e.Err)
	return e
}

// redact replaces any occurrence of the secret in err's text. The chain is
// kept when the secret is absent, which is the normal case.
func (s *Sender) redact(a *attempt, err error) error {
	if err == nil || a == nil || a.secret == "" || !strings.Contains(err.Error(), a.secret) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), a.secret, "[redacted]"))
}

// SendRetry sends m, retrying Temporary and Unknown failures with the same
// Message-ID, waiting b.Next() between attempts (b may be nil for a
// default 1s..5min backoff with jitter), up to maxAttempts attempts in all
// (values below 1 mean 1). It stops at once on a Permanent or Setup
// failure or when ctx is done; the returned error then still carries the
// last attempt's *Error (errors.As) and ctx.Err() (errors.Is). b is Reset
// on success. attempts is how many were made, for the outbox's count.
func (s *Sender) SendRetry(ctx context.Context, m Message, b *backoff.Backoff, maxAttempts int) (attempts int, err error) {
	if b == nil {
		b = &backoff.Backoff{Min: time.Second, Max: 5 * time.Minute, Jitter: 0.2, DelayFirst: true}
	}
	if maxAttempts < 1 {
		maxAttempts = 1
	}
	log := s.log.With("message_id", m.MessageID, "kind", m.Kind)
	for n := 1; ; n++ {
		err := s.Send(ctx, m)
		if err == nil {
			b.Reset()
			return n, nil
		}
		class := Classify(err)
		if ctxErr := ctx.Err(); ctxErr != nil {
			return n, fmt.Errorf("smtp send of %s stopped after %s: %w (last attempt: %w)", m.MessageID, Attempts(n), ctxErr, err)
		}
		if class == Permanent || class == Setup {
			log.Warn("smtp send failed; not retried", "attempt", n, "class", class.String(), "err", err)
			return n, err
		}
		if n >= maxAttempts {
			log.Warn("smtp send gave up", "attempts", n, "class", class.String(), "err", err)
			return n, fmt.Errorf("smtp send of %s gave up after %s: %w", m.MessageID, Attempts(n), err)
		}
		wait := b.Next()
		log.Info("smtp send will retry", "attempt", n, "class", class.String(), "wait", wait, "err", err)
		if err2 := backoff.Sleep(ctx, wait); err2 != nil {
			return n, fmt.Errorf("smtp send of %s stopped after %s: %w (last attempt: %w)", m.MessageID, Attempts(n), err2, err)
		}
	}
}

// Attempts says "no attempts", "1 attempt" or "n attempts".
func Attempts(n int) string {
	switch n {
	case 0:
		return "no attempts"
	case 1:
		return "1 attempt"
	}
	return fmt.Sprintf("%d attempts", n)
}
