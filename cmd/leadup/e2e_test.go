//go:build e2e

// End-to-end tests of the leadup binary against the real Dovecot and Postfix
// that `.ci/mailservers start` runs on loopback, and the core of them (sync
// and status, check --connect, the week of reminders, the digest and its
// draft, IDLE, SIGTERM) also against mox, as subtests "dovecot" and "mox":
//
//	.ci/mailservers start && LEADUP_E2E=1 go test -race -tags e2e -run E2E ./cmd/leadup/ -v
//
// TestMain builds the binary with `go build` (with -race when the tests are
// built with it); every test runs it as a subprocess, the way a user or
// systemd would, with a config that reads the IMAP and SMTP password from a
// 0600 password_file. Mail leadup sends goes through Postfix's submission port
// (STARTTLS + AUTH) and arrives in the user's Dovecot INBOX over LMTP; the
// tests read it from there. The servers' coordinates and the mailbox
// helpers (reset, flags, submit, short IMAP sessions) are daemon/e2e's.
//
// Every test starts by resetting alex@example.com's mailbox, so the tests
// here never run in parallel, and they must not run at the same time as
// other packages' tests that use the same account. On mox the user is
// alex@localhost (mox checks a sender's domain in DNS, and exempts only
// localhost), so there the config's me.email is that address, with the demo's
// alex@example.com among the aliases; every other address is the demo's.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"text/template"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	_ "github.com/emersion/go-message/charset" // decode the windows-1252 and ISO-8859 parts of the demo mail
	gomail "github.com/emersion/go-message/mail"

	"github.com/leadup/leadup/daemon/demo"
	"github.com/leadup/leadup/daemon/e2e"
	"github.com/leadup/leadup/daemon/store"
)

// The binaries TestMain built: leadupBin with -race when this test binary
// has it (races in the daemon then show in its stderr, which every run
// checks), leadupFastBin never. A race-enabled leadup needs over a second
// to start, so the simulated week, which runs leadup 168 times, uses the
// fast one.
var leadupBin, leadupFastBin string

// TestMain builds leadup with `go build` and removes it afterwards.
func TestMain(m *testing.M) { os.Exit(testMain(m)) }

func testMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "leadup-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	leadupBin, leadupFastBin = filepath.Join(dir, "leadup"), filepath.Join(dir, "leadup-fast")
	builds := [][]string{{"build", "-o", leadupFastBin, "."}}
	if raceEnabled() {
		builds = append(builds, []string{"build", "-race", "-o", leadupBin, "."})
	} else {
		leadupBin = leadupFastBin
	}
	for _, args := range builds {
		if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: go %s: %v\n%s", strings.Join(args, " "), err, out)
			return 1
		}
	}
	return m.Run()
}

// raceEnabled reports whether this test binary was built with -race.
func raceEnabled() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" && s.Value == "true" {
			return true
		}
	}
	return false
}

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	return loc
}()

// at is a Berlin wall-clock time in November 2026.
func at(day, hh, mm int) time.Time { return time.Date(2026, time.November, day, hh, mm, 0, 0, berlin) }

func rfc(t time.Time) string { return t.Format(time.RFC3339) }

// configText is the demo's configuration (daemon/demorun.go) pointed at the
// real servers: implicit TLS for IMAP, STARTTLS for submission, both trusting
// only the throw-away CA, passwords from files.
var configText = template.Must(template.New("config").Parse(`# leadup e2e
me: {name: "Alex Doe", email: {{.UserEmail}}, aliases: [{{.UserAliases}}]}
timezone: Europe/Berlin
imap:
  host: {{.Host}}
  port: {{.IMAPPort}}
  tls: implicit
  ca_file: {{.CA}}
  username: {{.User}}
  password_file: {{.PasswordFile}}
{{- with .IMAPTimeout}}
  timeout: {{.}}
{{- end}}
smtp:
  host: {{.SMTPHost}}
  port: {{.SMTPPort}}
  tls: starttls
  ca_file: {{.CA}}
  username: {{.User}}
  password_file: {{.SMTPPasswordFile}}
{{- with .SMTPTimeout}}
  timeout: {{.}}
{{- end}}
projects:
{{- range .Projects}}
  - {name: {{.Name}}, label: "{{.Label}}"}
{{- end}}
stakeholders:
  - {name: "{{.BossName}}", email: {{.BossEmail}}, role: boss, cadence: 5 workdays, max: 8 workdays, style: detailed}
  - {name: "{{.PeerName}}", email: {{.PeerEmail}}, role: peer, cadence: 4 weeks}
reminders: {at: "09:30", repeat_after: {{.RepeatAfter}}}
digest: {schedule: "Fri 15:00", draft_for: boss, lookback: 7 days}
poll: {{.Poll}}
state: {{.State}}
`))

// fixture is one test's leadup: a config, a state dir and the servers.
type fixture struct {
	t       *testing.T
	s       *e2e.Servers
	me      string   // me.email: the demo user, or mox's alex@localhost
	aliases []string // me.aliases
	dir     string
	config  string
	home    string
	bin     string // leadupBin, or leadupFastBin for many runs
}

// newFixture resets the user's Dovecot mailbox and writes the demo config.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureOn(t, e2e.Env(t))
}

// newFixtureOn is newFixture on the servers s (Dovecot or mox).
func newFixtureOn(t *testing.T, s *e2e.Servers) *fixture {
	t.Helper()
	me, aliases := demo.UserEmail, []string{demo.UserAlias}
	if s.IsMox() {
		me, aliases = s.User, []string{demo.UserEmail, demo.UserAlias}
	}
	if s.User != me {
		t.Fatalf("the e2e user is %s; these tests need the demo user %s", s.User, me)
	}
	s.Reset(t, s.User)
	f := &fixture{t: t, s: s, me: me, aliases: aliases, dir: t.TempDir()}
	f.home = filepath.Join(f.dir, "home")
	if err := os.MkdirAll(f.home, 0o700); err != nil {
		t.Fatal(err)
	}
	f.bin = leadupBin
	f.config = f.writeConfig("config.yaml", configOpts{})
	return f
}

// configOpts are what a test may change in the demo config.
type configOpts struct {
	password     string // default the user's
	smtpPassword string // default password
	smtpPort     int    // default Postfix's submission port
	imapPort     int    // default Dovecot's IMAPS port (a proxy's, say)
	imapTimeout  string // imap.timeout; default none (leadup's 60s)
	smtpTimeout  string // smtp.timeout; default none
	repeatAfter  string // default "2 workdays", as in the demo
	poll         string // default "1 minute"
}

// writeConfig writes a config named name, sharing the fixture's state
// database, and returns its path.
func (f *fixture) writeConfig(name string, o configOpts) string {
	f.t.Helper()
	if o.password == "" {
		o.password = f.s.Password
	}
	if o.smtpPort == 0 {
		o.smtpPort = f.s.SMTPPort
	}
	if o.repeatAfter == "" {
		o.repeatAfter = "2 workdays"
	}
	if o.poll == "" {
		o.poll = "1 minute"
	}
	if o.smtpPassword == "" {
		o.smtpPassword = o.password
	}
	if o.imapPort == 0 {
		o.imapPort = f.s.IMAPSPort
	}
	pwFile := filepath.Join(f.dir, name+".password")
	if err := os.WriteFile(pwFile, []byte(o.password+"\n"), 0o600); err != nil {
		f.t.Fatal(err)
	}
	smtpPwFile := filepath.Join(f.dir, name+".smtp-password")
	if err := os.WriteFile(smtpPwFile, []byte(o.smtpPassword+"\n"), 0o600); err != nil {
		f.t.Fatal(err)
	}
	var b bytes.Buffer
	err := configText.Execute(&b, map[string]any{
		"UserEmail": f.me, "UserAliases": strings.Join(f.aliases, ", "),
		"Host": f.s.IMAPHost, "IMAPPort": o.imapPort, "SMTPHost": f.s.SMTPHost, "SMTPPort": o.smtpPort, "RepeatAfter": o.repeatAfter,
		"CA": f.s.CAFile, "User": f.s.User, "PasswordFile": pwFile, "SMTPPasswordFile": smtpPwFile, "Projects": demo.Projects,
		"IMAPTimeout": o.imapTimeout, "SMTPTimeout": o.smtpTimeout, "Poll": o.poll,
		"BossName": demo.BossName, "BossEmail": demo.BossEmail, "PeerName": demo.PeerName, "PeerEmail": demo.PeerEmail,
		"State": filepath.Join(f.dir, "state.db"),
	})
	if err != nil {
		f.t.Fatal(err)
	}
	path := filepath.Join(f.dir, name)
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		f.t.Fatal(err)
	}
	return path
}

