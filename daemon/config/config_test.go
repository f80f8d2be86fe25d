package config

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/calendar"
)

// base is a small valid config; cases edit it.
const base = `me:
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

func write(t *testing.T, text string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExampleConfigIsValid(t *testing.T) {
	cfg, err := Load("../../config.yaml")
	if err != nil {
		t.Fatalf("the example config.yaml is invalid:\n%v", err)
	}
	if cfg.Location.String() != "Europe/Berlin" || len(cfg.Stakeholders) != 2 || len(cfg.Projects) != 2 {
		t.Fatalf("unexpected example config: %+v", cfg)
	}
	if cfg.Digest.DraftFor == nil || cfg.Digest.DraftFor.Email != "jane@example.com" {
		t.Fatalf("draft_for: boss should resolve to Jane, got %+v", cfg.Digest.DraftFor)
	}
	if len(cfg.Calendar.Holidays) != 2 || len(cfg.Calendar.Away) != 1 {
		t.Fatalf("holidays/away not parsed: %+v", cfg.Calendar)
	}
}

func TestDefaultsAndTypes(t *testing.T) {
	cfg, err := Load(write(t, base, 0o600))
	if err != nil {
		t.Fatal(err)
	}
	jane := cfg.Stakeholders[0]
	if jane.Cadence != (calendar.Span{N: 5, Unit: calendar.Workdays}) || jane.Style != StyleDetailed {
		t.Errorf("jane = %+v", jane)
	}
	if cfg.IMAP.Port != 993 || cfg.IMAP.TLS != TLSImplicit || cfg.IMAP.Username != "alex@example.com" {
		t.Errorf("imap defaults = %+v", cfg.IMAP)
	}
	if cfg.SMTP.TLS != TLSStartTLS || cfg.SMTP.Port != 587 {
		t.Errorf("smtp: port 587 should default to starttls: %+v", cfg.SMTP)
	}
	if cfg.Reminders.Hour != 9 || cfg.Reminders.Minute != 30 || cfg.Poll != 5*time.Minute || cfg.Digest.To != "alex@example.com" {
		t.Errorf("defaults: %+v %v %q", cfg.Reminders, cfg.Poll, cfg.Digest.To)
	}
	if !cfg.Calendar.Workdays[time.Monday] || cfg.Calendar.Workdays[time.Saturday] {
		t.Errorf("default workdays: %v", cfg.Calendar.Workdays)
	}
	// Fri 15:00 in the user's zone.
	from := time.Date(2026, 11, 23, 0, 0, 0, 0, cfg.Location)
	next := cfg.Digest.Schedule.Next(from)
	if want := time.Date(2026, 11, 27, 15, 0, 0, 0, cfg.Location); !next.Equal(want) {
		t.Errorf("schedule next = %v, want %v", next, want)
	}
}

func TestSchedules(t *testing.T) {
	loc, _ := time.LoadLocation("America/New_York")
	from := time.Date(2026, 11, 23, 12, 0, 0, 0, loc) // a Monday
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"Fri 15:00", time.Date(2026, 11, 27, 15, 0, 0, 0, loc)},
		{"mon,thu 09:05", time.Date(2026, 11, 26, 9, 5, 0, 0, loc)},
		{"0 15 * * 5", time.Date(2026, 11, 27, 15, 0, 0, 0, loc)},
		{"30 8 * * 1-5", time.Date(2026, 11, 24, 8, 30, 0, 0, loc)},
	} {
		s, err := ParseSchedule(tc.in)
		if err != nil {
			t.Errorf("ParseSchedule(%q): %v", tc.in, err)
			continue
		}
		if got := s.Next(from); !got.Equal(tc.want) {
			t.Errorf("ParseSchedule(%q).Next = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestSecretSources(t *testing.T) {
	ctx := context.Background()
	for _, k := range []string{"LEADUP_IMAP_PASSWORD", "LEADUP_SMTP_PASSWORD", "CREDENTIALS_DIRECTORY"} {
		t.Setenv(k, "")
	}
	resolve := func(t *testing.T, what string, s Secret, want string) {
		t.Helper()
		if v, err := s.Resolve(ctx); err != nil || v != want {
			t.Errorf("%s: got %q, %v; want %q", what, v, err, want)
		}
	}
	dir := t.TempDir()
	pwFile := filepath.Join(dir, "pw")
	os.WriteFile(pwFile, []byte("from-file\n"), 0o600)
	cfg, err := Load(write(t, strings.Replace(base, "  host: imap.example.com\n",
		"  host: imap.example.com\n  password_file: "+pwFile+"\n", 1)+"", 0o600))
	if err != nil {
		t.Fatal(err)
	}
	resolve(t, "password_file", cfg.IMAP.Secret, "from-file")
	// SMTP borrows the IMAP source when it has none of its own …
	resolve(t, "smtp falls back to imap.password_file", cfg.SMTP.Secret, "from-file")
	// … but its own environment variable and credential come first.
	t.Setenv("LEADUP_SMTP_PASSWORD", "smtp-env")
	resolve(t, "$LEADUP_SMTP_PASSWORD", cfg.SMTP.Secret, "smtp-env")
	resolve(t, "imap ignores $LEADUP_SMTP_PASSWORD", cfg.IMAP.Secret, "from-file")
	t.Setenv("LEADUP_SMTP_PASSWORD", "")
	credDir := t.TempDir()
	os.WriteFile(filepath.Join(credDir, "smtp-password"), []byte("from-cred"), 0o600)
	t.Setenv("CREDENTIALS_DIRECTORY", credDir)
	resolve(t, "credential smtp-password", cfg.SMTP.Secret, "from-cred")
	t.Setenv("CREDENTIALS_DIRECTORY", "")

	cfg, err = Load(write(t, strings.Replace(base, "  host: imap.example.com\n",
		"  host: imap.example.com\n  password_cmd: \"printf 'from-cmd\\\\n'\"\n", 1), 0o600))
	if err != nil {
		t.Fatal(err)
	}
	resolve(t, "password_cmd", cfg.IMAP.Secret, "from-cmd")
	resolve(t, "smtp falls back to imap.password_cmd", cfg.SMTP.Secret, "from-cmd")

	cfg, err = Load(write(t, base, 0o600))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("LEADUP_IMAP_PASSWORD", "from-env")
	resolve(t, "env", cfg.IMAP.Secret, "from-env")
	resolve(t, "smtp falls back to $LEADUP_IMAP_PASSWORD", cfg.SMTP.Secret, "from-env")
	t.Setenv("LEADUP_SMTP_PASSWORD", "smtp-env")
	resolve(t, "$LEADUP_SMTP_PASSWORD before imap's", cfg.SMTP.Secret, "smtp-env")
	t.Setenv("LEADUP_SMTP_PASSWORD", "")
	t.Setenv("LEADUP_IMAP_PASSWORD", "")
	os.WriteFile(filepath.Join(credDir, "imap-password"), []byte("imap-cred"), 0o600)
	t.Setenv("CREDENTIALS_DIRECTORY", credDir)
	resolve(t, "credential", cfg.IMAP.Secret, "imap-cred")
	resolve(t, "smtp's own credential before imap's", cfg.SMTP.Secret, "from-cred")
	os.Remove(filepath.Join(credDir, "smtp-password"))
	resolve(t, "smtp falls back to credential imap-password", cfg.SMTP.Secret, "imap-cred")
}

// TestRuntimeSecretErrors: a secret that cannot be read when a connection
// needs it is a runtime failure (exit status 1), naming its source; only
// `leadup check` (ResolveSecrets) reports it as a config problem.
func TestRuntimeSecretErrors(t *testing.T) {
	ctx := context.Background()
	for _, k := range []string{"LEADUP_IMAP_PASSWORD", "LEADUP_SMTP_PASSWORD", "CREDENTIALS_DIRECTORY"} {
		t.Setenv(k, "")
	}
	cfg, err := Load(write(t, strings.Replace(base, "  host: imap.example.com\n",
		"  host: imap.example.com\n  password_cmd: \"echo locked >&2; exit 1\"\n", 1), 0o600))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []Secret{cfg.IMAP.Secret, cfg.SMTP.Secret} {
		_, err := s.Resolve(ctx)
		var se *SecretError
		if !errors.As(err, &se) || IsConfigError(err) {
			t.Fatalf("%s: want a *SecretError, not a config error; got %T %v", s.Key, err, err)
		}
		if want := "imap.password_cmd: failed (exit status 1): run it by hand to see why (leadup never shows its output, which may hold the secret)"; err.Error() != want {
			t.Errorf("%s: error %q, want %q", s.Key, err, want)
		}
	}
	if _, err := cfg.ResolveSecrets(ctx); !IsConfigError(err) || !strings.Contains(err.Error(), "exit status 1") || strings.Contains(err.Error(), "locked") {
		t.Errorf("check: want a config error with the exit status and not the command's stderr, got %v", err)
	}

	cfg, err = Load(write(t, base, 0o600))
	if err != nil {
		t.Fatal(err)
	}
	_, err = cfg.SMTP.Secret.Resolve(ctx)
	if err == nil || IsConfigError(err) || !strings.Contains(err.Error(), "LEADUP_SMTP_PASSWORD") || !strings.Contains(err.Error(), "imap") {
		t.Errorf("no password anywhere: want a runtime error naming $LEADUP_SMTP_PASSWORD and imap, got %v", err)
	}
	if w, err := cfg.ResolveSecrets(ctx); err != nil || len(w) != 1 || !strings.Contains(w[0], "LEADUP_IMAP_PASSWORD") {
		t.Errorf("check with no password anywhere: want one warning, got %q, %v", w, err)
	}
	t.Setenv("CREDENTIALS_DIRECTORY", t.TempDir())
	os.WriteFile(filepath.Join(os.Getenv("CREDENTIALS_DIRECTORY"), "smtp-password"), []byte("\n"), 0o600)
	t.Setenv("LEADUP_IMAP_PASSWORD", "x")
	if _, err := cfg.ResolveSecrets(ctx); !IsConfigError(err) || !strings.Contains(err.Error(), "credential smtp-password: is empty") {
		t.Errorf("check must read smtp's own credential, got %v", err)
	}
}

// TestSecretsNeverLeak checks that no secret value reaches an error message,
// a warning or a formatted Config.
func TestSecretsNeverLeak(t *testing.T) {
	const secret = "hunter2-SECRET-value"
	ctx := context.Background()
	cmd := func(c string) string {
		return strings.Replace(base, "  host: imap.example.com\n", "  host: imap.example.com\n  password_cmd: \""+c+"\"\n", 1)
	}
	cases := []struct {
		text string
		// fails: the command writes the secret to stderr and fails;
		// neither `leadup check` nor the daemon shows that line.
		fails bool
	}{
		// a literal password in a world-readable file: a warning, no value
		{text: strings.Replace(base, "  host: imap.example.com\n", "  host: imap.example.com\n  password: "+secret+"\n", 1)},
		// a failing command that echoes the secret to stdout before failing
		{text: cmd("echo " + secret + "; exit 3")},
		// a command printing the secret but also an error on stderr
		{text: cmd("echo oops >&2; echo " + secret + "; false")},
		// a wrapper tracing its commands (set -x) to stderr, then failing
		{text: cmd("sh -xc 'printf %s " + secret + " >/dev/null; exit 1'"), fails: true},
		// a command echoing its input to stderr and failing
		{text: cmd("echo " + secret + " >&2; exit 1"), fails: true},
	}
	for i, tc := range cases {
		cfg, err := Load(write(t, tc.text, 0o644))
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		var seen []string
		seen = append(seen, cfg.Warnings...)
		w, err := cfg.ResolveSecrets(ctx)
		seen = append(seen, w...)
		if err != nil {
			seen = append(seen, err.Error())
		}
		for _, s := range []Secret{cfg.IMAP.Secret, cfg.SMTP.Secret} {
			_, err = s.Resolve(ctx)
			if err != nil {
				seen = append(seen, err.Error())
			}
			if tc.fails && err == nil {
				t.Errorf("case %d: %s resolved from a failing command", i, s.Key)
			}
		}
		seen = append(seen, fmtAll(cfg)...)
		for _, s := range seen {
			if strings.Contains(s, secret) {
				t.Errorf("case %d: secret leaked in %q", i, s)
			}
		}
		if i == 0 && !strings.Contains(strings.Join(cfg.Warnings, "\n"), "chmod 600") {
			t.Errorf("a literal password in a 0644 file must be warned about, warnings: %q", cfg.Warnings)
		}
	}
}

func TestNoWarningForPrivateLiteral(t *testing.T) {
	cfg, err := Load(write(t, strings.Replace(base, "  host: imap.example.com\n", "  host: imap.example.com\n  password: x\n", 1), 0o600))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Warnings) != 0 {
		t.Errorf("a literal password in a 0600 file: unexpected warnings %q", cfg.Warnings)
	}
}

// TestDesignExampleLoads loads the example configuration of the product
// contract (../shared/DESIGN.md) verbatim: every key it shows is accepted.
func TestDesignExampleLoads(t *testing.T) {
	doc, err := os.ReadFile("../../../shared/DESIGN.md")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip("shared/DESIGN.md not beside the checkout")
	}
	_, rest, ok := strings.Cut(string(doc), "```yaml\n")
	example, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("no yaml block in DESIGN.md")
	}
	cfg, err := Load(write(t, example, 0o600))
	if err != nil {
		t.Fatalf("DESIGN.md's example is refused:\n%v", err)
	}
	if cfg.IMAP.Secret.Source() != "imap.password_cmd" || cfg.Digest.DraftFor == nil || cfg.Poll != 5*time.Minute {
		t.Errorf("example decoded wrongly: secret %s, draft_for %v, poll %v", cfg.IMAP.Secret.Source(), cfg.Digest.DraftFor, cfg.Poll)
	}
}
