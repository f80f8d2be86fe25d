package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func clearSecretEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{"LEADUP_IMAP_PASSWORD", "LEADUP_SMTP_PASSWORD", "CREDENTIALS_DIRECTORY"} {
		t.Setenv(k, "")
	}
}

// TestSecretFirstLine: of a password_cmd's output only the first line is
// the password, as mbsync's PassCmd and msmtp's passwordeval read it, and
// `leadup check` warns, without showing any of it, when more was printed.
func TestSecretFirstLine(t *testing.T) {
	clearSecretEnv(t)
	const pw, user, url = "s3cr3t pass", "user: alex@example.com", "url: https://mail.example.com/"
	pwFile := filepath.Join(t.TempDir(), "pw")
	for _, tc := range []struct {
		name, source string // source is the line added under imap:
		want         string
		warn         string // a word of the warning; "" for none
	}{
		{"pass show", `password_cmd: "printf '` + pw + `\n` + user + `\n` + url + `\n'"`, pw, "printed more than one line"},
		{"trailing spaces and CRLF", `password_cmd: "printf '` + pw + ` \r\n` + user + `\r\n'"`, pw, "printed more than one line"},
		{"one line", `password_cmd: "echo '` + pw + `'"`, pw, ""},
		{"no newline", `password_cmd: "printf '` + pw + `'"`, pw, ""},
		{"blank lines after", `password_cmd: "printf '` + pw + `\n\n  \n'"`, pw, ""},
		{"file with more lines", "password_file: " + pwFile, pw, "has more than one line"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(pwFile, []byte(pw+"\n"+user+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := Load(write(t, edited(t, "  host: imap.example.com\n", "  host: imap.example.com\n  "+tc.source+"\n"), 0o600))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range []Secret{cfg.IMAP.Secret, cfg.SMTP.Secret} {
				if v, err := s.Resolve(t.Context()); err != nil || v != pw {
					t.Errorf("%s: got %q, %v; want the first line %q", s.Key, v, err, pw)
				}
			}
			warnings, err := cfg.ResolveSecrets(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			joined := strings.Join(warnings, "\n")
			switch {
			case tc.warn == "" && len(warnings) > 0:
				t.Errorf("want no warning, got %q", warnings)
			case tc.warn != "" && (len(warnings) != 1 || !strings.Contains(joined, tc.warn) || !strings.Contains(joined, "first")):
				t.Errorf("want one warning saying %q and that the first line is used, got %q", tc.warn, warnings)
			}
			for _, leak := range []string{pw, "alex@example.com", "mail.example.com"} {
				if strings.Contains(joined, leak) {
					t.Errorf("a warning shows what the source holds (%q): %q", leak, joined)
				}
			}
		})
	}
}

// TestSecretEmptyFirstLine: a command whose first line is empty fails,
// saying the secret must be on the first line, even if later lines are not.
func TestSecretEmptyFirstLine(t *testing.T) {
	clearSecretEnv(t)
	cfg, err := Load(write(t, edited(t, "  host: imap.example.com\n", "  host: imap.example.com\n  password_cmd: \"printf '\\nhunter2\\n'\"\n"), 0o600))
	if err != nil {
		t.Fatal(err)
	}
	_, err = cfg.IMAP.Secret.Resolve(t.Context())
	if err == nil || !strings.Contains(err.Error(), "imap.password_cmd: printed an empty first line") || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("got %v", err)
	}
}

// TestNoPasswordAnywhere: with no password for smtp nor for imap, whose
// password smtp reuses, the error names the section (no password key is
// set to blame), every source that would do, and is not temporary.
func TestNoPasswordAnywhere(t *testing.T) {
	clearSecretEnv(t)
	cfg, err := Load(write(t, base, 0o600))
	if err != nil {
		t.Fatal(err)
	}
	_, err = cfg.SMTP.Secret.Resolve(t.Context())
	var se *SecretError
	if !errors.As(err, &se) {
		t.Fatalf("want a *SecretError, got %T %v", err, err)
	}
	want := "no SMTP password: set smtp.password_cmd, smtp.password_file or smtp.password, export $LEADUP_SMTP_PASSWORD, or add LoadCredential=smtp-password to the systemd unit; " +
		"with none of these smtp reuses imap's password, and imap has none either (imap.password_cmd, imap.password_file or imap.password, $LEADUP_IMAP_PASSWORD or the credential imap-password)"
	if err.Error() != want {
		t.Errorf("got  %s\nwant %s", err, want)
	}
	if se.Key != "smtp" {
		t.Errorf("the error's key is %q, want the section smtp: no password key is set", se.Key)
	}
	if se.Temporary() || !errors.Is(err, ErrNoPassword) {
		t.Errorf("a missing password is for good: Temporary() = %v, errors.Is(ErrNoPassword) = %v", se.Temporary(), errors.Is(err, ErrNoPassword))
	}
	_, err = cfg.IMAP.Secret.Resolve(t.Context())
	if want := "no IMAP password: set imap.password_cmd, imap.password_file or imap.password, export $LEADUP_IMAP_PASSWORD, or add LoadCredential=imap-password to the systemd unit"; err == nil || err.Error() != want {
		t.Errorf("imap: got  %v\nwant %s", err, want)
	}

	// A command that fails may work later (a keyring unlocked): temporary,
	// and not ErrNoPassword.
	cfg, err = Load(write(t, edited(t, "  host: imap.example.com\n", "  host: imap.example.com\n  password_cmd: \"exit 1\"\n"), 0o600))
	if err != nil {
		t.Fatal(err)
	}
	_, err = cfg.SMTP.Secret.Resolve(t.Context())
	if !errors.As(err, &se) || !se.Temporary() || errors.Is(err, ErrNoPassword) || !strings.HasPrefix(err.Error(), "imap.password_cmd: failed") {
		t.Errorf("a failing command: got %v", err)
	}
}
