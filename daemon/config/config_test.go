package config

import (
	"context"
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
	dir := t.TempDir()
	pwFile := filepath.Join(dir, "pw")
	os.WriteFile(pwFile, []byte("from-file\n"), 0o600)
	cfg, err := Load(write(t, strings.Replace(base, "  host: imap.example.com\n",
		"  host: imap.example.com\n  password_file: "+pwFile+"\n", 1)+"", 0o600))
	if err != nil {
		t.Fatal(err)
	}
	if v, err := cfg.IMAP.Secret.Resolve(ctx); err != nil || v != "from-file" {
		t.Fatalf("password_file: %q %v", v, err)
	}
	// SMTP borrows the IMAP source when it has none.
	if v, err := cfg.SMTP.Secret.Resolve(ctx); err != nil || v != "from-file" {
		t.Fatalf("smtp fallback: %q %v", v, err)
	}

	cfg, err = Load(write(t, strings.Replace(base, "  host: imap.example.com\n",
		"  host: imap.example.com\n  password_cmd: \"printf 'from-cmd\\\\n'\"\n", 1), 0o600))
	if err != nil {
		t.Fatal(err)
	}
	if v, err := cfg.IMAP.Secret.Resolve(ctx); err != nil || v != "from-cmd" {
		t.Fatalf("password_cmd: %q %v", v, err)
	}

	cfg, err = Load(write(t, base, 0o600))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("LEADUP_IMAP_PASSWORD", "from-env")
	if v, err := cfg.IMAP.Secret.Resolve(ctx); err != nil || v != "from-env" {
		t.Fatalf("env: %q %v", v, err)
	}
	t.Setenv("LEADUP_IMAP_PASSWORD", "")
	credDir := t.TempDir()
	os.WriteFile(filepath.Join(credDir, "smtp-password"), []byte("from-cred"), 0o600)
	os.WriteFile(filepath.Join(credDir, "imap-password"), []byte("imap-cred"), 0o600)
	t.Setenv("CREDENTIALS_DIRECTORY", credDir)
	if v, err := cfg.IMAP.Secret.Resolve(ctx); err != nil || v != "imap-cred" {
		t.Fatalf("credential: %q %v", v, err)
	}
}

// TestSecretsNeverLeak checks that no secret value reaches an error message,
// a warning or a formatted Config.
func TestSecretsNeverLeak(t *testing.T) {
	const secret = "hunter2-SECRET-value"
	ctx := context.Background()
	cases := []string{
		// a literal password in a world-readable file: a warning, no value
		strings.Replace(base, "  host: imap.example.com\n", "  host: imap.example.com\n  password: "+secret+"\n", 1),
		// a failing command that echoes the secret to stdout before failing
		strings.Replace(base, "  host: imap.example.com\n", "  host: imap.example.com\n  password_cmd: \"echo "+secret+"; exit 3\"\n", 1),
		// a command printing the secret but also an error on stderr
		strings.Replace(base, "  host: imap.example.com\n", "  host: imap.example.com\n  password_cmd: \"echo oops >&2; echo "+secret+"; false\"\n", 1),
	}
	for i, text := range cases {
		cfg, err := Load(write(t, text, 0o644))
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
		_, err = cfg.IMAP.Secret.Resolve(ctx)
		if err != nil {
			seen = append(seen, err.Error())
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
