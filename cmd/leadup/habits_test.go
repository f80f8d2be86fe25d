package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVersionFlag: `leadup --version` prints what `leadup version` does.
func TestVersionFlag(t *testing.T) {
	code, flag, stderr := leadup(t, "--version")
	if code != 0 || stderr != "" {
		t.Fatalf("--version: exit %d, stderr %q", code, stderr)
	}
	_, cmd, _ := leadup(t, "version")
	if flag != cmd || !strings.HasPrefix(flag, "leadup ") {
		t.Errorf("--version printed %q, version printed %q", flag, cmd)
	}
}

// offlineDigestConfig is a config whose IMAP server cannot be reached, so
// `digest` works from the (empty) stored state.
func offlineDigestConfig(t *testing.T) string {
	return writeConfig(t, strings.Replace(validConfig, "  host: imap.example.com", "  host: 127.0.0.1\n  port: 1\n  tls: none\n  password: x", 1)+"state: $STATE\n")
}

// TestInteractiveLogsQuiet: a command run for its result logs only
// warnings on stderr unless -v asks for more; results stay on stdout.
func TestInteractiveLogsQuiet(t *testing.T) {
	path := offlineDigestConfig(t)
	html := filepath.Join(t.TempDir(), "digest.html")
	const friday = "2026-11-20T15:00:00+01:00"
	code, stdout, stderr := leadup(t, "digest", "--config", path, "--now", friday, "--html", html)
	if code != 0 || !strings.HasPrefix(stdout, "Subject: ") {
		t.Fatalf("digest: exit %d\n%s%s", code, stdout, stderr)
	}
	if strings.Contains(stderr, "level=INFO") || !strings.Contains(stderr, "level=WARN") {
		t.Errorf("by default only warnings go to stderr:\n%s", stderr)
	}
	if strings.Contains(stdout, "level=") {
		t.Errorf("a log line on stdout:\n%s", stdout)
	}
	for _, tc := range []struct {
		flags []string
		want  string
	}{
		{[]string{"-v"}, "level=INFO"},
		{[]string{"-vv"}, "level=INFO"},
		{[]string{"--log-level", "info"}, "level=INFO"},
	} {
		_, _, stderr := leadup(t, append([]string{"digest", "--config", path, "--now", friday, "--html", html}, tc.flags...)...)
		if !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: stderr lacks %s:\n%s", tc.flags, tc.want, stderr)
		}
	}
	if _, _, stderr := leadup(t, "digest", "--config", path, "--now", friday, "--log-level", "error"); strings.Contains(stderr, "level=WARN") {
		t.Errorf("--log-level error still shows warnings:\n%s", stderr)
	}
}

// TestCheckinByRoleOrFirstName: checkin takes a role one stakeholder has or
// a unique first name, case-insensitive; a shared one is refused, listing
// who shares it.
func TestCheckinByRoleOrFirstName(t *testing.T) {
	path := writeConfig(t, validConfig+`  - {name: Raj Patel, email: raj@example.com, role: peer, cadence: 4 weeks}
  - {name: Sam Okafor, email: sam@example.com, role: peer, cadence: 4 weeks}
  - {name: Jane Doe, email: jdoe@example.com, role: other, cadence: 4 weeks}
state: $STATE
`)
	const now = "2026-11-23T10:00:00+01:00"
	for arg, want := range map[string]string{
		"boss":            "Jane Smith <jane@example.com>",
		"BOSS":            "Jane Smith <jane@example.com>",
		"raj":             "Raj Patel <raj@example.com>",
		"Sam":             "Sam Okafor <sam@example.com>",
		"other":           "Jane Doe <jdoe@example.com>",
		"jane smith":      "Jane Smith <jane@example.com>",
		"SAM@example.com": "Sam Okafor <sam@example.com>",
	} {
		code, stdout, stderr := leadup(t, "checkin", arg, "--config", path, "--now", now)
		if code != 0 || !strings.Contains(stdout, "recorded an update to "+want) {
			t.Errorf("checkin %q: exit %d, %q %q; want %s", arg, code, stdout, stderr, want)
		}
	}
	for arg, want := range map[string]string{
		"peer":  `the role "peer" matches 2 stakeholders: "Raj Patel", "Sam Okafor"; give the full name or the email`,
		"jane":  `the first name "jane" matches 2 stakeholders: "Jane Smith", "Jane Doe"; give the full name or the email`,
		"dana":  `"dana" is not a stakeholder in ` + path + `: use a name, email, role or first name of "Jane Smith", "Raj Patel", "Sam Okafor", "Jane Doe"`,
		"skip":  `"skip" is not a stakeholder`,
		"Patel": `"Patel" is not a stakeholder`,
	} {
		code, _, stderr := leadup(t, "checkin", arg, "--config", path, "--now", now)
		if code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("checkin %q: exit %d, %q; want 2 and %q", arg, code, stderr, want)
		}
	}
}