// result is one leadup run.
type result struct {
	args           []string
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("leadup %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(r.args, " "), r.code, r.stdout, r.stderr)
}

// command prepares leadup with args, the fixture's config and an
// environment without the caller's leadup settings or secrets.
func (f *fixture) command(ctx context.Context, config string, args ...string) *exec.Cmd {
	args = append([]string{"--config", config}, args...)
	cmd := exec.CommandContext(ctx, f.bin, args...)
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "LEADUP_"), k == "CREDENTIALS_DIRECTORY", k == "HOME", strings.HasPrefix(k, "XDG_"):
			continue
		}
		env = append(env, kv)
	}
	cmd.Env = append(env, "HOME="+f.home, "XDG_STATE_HOME="+filepath.Join(f.home, "state"), "XDG_CONFIG_HOME="+filepath.Join(f.home, "config"))
	return cmd
}

// run runs leadup with the fixture's config and args, to completion.
func (f *fixture) run(args ...string) result {
	f.t.Helper()
	return f.runWith(f.config, args...)
}

func (f *fixture) runWith(config string, args ...string) result {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := f.command(ctx, config, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{args: args, stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		f.t.Fatalf("leadup %s: %v", strings.Join(args, " "), err)
	}
	if ctx.Err() != nil {
		f.t.Fatalf("leadup %s did not finish within 2 minutes\n%s", strings.Join(args, " "), r)
	}
	if strings.Contains(r.stderr, "WARNING: DATA RACE") || strings.Contains(r.stderr, "panic") {
		f.t.Errorf("leadup %s: race or panic\n%s", strings.Join(args, " "), r)
	}
	return r
}

// mustRun runs leadup and fails the test unless it exits 0.
func (f *fixture) mustRun(args ...string) result {
	f.t.Helper()
	r := f.run(args...)
	if r.code != 0 {
		f.t.Fatalf("%s", r)
	}
	return r
}

// cycle is the "cycle" log line of a `run --once` (--log-format json).
type cycle struct {
	Msg      string `json:"msg"`
	Fetched  int    `json:"fetched"`
	Stored   int    `json:"stored"`
	Skipped  int    `json:"skipped"`
	Updates  int    `json:"updates"`
	Reminder string `json:"reminder"`
	Digest   string `json:"digest"`
	Draft    string `json:"draft"`
	Errors   int    `json:"errors"`
}

// runOnce runs one cycle at now and returns what its log says it did.
func (f *fixture) runOnce(now time.Time) cycle {
	f.t.Helper()
	return f.runOnceWith(f.config, now)
}

// runOnceWith is runOnce with another config.
func (f *fixture) runOnceWith(config string, now time.Time) cycle {
	f.t.Helper()
	r := f.runWith(config, "run", "--once", "--log-format", "json", "--now", rfc(now))
	if r.code != 0 {
		f.t.Fatalf("%s", r)
	}
	var got []cycle
	sc := bufio.NewScanner(strings.NewReader(r.stderr))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var c cycle
		if json.Unmarshal(sc.Bytes(), &c) == nil && c.Msg == "cycle" {
			got = append(got, c)
		}
	}
	if len(got) != 1 {
		f.t.Fatalf("want one cycle log line, got %d\n%s", len(got), r)
	}
	return got[0]
}

// status runs `leadup status --json` at now.
func (f *fixture) status(now time.Time) statusJSON {
	f.t.Helper()
	r := f.mustRun("status", "--json", "--now", rfc(now))
	var st statusJSON
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		f.t.Fatalf("status --json: %v\n%s", err, r)
	}
	return st
}

// stakeholderJSON is one stakeholder of `leadup status --json`.
type stakeholderJSON struct {
	Name       string     `json:"name"`
	Email      string     `json:"email"`
	Role       string     `json:"role"`
	LastUpdate *time.Time `json:"last_update"`
	DaysSince  *int       `json:"days_since"`
	Cadence    string     `json:"cadence"`
	NextDue    *time.Time `json:"next_due"`
	Overdue    bool       `json:"overdue"`
	OpenAsks   int        `json:"open_asks"`
	Level      string     `json:"level"`
}

// stakeholder returns the stakeholder with email, or fails.
func (st statusJSON) stakeholder(t *testing.T, email string) stakeholderJSON {
	t.Helper()
	for _, s := range st.Stakeholders {
		if s.Email == email {
			return s
		}
	}
	t.Fatalf("status has no stakeholder %s: %+v", email, st.Stakeholders)
	return stakeholderJSON{}
}

// outboxJSON is mail status lists as pending or failed.
type outboxJSON struct {
	Kind  string `json:"kind"`
	Key   string `json:"key"`
	Error string `json:"error"`
}

// statusJSON is the contract of `leadup status --json` in DESIGN.md.
type statusJSON struct {
	Now          time.Time         `json:"now"`
	Stakeholders []stakeholderJSON `json:"stakeholders"`
	Projects     []struct {
		Name       string     `json:"name"`
		Label      string     `json:"label"`
		Messages   int        `json:"messages"`
		LastStatus *time.Time `json:"last_status"`
		Health     string     `json:"health"`
	} `json:"projects"`
	Failed  []outboxJSON `json:"failed"`
	Pending []outboxJSON `json:"pending"`
}

// seed appends msgs to the user's mailbox over one connection, creating
// folders as needed, with their internal dates and flags.
func (f *fixture) seed(msgs []demo.Seeded) {
	f.t.Helper()
	f.s.Session(f.t, "seed", func(c *imapclient.Client) error {
		made := map[string]bool{"INBOX": true, "Sent": true, "Drafts": true}
		for _, m := range msgs {
			if !made[m.Folder] {
				if err := c.Create(m.Folder, nil).Wait(); err != nil {
					return fmt.Errorf("create %s: %w", m.Folder, err)
				}
				made[m.Folder] = true
			}
			flags := []imap.Flag{}
			for _, fl := range m.Flags {
				flags = append(flags, imap.Flag(fl))
			}
			if _, err := e2e.AppendRaw(c, m.Folder, m.Raw, &imap.AppendOptions{Flags: flags, Time: m.Date}); err != nil {
				return fmt.Errorf("append to %s: %w", m.Folder, err)
			}
		}
		return nil
	})
}

// folders lists every selectable folder of the user.
func (f *fixture) folders() []string {
	f.t.Helper()
	var out []string
	f.s.Session(f.t, "list folders", func(c *imapclient.Client) error {
		list, err := c.List("", "*", nil).Collect()
		if err != nil {
			return err
		}
		for _, mb := range list {
			if !slices.Contains(mb.Attrs, imap.MailboxAttrNoSelect) && !slices.Contains(mb.Attrs, imap.MailboxAttrNonExistent) {
				out = append(out, mb.Mailbox)
			}
		}
		return nil
	})
	slices.Sort(out)
	return out
}

