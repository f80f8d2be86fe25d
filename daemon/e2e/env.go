// Package e2e is the test helper for leadup's end-to-end tests against a real
// Dovecot and Postfix on loopback, started by `.ci/mailservers start`.
//
// The script writes the servers' coordinates to $LEADUP_E2E_DIR/env
// (default /tmp/leadup-e2e/env); Env reads them. Tests that need the servers
// skip when the file is missing, unless LEADUP_E2E=1 says the servers must be
// there (CI), in which case they fail and say how to start them.
//
// Every helper that takes a testing.TB reports failures with t.Fatal, so the
// tests that use them stay short. Helpers open their own short-lived IMAP
// connections, guarded by a watchdog, and never change a mailbox they were not
// asked to change.
//
// It is not under daemon/internal so that cmd/leadup's end-to-end tests, which
// run the built binary against the same servers, can use it too.
package e2e

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// DefaultDir is where .ci/mailservers keeps its state when LEADUP_E2E_DIR is
// unset.
const DefaultDir = "/tmp/leadup-e2e"

// Servers describes the running Dovecot and Postfix: one field per key of the
// env file, plus the parsed CA. Mailbox helpers act on User; ForUser gives a
// copy acting on another account.
type Servers struct {
	Dir              string // LEADUP_E2E_DIR: the script's work dir (logs live below it)
	IMAPHost         string // LEADUP_E2E_IMAP_HOST
	IMAPSPort        int    // LEADUP_E2E_IMAPS_PORT: implicit TLS
	IMAPStartTLSPort int    // LEADUP_E2E_IMAP_STARTTLS_PORT: plain, STARTTLS required before login
	SMTPHost         string // LEADUP_E2E_SMTP_HOST (defaults to IMAPHost)
	SMTPPort         int    // LEADUP_E2E_SMTP_PORT: submission, STARTTLS + AUTH required
	SMTPPlainPort    int    // LEADUP_E2E_SMTP_PLAIN_PORT: no TLS or AUTH needed (0 if absent)
	LMTPPort         int    // LEADUP_E2E_LMTP_PORT: Dovecot LMTP (0 if absent)
	CAFile           string // LEADUP_E2E_CA: PEM of the throw-away CA
	User             string // LEADUP_E2E_USER: the leadup user, alex@example.com
	Password         string // LEADUP_E2E_PASSWORD
	Boss             string // LEADUP_E2E_BOSS: jane@example.com
	BossPassword     string // LEADUP_E2E_BOSS_PASSWORD (defaults to Password)

	// CAPool holds CAFile's certificate, for tls.Config.RootCAs.
	CAPool *x509.CertPool

	// OpTimeout bounds each helper's IMAP session: go-imap has no response
	// timeout, so a watchdog closes the connection after this long.
	OpTimeout time.Duration
	// PollInterval is how often WaitForMessage looks again.
	PollInterval time.Duration
}

// Env returns the servers started by .ci/mailservers. Without them the test is
// skipped, or failed when LEADUP_E2E=1 (CI must not silently skip).
func Env(t testing.TB) *Servers {
	t.Helper()
	dir := os.Getenv("LEADUP_E2E_DIR")
	if dir == "" {
		dir = DefaultDir
	}
	path := filepath.Join(dir, "env")
	unavailable := func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, args...) + "; run `.ci/mailservers start` (as root) first"
		if os.Getenv("LEADUP_E2E") == "1" {
			t.Fatal("e2e servers required (LEADUP_E2E=1): " + msg)
		}
		t.Skip("e2e servers not available: " + msg)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		unavailable("cannot read %s: %v", path, err)
		return nil
	}
	s, err := Parse(data)
	if err != nil {
		t.Fatalf("e2e: %s: %v", path, err)
	}
	conn, err := net.DialTimeout("tcp", s.IMAPSAddr(), 5*time.Second)
	if err != nil {
		unavailable("%s exists but IMAPS at %s does not answer: %v", path, s.IMAPSAddr(), err)
		return nil
	}
	_ = conn.Close()
	return s
}

