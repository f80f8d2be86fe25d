// Package e2e is the test helper for leadup's end-to-end tests against real
// mail servers on loopback, started by `.ci/mailservers start`: Dovecot with
// Postfix, and mox (`mox localserve`), a second, independent implementation
// of IMAP and submission.
//
// The script writes the servers' coordinates to $LEADUP_E2E_DIR/env
// (default /tmp/leadup-e2e/env) for Dovecot and to the file its
// LEADUP_E2E_MOX_ENV names for mox, with the same keys; Env and Mox read
// them, and EachServer runs a test against both as subtests. Tests that need
// the servers skip when the file is missing, unless LEADUP_E2E=1 says the
// servers must be there (CI), in which case they fail and say how to start
// them.
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
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// DefaultDir is where .ci/mailservers keeps its state when LEADUP_E2E_DIR is
// unset.
const DefaultDir = "/tmp/leadup-e2e"

// Server names, as in LEADUP_E2E_SERVER and the subtests of EachServer.
const (
	Dovecot = "dovecot" // Dovecot for IMAP, Postfix for submission
	MoxName = "mox"     // mox localserve for both
)

// Servers describes one running server under test (Dovecot and Postfix, or
// mox): one field per key of the env file, plus the parsed CA. Mailbox
// helpers act on User; ForUser gives a copy acting on another account.
//
// On mox, IMAPHost and SMTPHost are "localhost", the one name in its
// self-signed certificate, which CAFile is; mail for an address without an
// account of its own (any but Boss) lands in User's INBOX, where mox calls
// it "Inbox"; the IMAP port offers STARTTLS but does not require it; and
// there is no LMTP port.
type Servers struct {
	Name             string // LEADUP_E2E_SERVER: Dovecot (the default) or MoxName
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
	LogFile          string // LEADUP_E2E_LOG: the delivery log, relative to Dir (default postfix/postfix.log)
	MoxEnv           string // LEADUP_E2E_MOX_ENV: in Dovecot's file, where mox's is
	MoxBin           string // LEADUP_E2E_MOX_BIN: the mox binary (mox only)
	MoxConfig        string // LEADUP_E2E_MOX_CONFIG: its mox.conf, for its control socket (mox only)

	// CAPool holds CAFile's certificate, for tls.Config.RootCAs.
	CAPool *x509.CertPool

	// OpTimeout bounds each helper's IMAP session: go-imap has no response
	// timeout, so a watchdog closes the connection after this long.
	OpTimeout time.Duration
	// PollInterval is how often WaitForMessage looks again.
	PollInterval time.Duration
}

// Env returns the Dovecot and Postfix started by .ci/mailservers. Without them
// the test is skipped, or failed when LEADUP_E2E=1 (CI must not silently
// skip).
func Env(t testing.TB) *Servers {
	t.Helper()
	dir := os.Getenv("LEADUP_E2E_DIR")
	if dir == "" {
		dir = DefaultDir
	}
	return load(t, filepath.Join(dir, "env"))
}

// Mox returns the mox localserve started by .ci/mailservers, skipping or
// failing the test like Env.
func Mox(t testing.TB) *Servers {
	t.Helper()
	dir := os.Getenv("LEADUP_E2E_DIR")
	if dir == "" {
		dir = DefaultDir
	}
	path := filepath.Join(dir, "mox", "env")
	if data, err := os.ReadFile(filepath.Join(dir, "env")); err == nil {
		if s, err := Parse(data); err == nil && s.MoxEnv != "" {
			path = s.MoxEnv
		}
	}
	s := load(t, path)
	if s.Name != MoxName {
		t.Fatalf("e2e: %s describes %q, want LEADUP_E2E_SERVER=%s", path, s.Name, MoxName)
	}
	return s
}

// EachServer runs fn as one subtest per server under test, named after it
// ("dovecot", "mox"): the core of the end-to-end suite runs against both.
// Each subtest skips or fails on its own when its server is not there.
func EachServer(t *testing.T, fn func(t *testing.T, s *Servers)) {
	t.Helper()
	t.Run(Dovecot, func(t *testing.T) { fn(t, Env(t)) })
	t.Run(MoxName, func(t *testing.T) { fn(t, Mox(t)) })
}