// allFlags snapshots the flags of every message in every folder.
func (f *fixture) allFlags() map[string]map[imap.UID][]imap.Flag {
	f.t.Helper()
	out := map[string]map[imap.UID][]imap.Flag{}
	for _, name := range f.folders() {
		out[name] = f.s.Flags(f.t, name)
	}
	return out
}

// mailMsg is a message read back from the mailbox.
type mailMsg struct {
	UID       imap.UID
	Flags     []imap.Flag
	Raw       []byte
	Header    mail.Header
	Date      time.Time
	MessageID string
	Subject   string
	To        string
	Text      string // the decoded text/plain part
	HTML      string // the decoded text/html part
}

// fetch reads every message of folder (read-only, PEEK) whose header name
// contains value; name "" reads them all.
func (f *fixture) fetch(folder, name, value string) []mailMsg {
	f.t.Helper()
	whole := &imap.FetchItemBodySection{Peek: true}
	var msgs []*imapclient.FetchMessageBuffer
	f.s.ReadSession(f.t, "fetch from "+folder, func(c *imapclient.Client) error {
		sel, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
		if err != nil {
			return fmt.Errorf("examine %s: %w", folder, err)
		}
		if sel.NumMessages == 0 {
			return nil
		}
		crit := &imap.SearchCriteria{}
		if name != "" {
			crit.Header = []imap.SearchCriteriaHeaderField{{Key: name, Value: value}}
		}
		found, err := c.UIDSearch(crit, nil).Wait()
		if err != nil {
			return fmt.Errorf("search %s: %w", folder, err)
		}
		uids := found.AllUIDs()
		if len(uids) == 0 {
			return nil
		}
		msgs, err = c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, Flags: true, BodySection: []*imap.FetchItemBodySection{whole}}).Collect()
		if err != nil {
			return fmt.Errorf("fetch %s: %w", folder, err)
		}
		return nil
	})
	var out []mailMsg
	for _, m := range msgs {
		raw := m.FindBodySection(whole)
		mm := mailMsg{UID: m.UID, Flags: m.Flags, Raw: raw}
		pm, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			f.t.Fatalf("%s UID %d: %v", folder, m.UID, err)
		}
		mm.Header = pm.Header
		mm.Date, _ = pm.Header.Date()
		mm.MessageID = pm.Header.Get("Message-ID")
		mm.To = pm.Header.Get("To")
		mm.Subject, mm.Text, mm.HTML = decode(f.t, raw)
		out = append(out, mm)
	}
	slices.SortFunc(out, func(a, b mailMsg) int { return a.Date.Compare(b.Date) })
	return out
}

// decode returns the decoded subject and the first text/plain and
// text/html parts of raw.
func decode(t *testing.T, raw []byte) (subject, text, html string) {
	t.Helper()
	mr, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read mail: %v", err)
	}
	subject, _ = mr.Header.Subject()
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("read part: %v", err)
		}
		h, ok := p.Header.(*gomail.InlineHeader)
		if !ok {
			continue
		}
		ct, _, _ := h.ContentType()
		if (ct == "text/plain" && text == "") || (ct == "text/html" && html == "") {
			b, err := io.ReadAll(p.Body)
			if err != nil {
				t.Fatalf("read %s part: %v", ct, err)
			}
			if ct == "text/plain" {
				text = strings.ReplaceAll(string(b), "\r\n", "\n")
			} else {
				html = string(b)
			}
		}
	}
	return subject, text, html
}

// leadupMail reads the mail of kind ("reminder", "digest"; "": any) that
// arrived in the INBOX, oldest first.
func (f *fixture) leadupMail(kind string) []mailMsg {
	f.t.Helper()
	var out []mailMsg
	for _, m := range f.fetch("INBOX", "X-Leadup", kind) {
		if v := strings.TrimSpace(m.Header.Get("X-Leadup")); (kind == "" && v != "") || strings.EqualFold(v, kind) {
			out = append(out, m)
		}
	}
	return out
}

// waitForMail polls the INBOX until n mails of kind are there.
func (f *fixture) waitForMail(kind string, n int, timeout time.Duration) []mailMsg {
	f.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got := f.leadupMail(kind)
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("%d %s mails arrived within %v, want %d\n%s log:\n%s", len(got), kind, timeout, n, f.s.Name, f.s.PostfixLog())
		}
		time.Sleep(f.s.PollInterval)
	}
}

// barrier submits a marker mail through Postfix and waits until it is in
// the INBOX: mail leadup handed to Postfix before it has been delivered by
// then too (one queue, one LMTP destination), so counting afterwards does
// not race the delivery. mox's queue delivers each message on its own, so
// there it waits until the queue is empty: a message leaves it once it is in
// the mailbox.
func (f *fixture) barrier() {
	f.t.Helper()
	if f.s.IsMox() {
		// A bound against a hang, not a timing assertion.
		for deadline := time.Now().Add(time.Minute); !f.s.MoxQueueEmpty(f.t); time.Sleep(f.s.PollInterval) {
			if time.Now().After(deadline) {
				f.t.Fatalf("mox's queue still holds mail after a minute\nmox log:\n%s", f.s.PostfixLog())
			}
		}
		return
	}
	id := fmt.Sprintf("barrier-%d@e2e.example.com", time.Now().UnixNano())
	raw := strings.ReplaceAll(fmt.Sprintf("From: e2e <%s>\nTo: %s\nSubject: barrier\nMessage-ID: <%s>\nDate: %s\n\nbarrier\n",
		f.s.User, f.s.User, id, time.Now().Format(time.RFC1123Z)), "\n", "\r\n")
	f.s.Submit(f.t, f.s.User, []string{f.s.User}, []byte(raw))
	f.s.WaitForMessage(f.t, "INBOX", "Message-ID", id, time.Minute)
}

// addrs returns the lower-case addresses in the header fields.
func addrs(h mail.Header, fields ...string) []string {
	var out []string
	for _, k := range fields {
		list, err := h.AddressList(k)
		if err != nil {
			continue
		}
		for _, a := range list {
			out = append(out, strings.ToLower(a.Address))
		}
	}
	return out
}

func header(raw []byte) mail.Header {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return mail.Header{}
	}
	return m.Header
}

