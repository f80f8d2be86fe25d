package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leadup/leadup/daemon/demo"
)

// leadup runs the command line in-process and returns its exit status and
// output.
func leadup(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

const validConfig = `me:
  name: Alex Doe
  email: alex@example.com
timezone: Europe/Berlin
imap:
  host: imap.example.com
smtp:
  host: smtp.example.com
  port: 587
projects:
  - {name: Apollo, label: Status/Apollo}
stakeholders:
  - name: Jane Smith
    email: jane@example.com
    role: boss
    cadence: 5 workdays
`

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "config.yaml")
	text = strings.ReplaceAll(text, "$STATE", filepath.Join(dir, "state.db"))
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func edit(old, new string) string {
	if !strings.Contains(validConfig, old) {
		panic("test bug: " + old + " not in validConfig")
	}
	return strings.Replace(validConfig, old, new, 1)
}

// TestBrokenConfigs: every broken config exits 2 with a one-line message per
// problem naming the key and a fix, and no stack trace.
func TestBrokenConfigs(t *testing.T) {
	for _, tc := range []struct {
		name   string
		config string
		key    string // the key the message must name
		hint   string // a word of the fix
	}{
		{"unknown key", validConfig + "colour: blue\n", "colour", "unknown key"},
		{"misspelt key suggests", edit("  host: imap.example.com", "  hostt: imap.example.com"), "imap.hostt", `did you mean "host"`},
		{"misspelt top-level", validConfig + "stakeholder: []\n", "stakeholder:", `did you mean "stakeholders"`},
		{"misspelt nested in list", edit("    cadence: 5 workdays", "    cadense: 5 workdays"), "stakeholders[0].cadense", `"cadence"`},
		{"wrong type port", edit("  port: 587", "  port: five-eight-seven"), "smtp.port", "whole number"},
		{"wrong type section", edit("imap:\n  host: imap.example.com", "imap: imap.example.com"), "imap", "section"},
		{"bad duration", edit("cadence: 5 workdays", "cadence: 5 fortnights"), "stakeholders[0].cadence", "workdays"},
		{"bad duration number", edit("cadence: 5 workdays", "cadence: often"), "stakeholders[0].cadence", "5 workdays"},
		{"bad zone", edit("Europe/Berlin", "Mars/Olympus"), "timezone", "IANA"},
		{"missing zone", edit("timezone: Europe/Berlin\n", ""), "timezone", "IANA"},
		{"bad time", validConfig + "reminders:\n  at: \"25:70\"\n", "reminders.at", "HH:MM"},
		{"bad schedule", validConfig + "digest:\n  schedule: \"Funday 15:00\"\n", "digest.schedule", "Fri 15:00"},
		{"bad cron", validConfig + "digest:\n  schedule: \"0 99 * * *\"\n", "digest.schedule", "cron"},
		{"bad tls mode", edit("  host: imap.example.com", "  host: imap.example.com\n  tls: ssl"), "imap.tls", "implicit"},
		{"plaintext to remote", edit("  host: imap.example.com", "  host: imap.example.com\n  tls: none"), "imap.tls", "loopback"},
		{"missing host", edit("smtp:\n  host: smtp.example.com", "smtp:\n  username: alex@example.com"), "smtp.host", "missing"},
		{"empty email", edit("  email: alex@example.com", "  email: \"\""), "me.email", "address"},
		{"bad email", edit("    email: jane@example.com", "    email: jane at example"), "stakeholders[0].email", "address"},
		{"bad role", edit("role: boss", "role: overlord"), "stakeholders[0].role", "boss, skip, peer or other"},
		{"bad style", edit("role: boss", "role: boss\n    style: verbose"), "stakeholders[0].style", "detailed or summary"},
		{"bad weekday", validConfig + "workdays: [mon, tue, funday]\n", "workdays[2]", "weekday"},
		{"bad holiday", validConfig + "holidays: [2026-13-45]\n", "holidays[0]", "YYYY-MM-DD"},
		{"away backwards", validConfig + "away:\n  - {from: 2027-01-04, to: 2026-12-20}\n", "away[0].to", "swap"},
		{"unreadable password file", edit("  host: imap.example.com", "  host: imap.example.com\n  password_file: /nonexistent/pw"), "imap.password_file", "cannot read"},
		{"failing password command", edit("  host: imap.example.com", "  host: imap.example.com\n  password_cmd: \"echo locked >&2; exit 1\""), "imap.password_cmd", "exit status 1"},
		{"empty password command", edit("  host: imap.example.com", "  host: imap.example.com\n  password_cmd: \"true\""), "imap.password_cmd", "printed nothing"},
		{"yaml syntax error", validConfig + "digest:\n  to: [unclosed\n", "line", "YAML syntax error"},
		{"duplicate stakeholder", validConfig + "  - name: Jane Again\n    email: JANE@example.com\n    cadence: 2 weeks\n", "stakeholders[1].email", "already"},
		{"project without label", edit("  - {name: Apollo, label: Status/Apollo}", "  - {name: Apollo}"), "projects[0].label", "folder"},
		{"duplicate label", edit("  - {name: Apollo, label: Status/Apollo}", "  - {name: Apollo, label: Status/Apollo}\n  - {name: Zephyr, label: Status/Apollo}"), "projects[1].label", "one label per project"},
		{"no stakeholders", strings.Split(validConfig, "stakeholders:")[0], "stakeholders", "boss"},
		{"missing cadence", edit("    cadence: 5 workdays\n", ""), "stakeholders[0].cadence", "how often"},
		{"max below cadence", edit("cadence: 5 workdays", "cadence: 5 workdays\n    max: 2 days"), "stakeholders[0].max", "shorter"},
		{"draft_for nobody", validConfig + "digest:\n  draft_for: ceo\n", "digest.draft_for", "no stakeholder"},
		{"poll in workdays", validConfig + "poll: 1 workday\n", "poll", "minutes"},
		{"port out of range", edit("  port: 587", "  port: 70000"), "smtp.port", "1-65535"},
		{"stakeholder is me", edit("    email: jane@example.com", "    email: alex@example.com"), "stakeholders[0].email", "your own address"},
		{"oauthbearer for smtp", edit("  port: 587", "  port: 587\n  auth: oauthbearer\n  token_cmd: \"echo token\""), "smtp.auth", "use xoauth2"},
		{"oauth without token_cmd", edit("  host: imap.example.com", "  host: imap.example.com\n  auth: xoauth2"), "imap.token_cmd", "token"},
		{"unreadable ca_file", edit("  host: imap.example.com", "  host: imap.example.com\n  ca_file: /nonexistent/ca.pem"), "imap.ca_file", "PEM"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeConfig(t, tc.config)
			code, _, stderr := leadup(t, "check", "--config", path)
			if code != 2 {
				t.Fatalf("exit %d, want 2; stderr:\n%s", code, stderr)
			}
			var line string
			for _, l := range strings.Split(stderr, "\n") {
				if strings.Contains(l, tc.key) && strings.Contains(l, tc.hint) {
					line = l
				}
			}
			if line == "" {
				t.Fatalf("no line naming %q with %q in:\n%s", tc.key, tc.hint, stderr)
			}
			if !strings.HasPrefix(line, path+": ") {
				t.Errorf("line does not start with the file name: %q", line)
			}
			if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic") {
				t.Errorf("stack trace in output:\n%s", stderr)
			}
		})
	}
}