// load reads the env file at path and checks that its IMAPS port answers.
func load(t testing.TB, path string) *Servers {
	t.Helper()
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
		Name:             str("LEADUP_E2E_SERVER", false),
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
		LogFile:          str("LEADUP_E2E_LOG", false),
		MoxEnv:           str("LEADUP_E2E_MOX_ENV", false),
		MoxBin:           str("LEADUP_E2E_MOX_BIN", false),
		MoxConfig:        str("LEADUP_E2E_MOX_CONFIG", false),
		OpTimeout:        2 * time.Minute,
		PollInterval:     100 * time.Millisecond,
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("missing keys: %s", strings.Join(missing, ", "))
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("bad values: %s", strings.Join(bad, "; "))
	}
	switch s.Name {
	case "":
		s.Name = Dovecot
	case Dovecot:
	case MoxName:
		if s.MoxBin == "" || s.MoxConfig == "" {
			return nil, errors.New("LEADUP_E2E_SERVER=mox needs LEADUP_E2E_MOX_BIN and LEADUP_E2E_MOX_CONFIG")
		}
	default:
		return nil, fmt.Errorf("LEADUP_E2E_SERVER=%q: want %s or %s", s.Name, Dovecot, MoxName)
	}
	if s.LogFile == "" {
		s.LogFile = "postfix/postfix.log"
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

// IsMox reports whether s is mox rather than Dovecot and Postfix.
func (s *Servers) IsMox() bool { return s.Name == MoxName }

// SMTPAddr is host:port of the submission service (STARTTLS + AUTH).
func (s *Servers) SMTPAddr() string {
	return net.JoinHostPort(s.SMTPHost, strconv.Itoa(s.SMTPPort))
}

// SMTPPlainAddr is host:port of the SMTP service that needs neither TLS nor
// AUTH from loopback (Postfix's, or mox's port for incoming mail); empty when
// the env file has no such port.
func (s *Servers) SMTPPlainAddr() string {
	if s.SMTPPlainPort == 0 {
		return ""
	}
	return net.JoinHostPort(s.SMTPHost, strconv.Itoa(s.SMTPPlainPort))
}

// TLSConfig trusts only the throw-away CA (mox's own certificate) and checks
// the certificate against IMAPHost, also when the connection goes through a
// proxy on another address. A fresh config each call, so callers may change
// it.
func (s *Servers) TLSConfig() *tls.Config {
	return &tls.Config{RootCAs: s.CAPool, ServerName: s.IMAPHost, MinVersion: tls.VersionTLS12}
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
// it rather than the shared alex@ and jane@ accounts. Dovecot takes any
// address; on mox the two accounts are added to its domains.conf (as
// .ci/mailservers adds jane@, without a junk filter) and removed when the
// test ends.
func (s *Servers) Isolated(t testing.TB) *Servers {
	t.Helper()
	var suffix [4]byte
	if _, err := rand.Read(suffix[:]); err != nil {
		t.Fatalf("e2e: isolated accounts: %v", err)
	}
	tag := isolatedTag(t.Name(), suffix[:])
	domain := "example.com"
	if _, d, ok := strings.Cut(s.User, "@"); ok {
		domain = d
	}
	c := *s
	c.User = "u-" + tag + "@" + domain
	c.Boss = "boss-" + tag + "@" + domain
	c.BossPassword = s.Password
	if s.IsMox() {
		for _, addr := range []string{c.User, c.Boss} {
			s.moxAccount(t, addr)
		}
	}
	return &c
}

// moxAccountBlock is an account of domains.conf (sconf: tab-indented), as
// .ci/mailservers writes jane@'s: no junk filter, for localserve delivers
// submitted mail to itself over SMTP, where 127.0.0.1 fails mox's
// reverse-DNS check and an untrained filter then rejects everything.
const moxAccountBlock = "\t%[1]s:\n" +
	"\t\tDomain: localhost\n" +
	"\t\tDestinations:\n" +
	"\t\t\t%[2]s: nil\n" +
	"\t\tRejectsMailbox: Rejects\n" +
	"\t\tAutomaticJunkFlags:\n" +
	"\t\t\tEnabled: true\n" +
	"\t\t\tJunkMailboxRegexp: ^(junk|spam)\n" +
	"\t\t\tNeutralMailboxRegexp: ^(inbox|neutral|postmaster|dmarc|tlsrpt|rejects)\n" +
	"\t\tNoFirstTimeSenderDelay: true\n"

// moxAccount adds an account for addr (named by its local part) to the
// running mox, sets s.Password on it, and removes it when the test ends.
// mox rereads domains.conf when it changed, at most once a second, so
// setting the password is retried until mox knows the account.
func (s *Servers) moxAccount(t testing.TB, addr string) {
	t.Helper()
	name, _, _ := strings.Cut(addr, "@")
	path := filepath.Join(filepath.Dir(s.MoxConfig), "domains.conf")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("e2e: mox account %s: %v", addr, err)
	}
	const section = "\nAccounts:\n"
	i := bytes.Index(data, []byte(section))
	if i < 0 {
		t.Fatalf("e2e: mox account %s: no Accounts section in %s", addr, path)
	}
	i += len(section)
	edited := append(append(append([]byte{}, data[:i]...), fmt.Sprintf(moxAccountBlock, name, addr)...), data[i:]...)
	tmp := path + ".e2e"
	if err := os.WriteFile(tmp, edited, 0o660); err != nil {
		t.Fatalf("e2e: mox account %s: %v", addr, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatalf("e2e: mox account %s: %v", addr, err)
	}
	t.Cleanup(func() {
		if out, err := s.mox(s.Password, "config", "account", "rm", name); err != nil {
			t.Errorf("e2e: removing mox account %s: %v\n%s", name, err, out)
		}
	})
	// A bound against a hang, not a timing assertion.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		out, err := s.mox(s.Password+"\n", "setaccountpassword", name)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("e2e: mox setaccountpassword %s: %v\n%s", name, err, out)
		}
	}
}