// calendarDays counts the local calendar days from a to b.
func calendarDays(a, b time.Time) int {
	ya, ma, da := a.In(berlin).Date()
	yb, mb, db := b.In(berlin).Date()
	return int(time.Date(yb, mb, db, 0, 0, 0, 0, time.UTC).Sub(time.Date(ya, ma, da, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

// TestE2EMailboxDoneWhen: against Dovecot and mox with the demo mailbox, `run --once`
// then `status --json` give each stakeholder's true last update and each
// project's message count, and no flag in any folder changed.
func TestE2EMailboxDoneWhen(t *testing.T) { e2e.EachServer(t, e2eMailboxDoneWhen) }

func e2eMailboxDoneWhen(t *testing.T, s *e2e.Servers) {
	f := newFixtureOn(t, s)
	seeded := demo.Mailbox(demo.Now)
	f.seed(seeded)
	before := f.allFlags()

	// Friday 08:00: before the 09:30 reminder slot and the 15:00 digest
	// slot, so the cycle only reads.
	now := at(20, 8, 0)
	cyc := f.runOnce(now)
	if cyc.Errors != 0 || cyc.Fetched == 0 {
		t.Errorf("cycle: %+v", cyc)
	}
	if cyc.Reminder != "" || cyc.Digest != "" || cyc.Draft != "" {
		t.Errorf("before the reminder slot the cycle sent something: %+v", cyc)
	}
	st := f.status(now)

	// The expected last update: the newest Sent message from the user or
	// the alias with the stakeholder in To, Cc or Bcc.
	me := []string{demo.UserEmail, demo.UserAlias}
	wantLast := map[string]time.Time{}
	for _, m := range seeded {
		if m.Folder != "Sent" {
			continue
		}
		h := header(m.Raw)
		if from := addrs(h, "From"); len(from) != 1 || !slices.Contains(me, from[0]) {
			continue
		}
		for _, to := range addrs(h, "To", "Cc", "Bcc") {
			if d, _ := h.Date(); d.After(wantLast[to]) {
				wantLast[to] = d
			}
		}
	}
	if len(st.Stakeholders) != 2 {
		t.Fatalf("stakeholders: %+v", st.Stakeholders)
	}
	for _, s := range st.Stakeholders {
		want, ok := wantLast[s.Email]
		switch {
		case !ok:
			t.Errorf("%s: no Sent mail to them in the demo (test bug)", s.Email)
		case s.LastUpdate == nil:
			t.Errorf("%s: last_update null, want %s", s.Name, want)
		case !s.LastUpdate.Equal(want):
			t.Errorf("%s: last_update %s, want %s", s.Name, s.LastUpdate, want)
		}
		if want := calendarDays(want, now); s.DaysSince == nil || *s.DaysSince != want {
			t.Errorf("%s: days_since %v, want %d", s.Name, s.DaysSince, want)
		}
	}
	if d := st.stakeholder(t, demo.BossEmail); !d.Overdue || d.OpenAsks != 1 || d.Level != "red" {
		t.Errorf("Dana: want red, overdue, 1 open ask: %+v", d)
	}
	if r := st.stakeholder(t, demo.PeerEmail); r.Overdue || r.OpenAsks != 1 {
		t.Errorf("Raj: want not overdue, 1 open ask: %+v", r)
	}

	// Per project: every seeded message in its label, human or automated,
	// counted once per Message-ID.
	wantCount := map[string]int{}
	ids := map[string]map[string]bool{}
	for _, m := range seeded {
		if ids[m.Folder] == nil {
			ids[m.Folder] = map[string]bool{}
		}
		id := header(m.Raw).Get("Message-ID")
		if !ids[m.Folder][id] {
			ids[m.Folder][id] = true
			wantCount[m.Folder]++
		}
	}
	wantHealth := map[string]string{"Apollo": "red", "Zephyr": "green", "Atlas": "unknown"}
	if len(st.Projects) != len(demo.Projects) {
		t.Errorf("projects: %+v", st.Projects)
	}
	for _, p := range st.Projects {
		if p.Messages != wantCount[p.Label] {
			t.Errorf("%s (%s): %d messages, want %d", p.Name, p.Label, p.Messages, wantCount[p.Label])
		}
		if p.Health != wantHealth[p.Name] {
			t.Errorf("%s: health %q, want %q", p.Name, p.Health, wantHealth[p.Name])
		}
	}

	if after := f.allFlags(); !reflect.DeepEqual(before, after) {
		t.Errorf("flags changed by run --once and status:\nbefore %v\nafter  %v", before, after)
	}
	if got := f.leadupMail(""); len(got) != 0 {
		t.Errorf("leadup mail in the INBOX after a read-only cycle: %d", len(got))
	}
}

// TestE2ECheckConnect: `check --connect` logs in to Dovecot and Postfix (and mox) and
// names the Sent and Drafts folders; with a wrong password it fails, and
// neither password appears in anything it prints, even at the most verbose
// log level (which includes the IMAP transcript); nor does `status`.
func TestE2ECheckConnect(t *testing.T) { e2e.EachServer(t, e2eCheckConnect) }

func e2eCheckConnect(t *testing.T, s *e2e.Servers) {
	f := newFixtureOn(t, s)
	f.seed(demo.Mailbox(demo.Now)) // the project labels must exist
	r := f.run("check", "--connect", "--log-level", "DEBUG-4")
	if r.code != 0 {
		t.Fatalf("%s", r)
	}
	for _, want := range []string{"imap " + f.s.IMAPHost, "smtp " + f.s.SMTPHost, "sent:    Sent", "drafts:  Drafts"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("check --connect output lacks %q\n%s", want, r)
		}
	}
	noSecret(t, r, f.s.Password, f.s.User)
	for _, args := range [][]string{{"status"}, {"status", "--json"}} {
		noSecret(t, f.mustRun(args...), f.s.Password, f.s.User)
	}

	wrong := "Wr0ng-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	bad := f.writeConfig("wrong.yaml", configOpts{password: wrong})
	r = f.runWith(bad, "check", "--connect", "--log-level", "DEBUG-4")
	if r.code == 0 {
		t.Errorf("check --connect with a wrong password exited 0\n%s", r)
	}
	if !strings.Contains(strings.ToLower(r.stdout+r.stderr), "auth") && !strings.Contains(strings.ToLower(r.stdout+r.stderr), "login") {
		t.Errorf("the failure does not say that the login failed\n%s", r)
	}
	noSecret(t, r, wrong, f.s.User)
	noSecret(t, r, f.s.Password, f.s.User)
}

// noSecret fails if the password shows in r's output, plainly or as the
// base64 of a SASL PLAIN or LOGIN exchange.
func noSecret(t *testing.T, r result, password, user string) {
	t.Helper()
	out := r.stdout + r.stderr
	for _, form := range []string{
		password,
		base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + password)),
		base64.StdEncoding.EncodeToString([]byte(user + "\x00" + user + "\x00" + password)),
		base64.StdEncoding.EncodeToString([]byte(password)),
	} {
		if strings.Contains(out, form) {
			t.Errorf("the password appears (as %q) in the output of leadup %s", form, strings.Join(r.args, " "))
		}
	}
}

// entries splits a reminder's text into its numbered entries, keyed by the
// stakeholder's name ("1. Dana Whitfield (boss): ..." -> "Dana Whitfield").
func entries(text string) map[string]string {
	out := map[string]string{}
	var name string
	var b strings.Builder
	flush := func() {
		if name != "" {
			out[name] = b.String()
		}
		b.Reset()
	}
	for _, line := range strings.Split(text, "\n") {
		if n, rest, ok := strings.Cut(line, ". "); ok && n != "" && strings.Trim(n, "0123456789") == "" {
			flush()
			name, _, _ = strings.Cut(rest, " (")
			name, _, _ = strings.Cut(name, ":")
		} else if line == "--" {
			flush()
			name = ""
		}
		if name != "" {
			b.WriteString(line + "\n")
		}
	}
	flush()
	return out
}

// TestE2EWeekOfReminders steps --now hourly through a whole week (168 runs
// of `run --once`, Mon 16 Nov 00:00 to Sun 22 Nov 23:00) over the demo
// mailbox, shifted so that its "now" is Monday 00:00, and reads the
// reminders that arrived in the INBOX (Dovecot's through Postfix and LMTP,
// or mox's through its queue).
//
// The scenario, chosen so that every absence is decidable:
//   - The demo config, but repeat_after is 1 workday: while someone is still
//     due they are reminded every workday, so a stakeholder missing from a
//     workday's reminder was silenced, not merely waiting for a repeat.
//   - Dana (boss, 5 workdays, max 8) last got mail Wed 4 Nov 19:05: amber
//     since Wed 11 Nov, red from Mon 16 Nov 19:05; her "Any update on
//     Apollo?" of Sat 14 Nov is open. She is in Mon's, Tue's and Wed's
//     reminders (the first run after the 09:30 slot is 10:00).
//   - Raj (peer, 4 weeks) is not overdue, but his mail of Fri 13 Nov 10:05
//     has waited more than a workday since Mon 10:05, after Monday's slot:
//     he is in Tue's and Wed's reminders for that ask.
//   - Wed 10:45 (before the 11:00 run) the user writes to Dana (a Sent
//     message): her cadence restarts (next due Wed 25 Nov) and her ask is
//     answered, so Thursday's reminder has Raj alone, and no "heard it
//     first" (the bad news of Sun 15 Nov predates the update).
//   - Thu 11:30 `leadup checkin "Raj Patel"`: Friday, which would repeat
//     Raj's entry, has no reminder at all. Sat and Sun never have one.
func TestE2EWeekOfReminders(t *testing.T) { e2e.EachServer(t, e2eWeekOfReminders) }

func e2eWeekOfReminders(t *testing.T, s *e2e.Servers) {
	f := newFixtureOn(t, s)
	f.bin = leadupFastBin
	f.config = f.writeConfig("week.yaml", configOpts{repeatAfter: "1 workday"})
	start := at(16, 0, 0)
	seeded := demo.Mailbox(start)
	f.seed(seeded)

	updateAt := at(18, 10, 45)
	checkinAt := at(19, 11, 30)
	update := strings.ReplaceAll(fmt.Sprintf(`Message-ID: <e2e-update-to-dana@mail.example.com>
Date: %s
From: Alex Doe <alex@example.com>
To: Dana Whitfield <dana@example.com>
Subject: Apollo: where we are
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

Hi Dana,

Apollo is blocked on Paylane's sandbox keys; procurement promised an answer
by Monday. If they arrive then, the 1 December cutover holds.

Alex
`, updateAt.Format(time.RFC1123Z)), "\n", "\r\n")

	sentOn := map[string][]time.Time{} // reminder key -> the runs that sent it
	steps := 0
	for h := 0; h < 7*24; h++ {
		now := start.Add(time.Duration(h) * time.Hour)
		if now.Equal(updateAt.Truncate(time.Hour).Add(time.Hour)) {
			f.seed([]demo.Seeded{{Folder: "Sent", Raw: []byte(update), Date: updateAt, Flags: []string{`\Seen`}}})
		}
		c := f.runOnce(now)
		steps++
		if c.Errors != 0 {
			t.Errorf("%s: cycle with errors: %+v", now.Format("Mon 15:04"), c)
		}
		if c.Reminder != "" {
			sentOn[c.Reminder] = append(sentOn[c.Reminder], now)
		}
		switch {
		case now.Equal(updateAt.Truncate(time.Hour).Add(time.Hour)):
			// Dana's update is read: no longer overdue, her ask answered,
			// next due only after the simulated week.
			d := f.status(now).stakeholder(t, demo.BossEmail)
			if d.LastUpdate == nil || !d.LastUpdate.Equal(updateAt) || d.Overdue || d.OpenAsks != 0 ||
				d.NextDue == nil || !d.NextDue.After(start.AddDate(0, 0, 7)) {
				t.Errorf("Dana after the update in Sent at %s: %+v", updateAt, d)
			}
		case now.Equal(checkinAt.Truncate(time.Hour)):
			r := f.mustRun("checkin", "Raj Patel", "--note", "1:1 on the platform review numbers", "--now", rfc(checkinAt))
			if !strings.Contains(r.stdout, "Raj Patel") {
				t.Errorf("checkin output:\n%s", r)
			}
			if raj := f.status(checkinAt).stakeholder(t, demo.PeerEmail); raj.LastUpdate == nil || !raj.LastUpdate.Equal(checkinAt) || raj.OpenAsks != 0 || raj.Overdue {
				t.Errorf("Raj after the checkin at %s: %+v", checkinAt, raj)
			}
		}
	}
	t.Logf("stepped --now hourly: %d runs of leadup run --once", steps)

	// The cycles: one reminder key per day, each sent by exactly one run,
	// the first at or after the 09:30 slot.
	wantDays := []int{16, 17, 18, 19} // Mon-Thu; Fri silenced, Sat and Sun never
	var gotKeys []string
	for k, runs := range sentOn {
		gotKeys = append(gotKeys, k)
		if len(runs) != 1 {
			t.Errorf("%s sent by %d runs: %v", k, len(runs), runs)
		}
	}
	slices.Sort(gotKeys)
	var wantKeys []string
	for _, d := range wantDays {
		wantKeys = append(wantKeys, "reminder:"+at(d, 0, 0).Format("2006-01-02"))
	}
	if !slices.Equal(gotKeys, wantKeys) {
		t.Errorf("reminders sent for %v, want %v", gotKeys, wantKeys)
	}

	// The mail that arrived: wait for the expected ones, then let anything
	// else still queued arrive too.
	f.waitForMail("reminder", len(wantDays), time.Minute)
	f.barrier()
	got := f.leadupMail("reminder")
	perDay := map[string]int{}
	ids := map[string]bool{}
	byDay := map[int]mailMsg{}
	for _, m := range got {
		local := m.Date.In(berlin)
		perDay[local.Format("Mon 2 Jan")]++
		if wd := local.Weekday(); wd == time.Saturday || wd == time.Sunday {
			t.Errorf("a reminder on a %s: %s", wd, m.Subject)
		}
		if local.Hour() != 10 || local.Minute() != 0 {
			t.Errorf("reminder dated %s, want the 10:00 run (the first after the 09:30 slot)", local)
		}
		if v := m.Header.Get("Auto-Submitted"); v != "auto-generated" {
			t.Errorf("reminder of %s: Auto-Submitted %q, want auto-generated", local, v)
		}
		if m.MessageID == "" || ids[m.MessageID] {
			t.Errorf("reminder of %s: Message-ID %q missing or not its own", local, m.MessageID)
		}
		ids[m.MessageID] = true
		if to := addrs(m.Header, "To"); !slices.Equal(to, []string{f.me}) {
			t.Errorf("reminder of %s to %v, want the user", local, to)
		}
		byDay[local.Day()] = m
	}
	for day, n := range perDay {
		if n > 1 {
			t.Errorf("%d reminders on %s, want at most one a day", n, day)
		}
	}
	if len(got) != len(wantDays) {
		t.Errorf("%d reminders arrived (%v), want %d (Mon-Thu)", len(got), perDay, len(wantDays))
	}

	danaLast := at(4, 19, 5) // the demo's last update to Dana, 12 days before Monday
	for _, day := range wantDays {
		m, ok := byDay[day]
		if !ok {
			t.Errorf("no reminder arrived for %d Nov", day)
			continue
		}
		es := entries(m.Text)
		dana, raj := es[demo.BossName], es[demo.PeerName]
		switch {
		case day <= 18: // before the update: Dana leads, with the reason and her ask
			if !strings.HasPrefix(m.Text[strings.Index(m.Text, "\n1. ")+1:], "1. "+demo.BossName) {
				t.Errorf("%d Nov: Dana does not lead:\n%s", day, m.Text)
			}
			reason := "due"
			if day > 16 { // red since Mon 19:05
				reason = "over the 8 workday limit"
			}
			first, _, _ := strings.Cut(dana, "\n")
			for _, want := range []string{reason, "asked on"} {
				if !strings.Contains(first, want) {
					t.Errorf("%d Nov: Dana's entry does not say %q: %q", day, want, first)
				}
			}
			since := fmt.Sprintf("%d days since your last update on %s", calendarDays(danaLast, at(day, 10, 0)), danaLast.In(berlin).Format("Mon 2 Jan"))
			for _, want := range []string{since, "Any update on Apollo?"} {
				if !strings.Contains(dana, want) {
					t.Errorf("%d Nov: Dana's entry lacks %q:\n%s", day, want, dana)
				}
			}
			if !strings.Contains(m.Text, "HEARD IT FIRST") {
				t.Errorf("%d Nov: no heard-it-first for the blocked Apollo:\n%s", day, m.Text)
			}
			if !strings.Contains(m.Subject, demo.BossName) {
				t.Errorf("%d Nov: subject %q does not name Dana", day, m.Subject)
			}
		default: // after the update: Dana is silenced, and so is the news she has had
			if dana != "" || strings.Contains(m.Text, "Any update on Apollo?") || strings.Contains(m.Subject, demo.BossName) {
				t.Errorf("%d Nov: Dana is in the reminder after the update of %s:\n%s", day, updateAt, m.Text)
			}
			if strings.Contains(m.Text, "HEARD IT FIRST") {
				t.Errorf("%d Nov: heard-it-first after the user wrote to Dana:\n%s", day, m.Text)
			}
		}
		wantRaj := day >= 16 // his ask (Fri 13 Nov 10:05, after that day's slot) is a request: open from the first reminder on
		if (raj != "") != wantRaj {
			t.Errorf("%d Nov: Raj in the reminder: %v, want %v:\n%s", day, raj != "", wantRaj, m.Text)
		}
		if wantRaj && !strings.Contains(raj, "Zephyr numbers for the platform review") {
			t.Errorf("%d Nov: Raj's entry lacks his ask:\n%s", day, raj)
		}
	}
}

// glance returns the "AT A GLANCE" line of a digest for project name.
func glance(text, name string) string {
	_, rest, ok := strings.Cut(text, "AT A GLANCE\n")
	if !ok {
		return ""
	}
	for _, line := range strings.Split(rest, "\n") {
		if strings.TrimSpace(line) == "" {
			break
		}
		if strings.Contains(line, "] "+name+":") || strings.Contains(line, " "+name+": ") {
			return line
		}
	}
	return ""
}

// checkHealth asserts the demo's health per project in a digest text:
// Apollo blocked (red), Zephyr shipped (green), Atlas quiet for three weeks.
func checkHealth(t *testing.T, what, text string) {
	t.Helper()
	for _, c := range []struct{ name, want string }{
		{"Apollo", "[RED]"}, {"Zephyr", "[GREEN]"}, {"Atlas", "No signal"},
	} {
		if line := glance(text, c.name); !strings.Contains(line, c.want) {
			t.Errorf("%s: %s at a glance is %q, want %s\n%s", what, c.name, line, c.want, text)
		}
	}
	if line := glance(text, "Atlas"); strings.Contains(line, "[RED]") || strings.Contains(line, "[GREEN]") || strings.Contains(line, "[AMBER]") {
		t.Errorf("%s: quiet Atlas has a health: %q", what, line)
	}
}

// checkNoLeaks asserts that no quoted text, signature or disclaimer of the
// demo's status mail made it into a digest text.
func checkNoLeaks(t *testing.T, what, text string) {
	t.Helper()
	for _, leak := range []string{"> ", "wrote:", "+49", "confidential", "Sent from my", "-----Original", "________________________________", "From: Priya", "Mobile:"} {
		if strings.Contains(text, leak) {
			t.Errorf("%s leaks %q:\n%s", what, leak, text)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if line == "-- " || line == "--" {
			t.Errorf("%s has a signature delimiter line:\n%s", what, text)
		}
	}
}

// TestE2EDigestAtFridaySlot: at the Friday 15:00 slot one cycle delivers
// exactly one digest through Postfix to the INBOX and saves exactly one draft
// in Drafts, addressed to Dana and flagged \Draft; each project's health is
// right and nothing quoted, no signature and no disclaimer leaks in; a
// second cycle an hour later adds nothing.
func TestE2EDigestAtFridaySlot(t *testing.T) { e2e.EachServer(t, e2eDigestAtFridaySlot) }

func e2eDigestAtFridaySlot(t *testing.T, s *e2e.Servers) {
	f := newFixtureOn(t, s)
	f.seed(demo.Mailbox(demo.Now))

	c := f.runOnce(demo.Now)
	if c.Digest == "" || c.Draft == "" || c.Errors != 0 {
		t.Fatalf("the cycle at the slot: %+v", c)
	}
	// 09:30 has passed with no reminder yet today: it goes out too.
	if c.Reminder == "" {
		t.Errorf("no reminder at %s: %+v", demo.Now, c)
	}
	f.waitForMail("digest", 1, time.Minute)
	f.waitForMail("reminder", 1, time.Minute)
	f.barrier()
	check := func(when string) {
		t.Helper()
		digests := f.leadupMail("digest")
		if len(digests) != 1 {
			t.Fatalf("%s: %d digests in the INBOX, want 1", when, len(digests))
		}
		if n := len(f.leadupMail("reminder")); n != 1 {
			t.Errorf("%s: %d reminders in the INBOX, want 1", when, n)
		}
		drafts := f.fetch("Drafts", "", "")
		if len(drafts) != 1 {
			t.Fatalf("%s: %d messages in Drafts, want 1", when, len(drafts))
		}
		d := drafts[0]
		if to := addrs(d.Header, "To"); !slices.Equal(to, []string{demo.BossEmail}) {
			t.Errorf("%s: the draft is addressed to %v, want %s", when, to, demo.BossEmail)
		}
		if !slices.Contains(d.Flags, imap.FlagDraft) {
			t.Errorf("%s: the draft's flags %v lack \\Draft", when, d.Flags)
		}
	}
	check("after the slot")

	m := f.leadupMail("digest")[0]
	for k, want := range map[string]string{"Auto-Submitted": "auto-generated", "X-Leadup": "digest"} {
		if got := m.Header.Get(k); got != want {
			t.Errorf("digest header %s: %q, want %q", k, got, want)
		}
	}
	if m.MessageID == "" || !m.Date.Equal(demo.Now) {
		t.Errorf("digest Message-ID %q, Date %s (want --now, %s)", m.MessageID, m.Date, demo.Now)
	}
	if to := addrs(m.Header, "To"); !slices.Equal(to, []string{f.me}) {
		t.Errorf("digest to %v, want the user", to)
	}
	for _, want := range []string{"Dana", "week 47"} {
		if !strings.Contains(m.Subject, want) {
			t.Errorf("digest subject %q lacks %q", m.Subject, want)
		}
	}
	checkHealth(t, "the digest", m.Text)
	checkNoLeaks(t, "the digest", m.Text)
	for _, want := range []string{"Credit: Zoë Martin, Søren Nielsen and Amara Okafor", "ASKS / WHERE I NEED YOUR INPUT", "Drafts folder"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the digest lacks %q:\n%s", want, m.Text)
		}
	}
	// The HTML part is email-safe: no script, no remote tracker, no javascript.
	if m.HTML == "" {
		t.Errorf("the digest has no HTML part")
	}
	for _, bad := range []string{"<script", "tracker.example.com", "javascript:"} {
		if strings.Contains(strings.ToLower(m.HTML), bad) {
			t.Errorf("the HTML digest contains %q", bad)
		}
	}
	draft := f.fetch("Drafts", "", "")[0]
	checkHealth(t, "the draft", draft.Text)
	checkNoLeaks(t, "the draft", draft.Text)
	if strings.Contains(draft.Text, "HOW TO USE THIS DRAFT") {
		t.Errorf("the draft for Dana carries the note meant for the user:\n%s", draft.Text)
	}

	// An hour later: nothing new.
	c = f.runOnce(demo.Now.Add(time.Hour))
	if c.Digest != "" || c.Draft != "" || c.Reminder != "" || c.Errors != 0 {
		t.Errorf("the cycle an hour after the slot: %+v", c)
	}
	f.barrier()
	check("an hour later")
}

// malformed are messages of the kinds found in real mailboxes, none well
// formed; each is CRLF-terminated.
func malformed() []string {
	twoMB := strings.Repeat("status ", 2<<20/7) // one 2 MB line
	msgs := []string{
		// Broken MIME boundary: declared, never used, then a different one.
		"From: Tom Becker <tom.becker@example.com>\nSubject: Apollo: broken boundary\nMessage-ID: <mw1@e2e>\nDate: Wed, 18 Nov 2026 08:01:00 +0100\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"declared\"\n\n--other\nContent-Type: text/plain\n\nhello\n--other--\n",
		// Bad base64 in a text part.
		"From: Tom Becker <tom.becker@example.com>\nSubject: Apollo: bad base64\nMessage-ID: <mw2@e2e>\nDate: Wed, 18 Nov 2026 08:02:00 +0100\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n%%%% this is ### not base64 ====\n",
		// Unknown charsets in the header and the body.
		"From: =?x-unknown-8?Q?J=E9r=F4me?= <j@example.com>\nSubject: =?x-mac-klingon?B?cWFwbGEn?=\nMessage-ID: <mw3@e2e>\nDate: Wed, 18 Nov 2026 08:03:00 +0100\nContent-Type: text/plain; charset=x-klingon\n\nqapla' batlh\n",
		// Raw 8-bit Latin-1 in the headers.
		"From: \xc9l\xe8ve <eleve@example.com>\nSubject: r\xe9sum\xe9 du projet\nMessage-ID: <mw4@e2e>\nDate: Wed, 18 Nov 2026 08:04:00 +0100\n\ncorps du message\n",
		// No Date, no From, no Message-ID.
		"Subject: orphan\n\nnobody sent this\n",
		// A 2 MB line in the body.
		"From: Tom Becker <tom.becker@example.com>\nSubject: Apollo: a very long line\nMessage-ID: <mw6@e2e>\nDate: Wed, 18 Nov 2026 08:06:00 +0100\n\n" + twoMB + "\n",
		// Truncated mid-part, nested multipart without an end.
		"From: Tom Becker <tom.becker@example.com>\nSubject: Apollo: truncated\nMessage-ID: <mw7@e2e>\nDate: Wed, 18 Nov 2026 08:07:00 +0100\nContent-Type: multipart/alternative; boundary=\"o\"\n\n--o\nContent-Type: multipart/related; boundary=\"i\"\n\n--i\nContent-Type: text/html\n\n<p>unclosed <b>tags",
		// A header without a body or a final newline.
		"From: Tom Becker <tom.becker@example.com>\nSubject: Apollo: no body\nMessage-ID: <mw8@e2e>\nDate: Wed, 18 Nov 2026 08:08:00 +0100",
	}
	for i, m := range msgs {
		msgs[i] = strings.ReplaceAll(m, "\n", "\r\n")
	}
	return msgs
}

// TestE2EDigestSurvivesMalformedMail: a folder of malformed real-world
// messages appended to Status/Apollo neither breaks the cycle nor the
// digest, nor `leadup digest`: each message is stored or skipped, and the
// projects keep their health.
func TestE2EDigestSurvivesMalformedMail(t *testing.T) {
	f := newFixture(t)
	f.seed(demo.Mailbox(demo.Now))
	appended := 0
	f.s.Session(t, "append malformed mail", func(c *imapclient.Client) error {
		for i, raw := range malformed() {
			// Internal dates on Wednesday: older than Apollo's newest status
			// (Thu, "still blocked"), so Apollo's health stays red.
			if _, err := e2e.AppendRaw(c, "Status/Apollo", []byte(raw), &imap.AppendOptions{Time: at(18, 8, i)}); err != nil {
				t.Logf("Dovecot refused malformed message %d: %v", i, err)
				continue
			}
			appended++
		}
		return nil
	})
	if appended < len(malformed())-1 {
		t.Fatalf("Dovecot took only %d of %d malformed messages", appended, len(malformed()))
	}

	cyc := f.runOnce(demo.Now)
	if cyc.Errors != 0 || cyc.Digest == "" || cyc.Draft == "" {
		t.Errorf("the cycle at the slot with malformed mail: %+v", cyc)
	}
	// Apollo has the demo's six messages plus every malformed one that
	// was not skipped (a skip is logged with its reason).
	st := f.status(demo.Now)
	for _, p := range st.Projects {
		if want := 6 + appended - cyc.Skipped; p.Name == "Apollo" && p.Messages != want {
			t.Errorf("Apollo: %d messages stored, want %d (6 + %d malformed - %d skipped)", p.Messages, want, appended, cyc.Skipped)
		}
	}
	t.Logf("malformed: %d appended, %d skipped by leadup", appended, cyc.Skipped)
	r := f.mustRun("digest", "--now", rfc(demo.Now))
	checkHealth(t, "leadup digest", r.stdout)

	f.waitForMail("digest", 1, time.Minute)
	f.barrier()
	digests := f.leadupMail("digest")
	if len(digests) != 1 {
		t.Fatalf("%d digests arrived, want 1", len(digests))
	}
	checkHealth(t, "the digest", digests[0].Text)
	if strings.Contains(digests[0].Text, strings.Repeat("status ", 100)) {
		t.Errorf("the 2 MB line made it into the digest unbounded")
	}
}

// TestE2EDaemonSIGTERM runs the daemon (`leadup run`, not --once) at a
// workday 10:00 with a reminder due, waits for the reminder to arrive in
// the INBOX, and stops it with SIGTERM: it exits 0. A cycle an hour later
// sends no second reminder.
func TestE2EDaemonSIGTERM(t *testing.T) { e2e.EachServer(t, e2eDaemonSIGTERM) }

func e2eDaemonSIGTERM(t *testing.T, s *e2e.Servers) {
	f := newFixtureOn(t, s)
	f.seed(demo.Mailbox(demo.Now))
	start := at(20, 10, 0) // Friday; the 15:00 digest slot is hours away

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := f.command(ctx, f.config, "run", "--now", rfc(start), "--log-format", "json")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-done
		}
	}()

	got := f.waitForMail("reminder", 1, time.Minute)
	if got[0].Date.Before(start) || got[0].Date.After(start.Add(time.Minute)) {
		t.Errorf("the daemon's reminder is dated %s, want about --now %s", got[0].Date, start)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// A bound against a hang, not a timing assertion.
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("leadup run after SIGTERM: %v, want exit 0\nstderr:\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("leadup run did not exit within 30 s of SIGTERM\nstderr:\n%s", stderr.String())
	}
	if !strings.Contains(stderr.String(), `"msg":"stopping"`) {
		t.Errorf("no clean stop in the log:\n%s", stderr.String())
	}
	if strings.Contains(stderr.String(), "DATA RACE") || strings.Contains(stderr.String(), "panic") {
		t.Errorf("race or panic in the daemon:\n%s", stderr.String())
	}

	c := f.runOnce(start.Add(time.Hour))
	if c.Reminder != "" || c.Errors != 0 {
		t.Errorf("the cycle after the restart: %+v", c)
	}
	f.barrier()
	if n := len(f.leadupMail("reminder")); n != 1 {
		t.Errorf("%d reminders after the restart, want 1", n)
	}
}