// TestRuntimeSecretFailureExits1: a password_cmd that works for the check
// but fails when a connection needs the password is a runtime failure (exit
// 1, "leadup: " and the source), not an invalid config, and what the command
// wrote to stderr stays out of the message.
func TestRuntimeSecretFailureExits1(t *testing.T) {
	const secret = "hunter2-SECRET-value"
	mark := filepath.Join(t.TempDir(), "ran-once")
	// Prints a password the first time (for check), then fails, echoing
	// the secret to stderr as a traced wrapper would.
	pwCmd := "test -e " + mark + " && { echo " + secret + " >&2; exit 1; }; touch " + mark + "; echo pw"
	cfg := strings.Replace(validConfig, "  host: imap.example.com", "  host: 127.0.0.1\n  port: 1\n  tls: none\n  password_cmd: \""+pwCmd+"\"", 1)
	cfg = strings.Replace(cfg, "  host: smtp.example.com\n  port: 587", "  host: 127.0.0.1\n  port: 1\n  tls: none", 1)
	code, stdout, stderr := leadup(t, "check", "--connect", "--config", writeConfig(t, cfg))
	if code != 1 {
		t.Errorf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "leadup: ") || !strings.Contains(stderr, "imap.password_cmd: failed (exit status 1)") {
		t.Errorf("the error should name the password command, stderr:\n%s", stderr)
	}
	if strings.Contains(stderr, "secret: ") {
		t.Errorf("a runtime failure shown as a config file problem:\n%s", stderr)
	}
	if strings.Contains(stdout+stderr, secret) {
		t.Errorf("the command's stderr leaked:\n%s%s", stdout, stderr)
	}
}

// TestEveryProblemAtOnce: a config with several problems lists them all.
func TestEveryProblemAtOnce(t *testing.T) {
	cfg := edit("Europe/Berlin", "Nowhere/Land")
	cfg = strings.Replace(cfg, "role: boss", "role: king", 1)
	cfg += "colour: blue\n"
	code, _, stderr := leadup(t, "check", "--config", writeConfig(t, cfg))
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	for _, key := range []string{"timezone:", "stakeholders[0].role:", "colour:"} {
		if !strings.Contains(stderr, key) {
			t.Errorf("missing problem %s in:\n%s", key, stderr)
		}
	}
	if n := strings.Count(strings.TrimSpace(stderr), "\n") + 1; n != 3 {
		t.Errorf("want 3 lines, one per problem, got %d:\n%s", n, stderr)
	}
}