// TestDigestHTMLToStdout: `digest --html -` prints only the HTML, with the
// chart embedded, and writes no file.
func TestDigestHTMLToStdout(t *testing.T) {
	path := offlineDigestConfig(t)
	cwd := t.TempDir()
	t.Chdir(cwd)
	code, stdout, stderr := leadup(t, "digest", "--config", path, "--now", "2026-11-20T15:00:00+01:00", "--html", "-")
	if code != 0 {
		t.Fatalf("digest --html -: exit %d\n%s", code, stderr)
	}
	if strings.Contains(stdout, "Subject: ") || !strings.Contains(stdout, "<html") || !strings.Contains(stdout, "</html>") {
		t.Errorf("stdout should be the HTML alone:\n%.400s", stdout)
	}
	if !strings.Contains(stdout, `src="data:image/png;base64,`) || strings.Contains(stdout, "cid:") {
		t.Errorf("the chart should be embedded as a data: URL")
	}
	if entries, _ := os.ReadDir(cwd); len(entries) > 0 {
		t.Errorf("digest --html - wrote files: %v", entries)
	}
	code, _, stderr = leadup(t, "digest", "--config", path, "--html", "--send")
	if code != 2 || !strings.Contains(stderr, "--html --send looks like a flag") {
		t.Errorf("--html --send: exit %d, %q", code, stderr)
	}
}

// TestConfigExample: `leadup config example` prints the repository's
// config.yaml, byte for byte: the embedded copy must follow it.
func TestConfigExample(t *testing.T) {
	want, err := os.ReadFile("../../config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := leadup(t, "config", "example")
	if code != 0 || stderr != "" {
		t.Fatalf("config example: exit %d, %q", code, stderr)
	}
	if stdout != string(want) {
		t.Fatalf("leadup config example differs from config.yaml: after editing config.yaml, run: cp config.yaml cmd/leadup/config.example.yaml")
	}
	// What it prints is a config that passes check.
	code, out, stderr := leadup(t, "check", "--config", writeConfig(t, stdout))
	if code != 0 || !strings.Contains(out, "ok") {
		t.Errorf("check of the printed example: exit %d\n%s%s", code, out, stderr)
	}
	if code, _, _ := leadup(t, "config", "sample"); code != 2 {
		t.Errorf("config sample: exit %d, want 2", code)
	}
}

// TestManPages: `leadup man DIR` writes a page per command, dated by
// $SOURCE_DATE_EPOCH and without a generation stamp.
func TestManPages(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "man1")
	t.Setenv("SOURCE_DATE_EPOCH", "1764633600") // 2 Dec 2025
	if code, _, stderr := leadup(t, "man", dir); code != 0 {
		t.Fatalf("man: exit %d, %q", code, stderr)
	}
	for _, page := range []string{"leadup.1", "leadup-run.1", "leadup-checkin.1", "leadup-config-example.1", "leadup-demo.1"} {
		b, err := os.ReadFile(filepath.Join(dir, page))
		if err != nil {
			t.Error(err)
			continue
		}
		if !strings.Contains(string(b), `.TH "LEADUP" "1" "Dec 2025"`) || strings.Contains(string(b), "Auto generated") {
			t.Errorf("%s: header or stamp wrong:\n%.300s", page, b)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "leadup-checkin.1")); !strings.Contains(string(b), "first name") {
		t.Errorf("leadup-checkin.1 lacks the command's long help")
	}
	if code, _, _ := leadup(t, "man"); code != 2 {
		t.Errorf("man without DIR: exit %d, want 2", code)
	}
	_, help, _ := leadup(t, "--help")
	if strings.Contains(help, "\n  man ") {
		t.Errorf("man is for packagers and should be hidden from help:\n%s", help)
	}
}