// TestE2EKillBetweenPlannedAndSent kills leadup (SIGKILL, no chance to
// clean up) after it has recorded the reminder in its outbox and while it
// is connecting to SMTP: the SMTP server of the first run is a listener
// that accepts and never answers, so the kill falls between "planned" and
// "sent" without a hook in leadup. `status` then shows the reminder
// pending; the next cycle, against Postfix, sends it, and exactly one
// reminder arrives, also after a further cycle.
func TestE2EKillBetweenPlannedAndSent(t *testing.T) {
	f := newFixture(t)
	f.seed(demo.Mailbox(demo.Now))
	start := at(20, 10, 0)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 4)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	silent := f.writeConfig("silent-smtp.yaml", configOpts{smtpPort: ln.Addr().(*net.TCPAddr).Port})

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := f.command(ctx, silent, "run", "--once", "--now", rfc(start))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-accepted:
		defer c.Close()
	case <-time.After(time.Minute):
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("leadup never connected to SMTP\nstderr:\n%s", stderr.String())
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	st := f.status(start.Add(time.Minute))
	key := "reminder:2026-11-20"
	if !slices.ContainsFunc(st.Pending, func(p outboxJSON) bool { return p.Key == key }) {
		t.Fatalf("after the kill the reminder is not pending: %+v\nstderr of the killed run:\n%s", st.Pending, stderr.String())
	}

	f.runOnce(start.Add(30 * time.Minute))
	f.runOnce(start.Add(time.Hour))
	f.waitForMail("reminder", 1, time.Minute)
	f.barrier()
	got := f.leadupMail("reminder")
	if len(got) != 1 {
		t.Fatalf("%d reminders arrived after the kill and two cycles, want exactly 1", len(got))
	}
	if d := got[0].Date; !d.Equal(start) {
		t.Errorf("the resent reminder is dated %s, want the planned one's %s (the same mail, resent)", d, start)
	}
	if st := f.status(start.Add(time.Hour)); len(st.Pending) != 0 || len(st.Failed) != 0 {
		t.Errorf("outbox after the resend: pending %+v, failed %v", st.Pending, st.Failed)
	}
}

