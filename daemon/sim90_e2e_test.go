//go:build e2e

package daemon

import (
	"bytes"
	"context"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/leadup/leadup/daemon/clock"
	"github.com/leadup/leadup/daemon/config"
	"github.com/leadup/leadup/daemon/e2e"
	"github.com/leadup/leadup/daemon/internal/golden"
)

// sim90E2EConfig is the simulation's config against real servers: implicit
// TLS for IMAP, STARTTLS submission, both trusting only the throw-away CA,
// the password from a file; the stakeholders and calendar of the scenario.
var sim90E2EConfig = template.Must(template.New("sim90").Parse(`# leadup 90-day simulation, e2e
me: {name: "Alex Doe", email: {{.User}}}
timezone: Europe/Berlin
{{.Calendar}}imap: {host: {{.Host}}, port: {{.IMAPPort}}, tls: implicit, ca_file: {{.CA}}, username: {{.User}}, password_file: {{.PasswordFile}}}
smtp: {host: {{.SMTPHost}}, port: {{.SMTPPort}}, tls: starttls, ca_file: {{.CA}}, username: {{.User}}, password_file: {{.PasswordFile}}}
projects:
  - {name: Apollo, label: "Status/Apollo"}
  - {name: Zephyr, label: "Status/Zephyr"}
  - {name: Atlas, label: "Status/Atlas"}
stakeholders:
  - {name: "Dana Whitfield", email: dana@example.com, role: boss, cadence: 5 workdays, max: 8 workdays, style: detailed}
  - {name: "Raj Patel", email: raj@example.com, role: peer, cadence: 4 weeks}
{{.Sam}}
reminders: {at: "09:30", repeat_after: 2 workdays}
digest: {schedule: "Fri 15:00", draft_for: boss, lookback: 7 days}
state: {{.State}}
`))

// e2eSim is the simulation against real servers, on accounts of its own.
type e2eSim struct {
	s     *e2e.Servers
	clock *clock.Fake
	a     *App
	// got holds the leadup mail read from the INBOX so far, by Message-ID.
	got map[string][]byte
}

