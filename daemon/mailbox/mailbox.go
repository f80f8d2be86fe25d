// Package mailbox is leadup's eyes: it connects to the user's IMAP server,
// finds the Sent, Drafts and project folders, and reads new mail into the
// store incrementally, without ever changing the mailbox.
//
// The read-only promise is structural: folders are opened with EXAMINE,
// bodies are fetched with BODY.PEEK, and the package issues no STORE,
// EXPUNGE, COPY or MOVE. The one write is APPEND of a draft (AppendDraft),
// which the daemon calls only when the user asked for drafts.
//
// go-imap v2 has no timeouts on commands, so every command here runs under
// a watchdog that closes the connection when the server goes silent; Sync
// then redials with backoff and resumes from the stored cursor.
package mailbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"syscall"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/leadup/leadup/daemon/backoff"
)

// Defaults for the zero values of Options.
const (
	DefaultCommandTimeout = time.Minute
	DefaultMaxText        = 64 << 10
	DefaultBatch          = 200
	DefaultFetchWindow    = 10000
	DefaultRetries        = 5
	DefaultIdleRestart    = 10 * time.Minute
	DefaultMaxHeader      = 256 << 10
)

// TLS modes.
const (
	TLSImplicit = "implicit"
	TLSStartTLS = "starttls"
	TLSNone     = "none"
)

// Authentication mechanisms.
const (
	AuthPassword    = "password"
	AuthXOAuth2     = "xoauth2"
	AuthOAuthBearer = "oauthbearer"
)

// Options say how to reach and log in to the IMAP server. Secrets are not
// fields: Secret is asked for on every dial, so a rotated OAuth token or a
// changed password file is picked up without a restart, and an Options
// value can be logged without leaking anything.
type Options struct {
	Host string
	Port int
	// TLS is "implicit" (default), "starttls" or "none"; "none" is refused
	// unless Host is loopback, so a password never crosses a network in clear.
	TLS string
	// CAFile is a PEM bundle added to the system roots (a private CA).
	// Certificate verification is always on.
	CAFile   string
	Username string
	// Auth is "" or "password" (LOGIN), "xoauth2" or "oauthbearer".
	Auth string
	// Secret returns the password or OAuth access token. It is called on
	// every dial and its result is never logged.
	Secret func(ctx context.Context) (string, error)

	// CommandTimeout bounds each IMAP command, and for a FETCH the silence
	// between two messages. On expiry the connection is closed.
	CommandTimeout time.Duration
	// Logger receives what the sync did and why it skipped anything.
	Logger *slog.Logger
	// Debug, when set, receives the IMAP transcript, with the login
	// exchange left out. The daemon sets it only at debug level.
	Debug io.Writer

	// MaxText is how many bytes of a message's text are fetched
	// (BODY.PEEK[TEXT]<0.MaxText>); DefaultMaxText when zero.
	MaxText int
	// MaxHeader bounds the header fields kept per message; DefaultMaxHeader
	// when zero. A longer header is cut, not rejected.
	MaxHeader int
	// Batch is how many messages are stored per transaction, so a crash
	// resumes from the last batch; DefaultBatch when zero.
	Batch int
	// FetchWindow is how many messages one FETCH command asks for at most;
	// DefaultFetchWindow when zero. Windows keep the server's work and
	// memory per command bounded on folders of hundreds of thousands of
	// messages, and a cut costs at most one window's command.
	FetchWindow int
	// Retries is how many times in a row Sync redials without making
	// progress before it gives up; DefaultRetries when zero.
	Retries int
	// Backoff spaces the redials; tests shrink it. The zero value waits
	// backoff.DefaultMin, doubling to backoff.DefaultMax.
	Backoff backoff.Backoff
	// IdleRestart is how often Idle re-issues IDLE, below NAT and provider
	// timeouts; DefaultIdleRestart when zero.
	IdleRestart time.Duration
	// KeepAlive is the TCP keep-alive period; 30 s when zero.
	KeepAlive time.Duration
}

// CommandTimeoutOrDefault is the command timeout these options give.
func (o Options) CommandTimeoutOrDefault() time.Duration { return o.withDefaults().CommandTimeout }

func (o Options) withDefaults() Options {
	if o.TLS == "" {
		o.TLS = TLSImplicit
	}
	if o.CommandTimeout <= 0 {
		o.CommandTimeout = DefaultCommandTimeout
	}
	if o.MaxText <= 0 {
		o.MaxText = DefaultMaxText
	}
	if o.MaxHeader <= 0 {
		o.MaxHeader = DefaultMaxHeader
	}
	if o.Batch <= 0 {
		o.Batch = DefaultBatch
	}
	if o.FetchWindow <= 0 {
		o.FetchWindow = DefaultFetchWindow
	}
	if o.Retries <= 0 {
		o.Retries = DefaultRetries
	}
	if o.IdleRestart <= 0 {
		o.IdleRestart = DefaultIdleRestart
	}
	if o.KeepAlive <= 0 {
		o.KeepAlive = 30 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Folder is one folder to sync and what its mail means to leadup.
type Folder struct {
	Name    string
	Kind    string // store.KindSent, store.KindInbox or store.KindProject
	Project string // the project's name, for store.KindProject
}

// Found is what Discover found on the server.
type Found struct {
	All    []string // every folder, in the server's order
	Sent   string   // "" when none could be identified
	Drafts string   // "" when none could be identified
}

// Stats says what a Sync did, for logs and benchmarks.
type Stats struct {
	Folders    int // folders examined
	Fetched    int // messages received from the server
	Stored     int // messages newly stored (duplicates by Message-ID are not)
	Skipped    int // messages that could not be read, or broke the connection
	Filtered   int // Inbox messages KeepInbox did not want
	Resets     int // folders resynced because their UIDVALIDITY changed
	Redials    int // reconnections after a dropped connection
	RoundTrips int // IMAP commands issued, including the login of each dial
}

// ErrTimeout is wrapped by the error of a command the server did not
// answer within Options.CommandTimeout.
var ErrTimeout = errors.New("imap command timed out")

// ErrInsecure is returned by Dial for TLS "none" to a host that is not
// loopback.
var ErrInsecure = errors.New("refusing an unencrypted IMAP connection to a host that is not loopback")

// Retryable reports whether err, from Dial, Discover or Sync, is a broken
// connection that a later attempt may get past (a timeout, a reset, a
// server that went away), rather than a refusal or a setting to fix (the
// login was refused, a certificate is not trusted, a folder is missing).
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	var ie *imap.Error
	var be *brokenError
	var ne net.Error
	var cv *tls.CertificateVerificationError
	var rh tls.RecordHeaderError
	switch {
	case errors.As(err, &ie), errors.As(err, &cv), errors.As(err, &rh), errors.Is(err, ErrInsecure),
		errors.Is(err, context.Canceled):
		return false
	case errors.As(err, &be), errors.Is(err, ErrTimeout), errors.Is(err, errClosed), errors.Is(err, io.EOF),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EPIPE), errors.As(err, &ne):
		return true
	}
	return false
}

func (o Options) addr() string {
	port := o.Port
	if port == 0 {
		switch o.TLS {
		case TLSImplicit, "":
			port = 993
		default:
			port = 143
		}
	}
	return joinHostPort(o.Host, port)
}

func (o Options) String() string {
	return fmt.Sprintf("%s@%s (%s)", o.Username, o.addr(), o.TLS)
}