// TestE2EPostfixTempFailThenAccept makes the real Postfix refuse mail for
// the user with "451 4.3.0" at the end of DATA (the tempfail table
// .ci/mailservers leaves empty): the cycle's every attempt is refused, it
// exits 1 and leaves the reminder pending, each refused attempt carrying the
// Message-ID the outbox planned. With the block lifted the next cycle sends
// that same mail: exactly one reminder arrives, with the planned
// Message-ID, and a further cycle adds nothing.
func TestE2EPostfixTempFailThenAccept(t *testing.T) {
	f := newFixture(t)
	f.seed(demo.Mailbox(demo.Now))
	start := at(20, 10, 0)
	const key = "reminder:2026-11-20"

	t.Cleanup(func() {
		if err := setTempfail(f.s, ""); err != nil {
			t.Errorf("lifting the Postfix block: %v", err)
		}
	})
	if err := setTempfail(f.s, f.s.User+" 451 4.3.0 try again later\n"); err != nil {
		t.Fatalf("blocking mail to %s in Postfix: %v", f.s.User, err)
	}
	logPath := filepath.Join(f.s.Dir, "postfix", "postfix.log")
	from := fileSize(t, logPath)

	r := f.run("run", "--once", "--log-format", "json", "--now", rfc(start))
	if r.code != 1 {
		t.Fatalf("the cycle against a refusing Postfix: want exit 1\n%s", r)
	}
	if c := cycleLine(t, r); c.Reminder != "" || c.Errors == 0 {
		t.Errorf("the refused cycle reports %+v, want no reminder and an error", c)
	}
	st := f.status(start.Add(time.Minute))
	if !slices.ContainsFunc(st.Pending, func(p outboxJSON) bool { return p.Key == key }) {
		t.Fatalf("after the refused cycle %s is not pending: pending %+v, failed %+v\n%s", key, st.Pending, st.Failed, r)
	}
	planned := plannedMessageID(t, filepath.Join(f.dir, "state.db"), key)

	refused := waitRefusals(t, logPath, from, f.s.User)
	if len(refused) == 0 {
		t.Fatalf("the Postfix log shows no 451 for %s\n%s", f.s.User, f.s.PostfixLog())
	}
	for qid, id := range refused {
		if id != planned {
			t.Errorf("refused attempt %s carried Message-ID %s, want the planned <%s>", qid, id, planned)
		}
	}
	t.Logf("Postfix refused %d attempts of <%s>", len(refused), planned)

	if err := setTempfail(f.s, ""); err != nil {
		t.Fatalf("lifting the Postfix block: %v", err)
	}
	if c := f.runOnce(start.Add(30 * time.Minute)); c.Errors != 0 {
		t.Errorf("the cycle after the block was lifted: %+v", c)
	}
	f.waitForMail("reminder", 1, time.Minute)
	if c := f.runOnce(start.Add(time.Hour)); c.Errors != 0 {
		t.Errorf("the third cycle: %+v", c)
	}
	f.barrier()
	got := f.leadupMail("reminder")
	if len(got) != 1 {
		t.Fatalf("%d reminders arrived after a refused cycle and two accepted ones, want exactly 1", len(got))
	}
	if got[0].MessageID != "<"+planned+">" {
		t.Errorf("the delivered reminder has Message-ID %s, want the planned <%s>", got[0].MessageID, planned)
	}
	if st := f.status(start.Add(time.Hour)); len(st.Pending) != 0 || len(st.Failed) != 0 {
		t.Errorf("outbox after the resend: pending %+v, failed %+v", st.Pending, st.Failed)
	}
}

