//go:build e2e

// End-to-end tests of the port and TLS mix-ups against the real Dovecot and
// Postfix, and mox: each is found within seconds and named with the one-line fix,
// by `check --connect` and by `run --once`, instead of a 60 s greeting
// timeout or "tls: first record does not look like a TLS handshake".
// Postfix here has no port with TLS at once (no submissions on 465), so
// Dovecot's IMAPS port stands in for one on the SMTP side: what the client
// sees before any greeting is the same.
package main

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/demo"
	"github.com/leadup/leadup/daemon/e2e"
)

// tlsMixup is one wrong pair of port and TLS mode.
type tlsMixup struct {
	name     string
	opts     func(f *fixture) configOpts
	old, new string // the config edit that sets the wrong mode
	fix      func(f *fixture) string
	imapOK   bool // the IMAP side is right (so check --connect logs in there)
}

var tlsMixups = []tlsMixup{
	{
		name: "imap starttls on the IMAPS port",
		opts: func(f *fixture) configOpts { return configOpts{} },
		old:  "  tls: implicit\n", new: "  tls: starttls\n",
		fix: func(f *fixture) string {
			return "port " + strconv.Itoa(f.s.IMAPSPort) + " speaks TLS at once: set imap.tls: implicit"
		},
	},
	{
		name: "imap implicit on the STARTTLS port",
		opts: func(f *fixture) configOpts { return configOpts{imapPort: f.s.IMAPStartTLSPort} },
		fix: func(f *fixture) string {
			return "port " + strconv.Itoa(f.s.IMAPStartTLSPort) + " starts in plain text (TLS comes after STARTTLS): set imap.tls: starttls"
		},
	},
	{
		name: "smtp starttls on a TLS port",
		opts: func(f *fixture) configOpts { return configOpts{smtpPort: f.s.IMAPSPort} },
		fix: func(f *fixture) string {
			return "port " + strconv.Itoa(f.s.IMAPSPort) + " speaks TLS at once: set smtp.tls: implicit"
		},
		imapOK: true,
	},
	{
		name: "smtp implicit on the submission port",
		opts: func(f *fixture) configOpts { return configOpts{} },
		old:  "  tls: starttls\n", new: "  tls: implicit\n",
		fix: func(f *fixture) string {
			return "port " + strconv.Itoa(f.s.SMTPPort) + " starts in plain text (TLS comes after STARTTLS): set smtp.tls: starttls"
		},
		imapOK: true,
	},
}

// config writes the fixture's config with the mix-up.
func (m tlsMixup) config(f *fixture) string {
	f.t.Helper()
	path := f.writeConfig("mixup.yaml", m.opts(f))
	if m.old == "" {
		return path
	}
	b, err := os.ReadFile(path)
	if err != nil {
		f.t.Fatal(err)
	}
	if strings.Count(string(b), m.old) != 1 {
		f.t.Fatalf("test bug: %q is not once in the config", m.old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), m.old, m.new, 1)), 0o600); err != nil {
		f.t.Fatal(err)
	}
	return path
}

// noTimeout fails when the run hit a timeout rather than the mix-up.
func noTimeout(t *testing.T, r result) {
	t.Helper()
	if strings.Contains(r.stderr, "i/o timeout") || strings.Contains(r.stderr, "timed out") ||
		strings.Contains(r.stderr, "first record does not look like") && !strings.Contains(r.stderr, "set ") {
		t.Errorf("the mix-up came out as a timeout or a bare TLS error\n%s", r)
	}
}

// `check --connect` names the fix in one line and still shows what worked.
func TestE2ETLSMixupCheckConnect(t *testing.T) { e2e.EachServer(t, e2eTLSMixupCheckConnect) }

func e2eTLSMixupCheckConnect(t *testing.T, s *e2e.Servers) {
	f := newFixtureOn(t, s)
	f.seed(demo.Mailbox(demo.Now)) // the project folders, so the mix-up is the only error
	for _, m := range tlsMixups {
		t.Run(m.name, func(t *testing.T) {
			f.t = t
			r := f.runWith(m.config(f), "check", "--connect")
			fix := m.fix(f)
			if r.code != 1 || !strings.Contains(r.stderr, fix) {
				t.Fatalf("want exit 1 naming the fix %q\n%s", fix, r)
			}
			noTimeout(t, r)
			if n := strings.Count(strings.TrimSpace(r.stderr), "\n"); n != 0 {
				t.Errorf("want the one line with the fix, got %d more\n%s", n, r)
			}
			if loggedIn := strings.Contains(r.stdout, "imap "+f.s.IMAPHost); loggedIn != m.imapOK {
				t.Errorf("IMAP logged in: %v, want %v\n%s", loggedIn, m.imapOK, r)
			}
			if smtpIn := strings.Contains(r.stdout, "smtp "+f.s.SMTPHost); smtpIn != !m.imapOK {
				t.Errorf("SMTP logged in: %v, want %v\n%s", smtpIn, !m.imapOK, r)
			}
		})
	}
}

// `run --once` fails at once, naming the fix, without retrying the
// IMAP connection until the cycle's deadline (five minutes, which would
// outlast the harness's two); an SMTP mix-up leaves the day's mail
// pending with the fix in status.
func TestE2ETLSMixupRunOnce(t *testing.T) { e2e.EachServer(t, e2eTLSMixupRunOnce) }

func e2eTLSMixupRunOnce(t *testing.T, s *e2e.Servers) {
	f := newFixtureOn(t, s)
	f.seed(demo.Mailbox(demo.Now))
	for _, m := range tlsMixups {
		t.Run(m.name, func(t *testing.T) {
			f.t = t
			r := f.runWith(m.config(f), "run", "--once", "--now", rfc(demo.Now))
			fix := m.fix(f)
			if r.code != 1 || !strings.Contains(r.stderr, fix) {
				t.Fatalf("want exit 1 naming the fix %q\n%s", fix, r)
			}
			noTimeout(t, r)
			if !m.imapOK {
				return
			}
			st := f.status(demo.Now.Add(time.Minute))
			if len(st.Pending) == 0 || len(st.Failed) != 0 {
				t.Fatalf("after an SMTP mix-up: pending %+v, failed %+v; want the day's mail pending", st.Pending, st.Failed)
			}
			for _, p := range st.Pending {
				if p.Kind != "draft" && !strings.Contains(p.Error, fix) {
					t.Errorf("pending %s says %q; want the fix %q", p.Kind, p.Error, fix)
				}
			}
		})
	}
	// Fixed: the same mail goes out, once.
	f.t = t
	f.runOnce(demo.Now.Add(30 * time.Minute))
	f.waitForMail("reminder", 1, time.Minute)
	f.barrier()
	if n := len(f.leadupMail("reminder")); n != 1 {
		t.Errorf("after the fix: %d reminders, want 1", n)
	}
}