// TestDemoRemovesItsDirectory: the demo's temporary directory is gone
// after the run unless --keep, which keeps it and says where.
func TestDemoRemovesItsDirectory(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	code, stdout, stderr := leadup(t, "demo")
	if code != 0 || !strings.Contains(stdout, "THE REMINDER") {
		t.Fatalf("demo: exit %d\n%s%s", code, stdout, stderr)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
		t.Errorf("demo left %v in $TMPDIR", entries)
	}
	if strings.Contains(stdout, tmp) || !strings.Contains(stdout, "leadup demo --keep") {
		t.Errorf("demo output should not point at removed files:\n%s", stdout)
	}

	code, stdout, stderr = leadup(t, "demo", "--keep")
	if code != 0 {
		t.Fatalf("demo --keep: exit %d\n%s", code, stderr)
	}
	kept, _ := filepath.Glob(filepath.Join(tmp, "leadup-demo-*", "digest.html"))
	if len(kept) != 1 || !strings.Contains(stdout, "HTML digest: "+kept[0]) {
		t.Errorf("demo --keep: kept %v, output:\n%s", kept, stdout)
	}
	if code, _, _ := leadup(t, "demo", "--keep", "--dir", filepath.Join(tmp, "x")); code != 2 {
		t.Errorf("--keep with --dir: exit %d, want 2", code)
	}
}

// TestCLIYAMLSyntaxError: a mis-indented line is named and quoted, with
// the fix, and check exits 2.
func TestCLIYAMLSyntaxError(t *testing.T) {
	path := writeConfig(t, edit("  port: 587", "   port: 587"))
	code, stdout, stderr := leadup(t, "check", "--config", path)
	want := path + `: line 9: YAML syntax error: "   port: 587" is indented 3 spaces: indent it 2 spaces, like line 8 (the keys of one section line up)` + "\n"
	if code != 2 || stdout != "" || stderr != want {
		t.Errorf("exit %d\nstderr %q\nwant   %q", code, stderr, want)
	}
}

// TestCheckWarnsPasswordCmdLines: a password_cmd printing a `pass show`
// entry passes check with one warning that never shows the output.
func TestCheckWarnsPasswordCmdLines(t *testing.T) {
	t.Setenv("LEADUP_IMAP_PASSWORD", "")
	t.Setenv("LEADUP_SMTP_PASSWORD", "")
	t.Setenv("CREDENTIALS_DIRECTORY", "")
	const pw = "Tr0ub4dor-SECRET"
	path := writeConfig(t, edit("  host: imap.example.com", "  host: imap.example.com\n  password_cmd: \"printf '"+pw+"\\nuser: alex\\nurl: imap.example.com\\n'\""))
	code, stdout, stderr := leadup(t, "check", "--config", path)
	if code != 0 || !strings.Contains(stderr, "imap.password_cmd printed more than one line: leadup uses only the first") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	if strings.Contains(stdout+stderr, pw) || strings.Contains(stdout+stderr, "user: alex") {
		t.Errorf("the command's output leaked:\n%s%s", stdout, stderr)
	}
}