// Parse reads the KEY=value lines of an env file written by .ci/mailservers and
// loads the CA it names.
func Parse(data []byte) (*Servers, error) {
	kv := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("line %d: want KEY=value, got %q", n, line)
		}
		kv[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"'`)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read env: %w", err)
	}

	var missing []string
	str := func(key string, required bool) string {
		v := kv[key]
		if v == "" && required {
			missing = append(missing, key)
		}
		return v
	}
	var bad []string
	port := func(key string, required bool) int {
		v := str(key, required)
		if v == "" {
			return 0
		}
		p, err := strconv.Atoi(v)
		if err != nil || p <= 0 || p > 65535 {
			bad = append(bad, fmt.Sprintf("%s=%q is not a port", key, v))
		}
		return p
	}
	s := &Servers{
		Dir:              str("LEADUP_E2E_DIR", true),
		IMAPHost:         str("LEADUP_E2E_IMAP_HOST", true),
		IMAPSPort:        port("LEADUP_E2E_IMAPS_PORT", true),
		IMAPStartTLSPort: port("LEADUP_E2E_IMAP_STARTTLS_PORT", true),
		SMTPHost:         str("LEADUP_E2E_SMTP_HOST", false),
		SMTPPort:         port("LEADUP_E2E_SMTP_PORT", true),
		SMTPPlainPort:    port("LEADUP_E2E_SMTP_PLAIN_PORT", false),
		LMTPPort:         port("LEADUP_E2E_LMTP_PORT", false),
		CAFile:           str("LEADUP_E2E_CA", true),
		User:             str("LEADUP_E2E_USER", true),
		Password:         str("LEADUP_E2E_PASSWORD", true),
		Boss:             str("LEADUP_E2E_BOSS", true),
		BossPassword:     str("LEADUP_E2E_BOSS_PASSWORD", false),
		OpTimeout:        2 * time.Minute,
		PollInterval:     100 * time.Millisecond,
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("missing keys: %s", strings.Join(missing, ", "))
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("bad values: %s", strings.Join(bad, "; "))
	}
	if s.SMTPHost == "" {
		s.SMTPHost = s.IMAPHost
	}
	if s.BossPassword == "" {
		s.BossPassword = s.Password
	}
	pem, err := os.ReadFile(s.CAFile)
	if err != nil {
		return nil, fmt.Errorf("read CA: %w", err)
	}
	s.CAPool = x509.NewCertPool()
	if !s.CAPool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("no certificate in CA file %s", s.CAFile)
	}
	return s, nil
}

// IMAPSAddr is host:port of the implicit-TLS IMAP listener.
func (s *Servers) IMAPSAddr() string {
	return net.JoinHostPort(s.IMAPHost, strconv.Itoa(s.IMAPSPort))
}

// IMAPStartTLSAddr is host:port of the IMAP listener that needs STARTTLS.
func (s *Servers) IMAPStartTLSAddr() string {
	return net.JoinHostPort(s.IMAPHost, strconv.Itoa(s.IMAPStartTLSPort))
}

// SMTPAddr is host:port of Postfix's submission service (STARTTLS + AUTH).
func (s *Servers) SMTPAddr() string {
	return net.JoinHostPort(s.SMTPHost, strconv.Itoa(s.SMTPPort))
}

// SMTPPlainAddr is host:port of Postfix's SMTP service that needs neither TLS
// nor AUTH from loopback; empty when the env file has no such port.
func (s *Servers) SMTPPlainAddr() string {
	if s.SMTPPlainPort == 0 {
		return ""
	}
	return net.JoinHostPort(s.SMTPHost, strconv.Itoa(s.SMTPPlainPort))
}

// TLSConfig trusts only the throw-away CA. A fresh config each call, so callers
// may change it.
func (s *Servers) TLSConfig() *tls.Config {
	return &tls.Config{RootCAs: s.CAPool, MinVersion: tls.VersionTLS12}
}

// ForUser returns a copy of s whose helpers act on user (with the boss's
// password for the boss, the shared one otherwise).
func (s *Servers) ForUser(user string) *Servers {
	c := *s
	c.User = user
	if user == s.Boss {
		c.Password = s.BossPassword
	}
	return &c
}

// Isolated returns a copy of s whose User and Boss are accounts of this test
// alone (fresh, empty, Sent/Drafts/Junk/Trash auto-created, same password).
// Packages' tests run at the same time, so tests that change mail should use
// it rather than the shared alex@ and jane@ accounts.
func (s *Servers) Isolated(t testing.TB) *Servers {
	t.Helper()
	var suffix [4]byte
	if _, err := rand.Read(suffix[:]); err != nil {
		t.Fatalf("e2e: isolated accounts: %v", err)
	}
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, strings.ToLower(t.Name()))
	if len(name) > 40 {
		name = name[:40]
	}
	tag := name + "-" + hex.EncodeToString(suffix[:])
	domain := "example.com"
	if _, d, ok := strings.Cut(s.User, "@"); ok {
		domain = d
	}
	c := *s
	c.User = "u-" + tag + "@" + domain
	c.Boss = "boss-" + tag + "@" + domain
	c.BossPassword = s.Password
	return &c
}

// PostfixLog returns the last 20 lines of Postfix's log, for the failure
// message of a test whose mail did not arrive: the log says where a delivery
// stuck.
func (s *Servers) PostfixLog() string {
	return s.logTail("postfix/postfix.log", 20)
}

// logTail returns the last n lines of a log below Dir, for failure messages.
func (s *Servers) logTail(rel string, n int) string {
	data, err := os.ReadFile(filepath.Join(s.Dir, rel))
	if err != nil {
		return fmt.Sprintf("(no %s: %v)", rel, err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