// setTempfail replaces .ci/mailservers' tempfail table (an access map
// Postfix checks at the end of DATA) with text and reloads Postfix, whose
// smtpd reads the texthash table once per process; it returns once the
// master logged the reload, after which new sessions see the new table.
func setTempfail(s *e2e.Servers, text string) error {
	p := filepath.Join(s.Dir, "postfix")
	logPath := filepath.Join(p, "postfix.log")
	before, err := os.ReadFile(logPath)
	if err != nil {
		return err
	}
	const reloaded = "reload -- version"
	n := bytes.Count(before, []byte(reloaded))
	if err := os.WriteFile(filepath.Join(p, "tempfail"), []byte(text), 0o644); err != nil {
		return err
	}
	if out, err := exec.Command("postfix", "-c", filepath.Join(p, "conf"), "reload").CombinedOutput(); err != nil {
		return fmt.Errorf("postfix reload: %w\n%s", err, out)
	}
	// A bound against a hang, not a timing assertion.
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		data, err := os.ReadFile(logPath)
		if err != nil {
			return err
		}
		if bytes.Count(data, []byte(reloaded)) > n {
			return nil
		}
	}
	return errors.New("postfix logged no reload within 30 s")
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// cycleLine returns the one "cycle" log line of a `run --once` that may
// have failed.
func cycleLine(t *testing.T, r result) cycle {
	t.Helper()
	var got []cycle
	for line := range strings.SplitSeq(r.stderr, "\n") {
		var c cycle
		if json.Unmarshal([]byte(line), &c) == nil && c.Msg == "cycle" {
			got = append(got, c)
		}
	}
	if len(got) != 1 {
		t.Fatalf("want one cycle log line, got %d\n%s", len(got), r)
	}
	return got[0]
}