func newE2ESim(t *testing.T, shared *e2e.Servers) *e2eSim {
	t.Helper()
	s := shared.Isolated(t)
	s.Session(t, "create the labels", func(c *imapclient.Client) error {
		for _, f := range simFolders {
			if f == "INBOX" || f == "Sent" || f == "Drafts" {
				continue
			}
			if err := c.Create(f, nil).Wait(); err != nil {
				return fmt.Errorf("create %s: %w", f, err)
			}
		}
		return nil
	})
	dir := t.TempDir()
	pw := filepath.Join(dir, "password")
	if err := os.WriteFile(pw, []byte(s.Password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := sim90E2EConfig.Execute(&b, map[string]any{
		"User": s.User, "Calendar": simCalendarYAML, "Sam": simSamYAML,
		"Host": s.IMAPHost, "IMAPPort": s.IMAPSPort, "SMTPHost": s.SMTPHost, "SMTPPort": s.SMTPPort,
		"CA": s.CAFile, "PasswordFile": pw, "State": filepath.Join(dir, "state.db"),
	}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	clk := clock.NewFake(simStart)
	a, err := Open(context.Background(), cfg, testLogger(t), clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	tun := DefaultTunables()
	tun.SendBackoff.Min, tun.SendBackoff.Max = 10*time.Millisecond, 100*time.Millisecond
	tun.IMAPBackoff.Min, tun.IMAPBackoff.Max = 10*time.Millisecond, 100*time.Millisecond
	a.SetTunables(tun)
	return &e2eSim{s: s, clock: clk, a: a, got: map[string][]byte{}}
}

func (w *e2eSim) appendMsg(t *testing.T, folder string, raw []byte, at time.Time) {
	t.Helper()
	w.s.Append(t, folder, raw, []imap.Flag{imap.FlagSeen}, at)
}

func (w *e2eSim) cycle(t *testing.T, now time.Time) CycleReport {
	t.Helper()
	if d := now.Sub(w.clock.Now()); d > 0 {
		w.clock.Advance(d)
	}
	rep, err := w.a.RunOnce(context.Background())
	if err != nil {
		t.Fatalf("cycle at %s: %v", now, err)
	}
	return rep
}

// delivered waits for the mail in wait to arrive in the INBOX through
// Postfix (or mox), then returns every mail leadup sent that is there. It
// reads the whole INBOX each time, in a ReadSession: mox now and then drops
// a session while it delivers.
func (w *e2eSim) delivered(t *testing.T, wait []string) [][]byte {
	t.Helper()
	missing := func() []string {
		var out []string
		for _, id := range wait {
			if _, ok := w.got["<"+id+">"]; !ok {
				out = append(out, id)
			}
		}
		return out
	}
	// A bound against a hang, not a timing assertion.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(w.s.PollInterval) {
		w.readInbox(t)
		if m := missing(); len(m) == 0 {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("%v not in the INBOX after a minute\n%s log:\n%s", m, w.s.Name, w.s.PostfixLog())
		}
	}
	var out [][]byte
	for _, raw := range w.got {
		out = append(out, raw)
	}
	return out
}

// readInbox adds the leadup mail in the INBOX to w.got.
func (w *e2eSim) readInbox(t *testing.T) {
	t.Helper()
	w.s.ReadSession(t, "read leadup's mail", func(c *imapclient.Client) error {
		sel, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait()
		if err != nil || sel.NumMessages == 0 {
			return err
		}
		all := imap.SeqSet{}
		all.AddRange(1, 0)
		whole := &imap.FetchItemBodySection{Peek: true}
		msgs, err := c.Fetch(all, &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{whole}}).Collect()
		if err != nil {
			return err
		}
		for _, m := range msgs {
			raw := m.FindBodySection(whole)
			if h, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil && h.Header.Get("X-Leadup") != "" {
				w.got[h.Header.Get("Message-Id")] = raw
			}
		}
		return c.Unselect().Wait()
	})
}

// settle waits until mail handed to Postfix has been delivered: a marker
// submitted after it arrives after it (one queue, one LMTP destination);
// on mox, until its queue is empty.
func (w *e2eSim) settle(t *testing.T) {
	t.Helper()
	if w.s.IsMox() {
		for deadline := time.Now().Add(time.Minute); !w.s.MoxQueueEmpty(t); time.Sleep(w.s.PollInterval) {
			if time.Now().After(deadline) { // a bound against a hang, not a timing assertion
				t.Fatalf("mox's queue still holds mail after a minute\n%s", w.s.PostfixLog())
			}
		}
		return
	}
	id := fmt.Sprintf("sim90-barrier-%d@e2e.example.com", time.Now().UnixNano())
	raw := strings.ReplaceAll(fmt.Sprintf("From: e2e <%s>\nTo: %s\nSubject: barrier\nMessage-ID: <%s>\nDate: %s\n\nbarrier\n",
		w.s.User, w.s.User, id, time.Now().Format(time.RFC1123Z)), "\n", "\r\n")
	w.s.Submit(t, w.s.User, []string{w.s.User}, []byte(raw))
	w.s.WaitForMessage(t, "INBOX", "Message-ID", id, time.Minute)
}

func (w *e2eSim) drafts(t *testing.T) int {
	t.Helper()
	n := 0
	w.s.ReadSession(t, "count drafts", func(c *imapclient.Client) error {
		sel, err := c.Select("Drafts", &imap.SelectOptions{ReadOnly: true}).Wait()
		if err != nil {
			return err
		}
		n = int(sel.NumMessages)
		return c.Unselect().Wait()
	})
	return n
}

func (w *e2eSim) app() *App { return w.a }

// TestE2ESim90 is TestSim90 against Dovecot and Postfix: the same scenario
// and checks, with cycles at every hour from 08:00 to 18:00 (the reminder
// goes out at 10:00 and the digest at 15:00 either way; mail of the night is
// read at 08:00), so the day-by-day log is the same golden file. It does
// not run against mox: mox refuses more than 300 connections a minute from
// one address ("connection rate from your ip or network too high"), and
// its 990 cycles, each a connection, would need over three minutes paced.
//
//	flock /tmp/leadup-e2e-run.lock env LEADUP_E2E=1 go test -tags e2e -count=1 -p 1 -run TestE2ESim90 ./daemon/
func TestE2ESim90(t *testing.T) {
	w := newE2ESim(t, e2e.Env(t))
	start := time.Now()
	run := runSim90(t, w, func(now time.Time) bool { return now.Hour() >= 8 && now.Hour() <= 18 }, "08:00-18:00")
	t.Logf("%d cycles (%s) in %v", len(run.cycles), run.hours, time.Since(start).Round(time.Second))
	log := checkSim90(t, run)
	t.Logf("%d mails delivered\n%s", len(run.mails), log)
	if golden.Updating() {
		t.Fatal("TestSim90 writes testdata/sim90.txt; this test only compares with it")
	}
	golden.Check(t, "sim90.txt", log)
}
