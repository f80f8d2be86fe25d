package daemon

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"text/template"
	"time"

	"github.com/leadup/leadup/daemon/clock"
	"github.com/leadup/leadup/daemon/config"
	"github.com/leadup/leadup/daemon/demo"
	"github.com/leadup/leadup/daemon/digest"
	"github.com/leadup/leadup/daemon/mailer"
	"github.com/leadup/leadup/daemon/message"
)

// DemoResult is what a demo run produced.
type DemoResult struct {
	Report   CycleReport
	Reminder string // the reminder's text, "" if none was sent
	Digest   string // the digest's text, "" if none was sent
	HTMLFile string // where the HTML digest was written
	Drafts   int    // drafts saved for the boss
	Status   Status
}

var demoConfig = template.Must(template.New("demo").Parse(`# leadup demo: in-process servers on loopback
me: {name: "{{.UserName}}", email: {{.UserEmail}}, aliases: [{{.UserAlias}}]}
timezone: Europe/Berlin
imap: {host: 127.0.0.1, port: {{.IMAPPort}}, tls: none, username: {{.UserEmail}}, password: {{.Password}}}
smtp: {host: 127.0.0.1, port: {{.SMTPPort}}, tls: none, username: {{.UserEmail}}, password: {{.Password}}}
projects:
{{- range .Projects}}
  - {name: {{.Name}}, label: "{{.Label}}"}
{{- end}}
stakeholders:
  - {name: "{{.BossName}}", email: {{.BossEmail}}, role: boss, cadence: 5 workdays, max: 8 workdays, style: detailed}
  - {name: "{{.PeerName}}", email: {{.PeerEmail}}, role: peer, cadence: 4 weeks}
reminders: {at: "09:30", repeat_after: 2 workdays}
digest: {schedule: "Fri 15:00", draft_for: boss, lookback: 7 days}
state: {{.State}}
`))

// RunDemo starts the demo servers with the seeded mailbox, runs one cycle
// at now (demo.Now when zero) in dir, and returns what was sent. The HTML
// digest is written to dir/digest.html.
func RunDemo(ctx context.Context, dir string, now time.Time, log *slog.Logger) (DemoResult, error) {
	var res DemoResult
	if now.IsZero() {
		now = demo.Now
	}
	srv, err := demo.StartSeeded(now)
	if err != nil {
		return res, err
	}
	defer srv.Close()
	var cfgText bytes.Buffer
	err = demoConfig.Execute(&cfgText, map[string]any{
		"UserName": demo.UserName, "UserEmail": demo.UserEmail, "UserAlias": demo.UserAlias, "Password": demo.Password,
		"IMAPPort": srv.IMAPPort, "SMTPPort": srv.SMTPPort, "Projects": demo.Projects,
		"BossName": demo.BossName, "BossEmail": demo.BossEmail, "PeerName": demo.PeerName, "PeerEmail": demo.PeerEmail,
		"State": filepath.Join(dir, "state.db"),
	})
	if err != nil {
		return res, err
	}
	cfgPath := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfgPath, cfgText.Bytes(), 0o600); err != nil {
		return res, err
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		return res, err
	}
	app, err := Open(ctx, cfg, log, clock.At(now))
	if err != nil {
		return res, err
	}
	defer app.Close()
	t := DefaultTunables()
	t.SendBackoff.Min, t.SendBackoff.Max = 10*time.Millisecond, 100*time.Millisecond
	app.SetTunables(t)
	res.Report, err = app.RunOnce(ctx)
	if err != nil {
		return res, err
	}
	for _, d := range srv.Delivered() {
		m, err := message.Parse(bytes.NewReader(d.Data), message.Options{MaxText: 1 << 20})
		if err != nil {
			return res, fmt.Errorf("read what the demo sent: %w", err)
		}
		switch kind := headerValue(d.Data, "X-Leadup"); kind {
		case "reminder":
			res.Reminder = "Subject: " + m.Subject + "\n\n" + m.Text
		case "digest":
			res.Digest = "Subject: " + m.Subject + "\n\n" + m.Text
		}
	}
	if res.Report.Digest != "" {
		if res.HTMLFile, err = app.writeDigestHTML(ctx, res.Report.Digest, dir); err != nil {
			return res, err
		}
	}
	drafts, err := srv.Messages("Drafts")
	if err != nil {
		return res, err
	}
	res.Drafts = len(drafts)
	res.Status, err = app.Status(ctx)
	return res, err
}

// writeDigestHTML writes the HTML of the digest sent under key to
// dir/digest.html, with its inline chart beside it so a browser shows it.
func (a *App) writeDigestHTML(ctx context.Context, key, dir string) (string, error) {
	row, err := a.st.OutboxByKey(ctx, key)
	if err != nil {
		return "", err
	}
	var m mailer.Message
	if err := json.Unmarshal(row.Body, &m); err != nil {
		return "", err
	}
	html := m.HTML
	for _, in := range m.Inline {
		name := "digest-" + in.Name
		if err := os.WriteFile(filepath.Join(dir, name), in.Data, 0o600); err != nil {
			return "", err
		}
		html = digest.StandaloneHTML(html, in.ContentID, name)
	}
	path := filepath.Join(dir, "digest.html")
	return path, os.WriteFile(path, []byte(html), 0o600)
}

// headerValue returns a top-level header's value from a raw message.
func headerValue(raw []byte, name string) string {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return ""
	}
	return m.Header.Get(name)
}

// WriteDemo prints a demo result for a person. kept says whether the
// demo's directory, with the HTML digest, is still there to look at.
func WriteDemo(w io.Writer, res DemoResult, kept bool) {
	rule := strings.Repeat("─", 72)
	fmt.Fprintf(w, "leadup demo: one cycle against an in-process mailbox (%d messages read)\n\n", res.Report.Sync.Fetched)
	if res.Reminder != "" {
		fmt.Fprintf(w, "%s\nTHE REMINDER leadup emailed you\n%s\n%s\n\n", rule, rule, strings.TrimSpace(res.Reminder))
	} else {
		fmt.Fprintf(w, "No reminder was due.\n\n")
	}
	if res.Digest != "" {
		fmt.Fprintf(w, "%s\nTHE WEEKLY DIGEST leadup emailed you\n%s\n%s\n\n", rule, rule, strings.TrimSpace(res.Digest))
	}
	fmt.Fprintf(w, "%s\n", rule)
	switch {
	case kept && res.HTMLFile != "":
		fmt.Fprintf(w, "HTML digest: %s (open it in a browser)\n", res.HTMLFile)
	case res.HTMLFile != "":
		fmt.Fprintf(w, "The demo's files are removed; run `leadup demo --keep` to keep them and open the HTML digest in a browser.\n")
	}
	fmt.Fprintf(w, "Drafts folder: %d draft addressed to your boss, ready to edit and send\n", res.Drafts)
	fmt.Fprintf(w, "Try it on your own mail: leadup config example > ~/.config/leadup/config.yaml, edit it, run `leadup check --connect`.\n")
}