// mox runs a mox command against the running localserve (over the control
// socket next to its config) with stdin, and returns its output.
func (s *Servers) mox(stdin string, args ...string) ([]byte, error) {
	cmd := exec.Command(s.MoxBin, append([]string{"-config", s.MoxConfig}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	return cmd.CombinedOutput()
}

// MoxQueueEmpty reports whether mox's queue holds no message: localserve
// delivers submitted mail through its queue back to itself, and a message
// leaves the queue once it is delivered (or failed for good), so mail
// submitted before is in its mailbox by then.
func (s *Servers) MoxQueueEmpty(t testing.TB) bool {
	t.Helper()
	out, err := s.mox("", "queue", "list")
	if err != nil {
		t.Fatalf("e2e: mox queue list: %v\n%s", err, out)
	}
	return strings.Contains(string(out), "(none)")
}

// PostfixLog returns the last 20 lines of the delivery log (Postfix's, or
// mox's: LogFile), for the failure message of a test whose mail did not
// arrive: the log says where a delivery stuck.
func (s *Servers) PostfixLog() string {
	return s.logTail(s.LogFile, 20)
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

// isolatedTag is the part of an isolated account's local part after "u-" or
// "boss-": the test's name, lower-cased and cut to 40 characters, and a
// random suffix. It ends in a letter: mox's localserve mode fails, on
// purpose, any recipient whose local part ends in three digits from 400 to
// 600 (or in "temperror", "permerror", "timeout"), and a bare hex suffix
// ends in such digits about one time in twenty.
func isolatedTag(testName string, suffix []byte) string {
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, strings.ToLower(testName))
	if len(name) > 40 {
		name = name[:40]
	}
	return name + "-" + hex.EncodeToString(suffix) + "x"
}