// plannedMessageID reads the Message-ID (without angle brackets) the
// outbox recorded for key, from leadup's state database.
func plannedMessageID(t *testing.T, path, key string) string {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	row, err := st.OutboxByKey(context.Background(), key)
	if err != nil {
		t.Fatalf("outbox %s: %v", key, err)
	}
	if row.MessageID == "" {
		t.Fatalf("outbox %s has no Message-ID", key)
	}
	return strings.Trim(row.MessageID, "<>")
}

// waitRefusals reads the Postfix log from offset from and returns, by
// queue ID, the Message-ID of every mail refused with 451 at the end of
// DATA for rcpt. Postfix's smtpd logs the refusal and its cleanup the
// Message-ID, in either order, so it waits (bounded) until every refused
// queue ID has its Message-ID line.
func waitRefusals(t *testing.T, path string, from int64, rcpt string) map[string]string {
	t.Helper()
	var refused map[string]string
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.Seek(from, io.SeekStart)
		var data []byte
		if err == nil {
			data, err = io.ReadAll(f)
		}
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		refused = map[string]string{}
		ids := map[string]string{}
		for line := range strings.SplitSeq(string(data), "\n") {
			_, rest, ok := strings.Cut(line, "]: ")
			if !ok {
				continue
			}
			qid, what, ok := strings.Cut(rest, ": ")
			if !ok {
				continue
			}
			switch {
			case strings.HasPrefix(what, "reject: END-OF-MESSAGE ") && strings.Contains(what, ": 451 4.3.0 ") &&
				strings.Contains(what, "to=<"+rcpt+">"):
				refused[qid] = ""
			case strings.HasPrefix(what, "message-id=<"):
				ids[qid] = strings.TrimSuffix(strings.TrimPrefix(what, "message-id=<"), ">")
			}
		}
		complete := true
		for qid := range refused {
			id, ok := ids[qid]
			refused[qid] = id
			complete = complete && ok
		}
		if complete || time.Now().After(deadline) {
			return refused
		}
	}
}
