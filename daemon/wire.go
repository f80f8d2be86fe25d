package daemon

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/mail"
	"strings"
	"time"

	"github.com/leadup/leadup/daemon/backoff"
	"github.com/leadup/leadup/daemon/mailbox"
	"github.com/leadup/leadup/daemon/mailer"
)

// Tunables are the delays and limits tests shrink.
type Tunables struct {
	SendAttempts int             // SMTP attempts per cycle for one mail
	SendBackoff  backoff.Backoff // between SMTP attempts
	IMAPBackoff  backoff.Backoff // between IMAP redials
	IMAPTimeout  time.Duration   // per IMAP command; 0 = the mailbox default
	SMTPTimeout  time.Duration   // per SMTP attempt; 0 = the mailer default
	// DeliveryGrace is how long after a mail was planned a resumed row is
	// looked for in the mailbox before it is sent again: the server may
	// have queued it just before leadup was stopped.
	DeliveryGrace time.Duration
	DeliveryPoll  time.Duration // between looks within DeliveryGrace
}

// DefaultTunables are used by Open.
func DefaultTunables() Tunables {
	return Tunables{
		SendAttempts: 4,
		SendBackoff:  backoff.Backoff{Min: 2 * time.Second, Max: time.Minute, Jitter: 0.2},
		IMAPBackoff:  backoff.Backoff{Min: time.Second, Max: 2 * time.Minute, Jitter: 0.2},
		// Postfix, Gmail and Microsoft 365 deliver a mail to its own
		// sender's Inbox within seconds of taking it.
		DeliveryGrace: 20 * time.Second,
		DeliveryPoll:  2 * time.Second,
	}
}

// idPrefix starts every Message-ID leadup makes: replies to its mail are
// found by their In-Reply-To.
const idPrefix = "leadup."

// newMessageID returns a fresh Message-ID (without angle brackets) on the
// user's own domain.
func (a *App) newMessageID(kind string) string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	domain := "leadup.invalid"
	if _, d, ok := strings.Cut(a.cfg.Me.Email, "@"); ok {
		domain = d
	}
	return idPrefix + kind + "." + hex.EncodeToString(b[:]) + "@" + domain
}

func (a *App) mailboxOptions() mailbox.Options {
	c := a.cfg.IMAP
	o := mailbox.Options{
		Host: c.Host, Port: c.Port, TLS: c.TLS, CAFile: c.CAFile, Username: c.Username,
		Auth: c.Auth, Secret: c.Secret.Resolve, Logger: a.log.With("part", "imap"),
		Backoff: a.tun.IMAPBackoff, CommandTimeout: a.tun.IMAPTimeout,
	}
	if c.Timeout > 0 {
		o.CommandTimeout = c.Timeout
	}
	if a.log.Enabled(context.Background(), slog.LevelDebug-4) {
		o.Debug = debugWriter{a.log}
	}
	return o
}

// debugWriter passes the IMAP transcript (without the login) to the log at
// a level below debug, so it appears only when asked for explicitly.
type debugWriter struct{ log *slog.Logger }

func (w debugWriter) Write(p []byte) (int, error) {
	w.log.Debug("imap", "line", strings.TrimRight(string(p), "\r\n"))
	return len(p), nil
}

func (a *App) sender() (*mailer.Sender, error) {
	c := a.cfg.SMTP
	auth := mailer.AuthDefault
	if c.Auth == "xoauth2" {
		auth = mailer.AuthXOAuth2
	}
	timeout := a.tun.SMTPTimeout
	if c.Timeout > 0 {
		timeout = c.Timeout
	}
	return mailer.New(mailer.Options{
		Host: c.Host, Port: c.Port, TLS: c.TLS, CAFile: c.CAFile, Username: c.Username,
		Password: c.Secret.Resolve, Auth: auth, Timeout: timeout, Logger: a.log.With("part", "smtp"),
	})
}

// isMe reports whether addr is the user's.
func (a *App) isMe(addr string) bool {
	addr = strings.ToLower(addr)
	for _, m := range a.cfg.Me.Addresses() {
		if addr == m {
			return true
		}
	}
	return false
}

// addressOf returns the address of "Name <addr>" or of a bare address.
func addressOf(s string) string {
	if a, err := mail.ParseAddress(s); err == nil {
		return a.Address
	}
	return strings.TrimSpace(s)
}