func TestCheckExampleConfig(t *testing.T) {
	code, stdout, stderr := leadup(t, "check", "--config", "../../config.yaml")
	if code != 0 || !strings.Contains(stdout, "ok") {
		t.Fatalf("check of config.yaml: exit %d\n%s%s", code, stdout, stderr)
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"bogus"},
		{"check", "--no-such-flag"},
		{"check", "extra-arg"},
		{"checkin"},
		{"version", "--now", "yesterday"},
		{"version", "--log-format", "xml"},
	} {
		if code, _, stderr := leadup(t, args...); code != 2 {
			t.Errorf("leadup %v: exit %d, want 2 (stderr %q)", args, code, stderr)
		}
	}
	if code, _, _ := leadup(t, "check", "--config", "/nonexistent/config.yaml"); code != 2 {
		t.Errorf("a missing config file should exit 2, got %d", code)
	}
}

func TestVersion(t *testing.T) {
	code, stdout, _ := leadup(t, "version")
	if code != 0 || !strings.Contains(stdout, "leadup ") || !strings.Contains(stdout, "go1.") {
		t.Fatalf("version: exit %d, %q", code, stdout)
	}
}

func TestCheckinRecordsUpdate(t *testing.T) {
	path := writeConfig(t, validConfig+"state: $STATE\n")
	code, stdout, stderr := leadup(t, "checkin", "jane smith", "--note", "1:1", "--config", path, "--now", "2026-11-23T10:00:00+01:00")
	if code != 0 {
		t.Fatalf("checkin: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "Jane Smith") || !strings.Contains(stdout, "Mon 23 Nov 2026 10:00") {
		t.Errorf("checkin output %q", stdout)
	}
	if code, _, stderr := leadup(t, "checkin", "Nobody", "--config", path); code != 2 || !strings.Contains(stderr, `"Jane Smith"`) {
		t.Errorf("unknown stakeholder: exit %d, %q; want 2 naming the valid ones", code, stderr)
	}
}

// TestDigestCommandOffline: `leadup digest --html` works from the stored
// state when the server is unreachable, and writes the HTML with its chart.
func TestDigestCommandOffline(t *testing.T) {
	path := writeConfig(t, strings.Replace(validConfig, "  host: imap.example.com", "  host: 127.0.0.1\n  port: 1\n  tls: none\n  password: x", 1)+"state: $STATE\n")
	html := filepath.Join(t.TempDir(), "digest.html")
	code, stdout, stderr := leadup(t, "digest", "--config", path, "--now", "2026-11-20T15:00:00+01:00", "--html", html)
	if code != 0 {
		t.Fatalf("digest: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "Subject: Draft for Jane: weekly update, no news on the projects — week 47") || !strings.Contains(stderr, "could not read new mail") {
		t.Errorf("stdout %q\nstderr %q", stdout, stderr)
	}
	b, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "cid:") || !strings.Contains(string(b), "digest-chart.png") {
		t.Errorf("the HTML file should show the chart from a file beside it")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(html), "digest-chart.png")); err != nil {
		t.Error(err)
	}
}

func TestDemoDirMustBeEmpty(t *testing.T) {
	dir := t.TempDir()
	keep := filepath.Join(dir, "precious.txt")
	os.WriteFile(keep, []byte("x"), 0o600)
	if code, _, stderr := leadup(t, "demo", "--dir", dir); code != 2 || !strings.Contains(stderr, "not empty") {
		t.Fatalf("demo into a non-empty dir: exit %d, %q", code, stderr)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Fatal("demo removed a file it did not write")
	}
	code, stdout, stderr := leadup(t, "demo", "--dir", filepath.Join(dir, "new"))
	if code != 0 || !strings.Contains(stdout, "THE REMINDER") || !strings.Contains(stdout, filepath.Join(dir, "new", "digest.html")) {
		t.Fatalf("demo: exit %d\n%s\n%s", code, stdout, stderr)
	}
}

// TestCheckConnectInProcess: `check --connect` against the demo's servers
// logs in to both and names the folders, Sent and Drafts among them.
func TestCheckConnectInProcess(t *testing.T) {
	srv, err := demo.StartSeeded(demo.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	path := demoConfigFile(t, srv, t.TempDir(), "")
	code, stdout, stderr := leadup(t, "check", "--connect", "--config", path)
	if code != 0 {
		t.Fatalf("check --connect: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"imap 127.0.0.1", "INBOX", "Status/Apollo", "sent:    Sent", "drafts:  Drafts", "smtp 127.0.0.1"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("check --connect output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout+stderr, demo.Password) {
		t.Error("the password appeared in the output")
	}
}
