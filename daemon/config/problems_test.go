package config

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// problems loads text and returns the problems found, failing the test if
// the error is not an *Error.
func problems(t *testing.T, text string) []Problem {
	t.Helper()
	_, err := Load(write(t, text, 0o600))
	if err == nil {
		return nil
	}
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("want an *Error, got %T %v", err, err)
	}
	return ce.Problems
}

// edited replaces old, which must be in base, by new.
func edited(t *testing.T, old, new string) string {
	t.Helper()
	if !strings.Contains(base, old) {
		t.Fatalf("test bug: %q not in base", old)
	}
	return strings.Replace(base, old, new, 1)
}

// TestConfigGaps: values the validator once let through, each refused with
// one problem naming its key and the fix.
func TestConfigGaps(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", maxName+1)
	for _, tc := range []struct {
		name      string
		text      string
		key, msg  string
		msgPrefix bool // msg is only the start of the message
	}{
		{name: "imap port 0", text: edited(t, "  host: imap.example.com\n", "  host: imap.example.com\n  port: 0\n"),
			key: "imap.port", msg: "0 is not a port: remove the key to use the default (993 here), or use 1-65535"},
		{name: "imap port 0 with starttls", text: edited(t, "  host: imap.example.com\n", "  host: imap.example.com\n  tls: starttls\n  port: 0\n"),
			key: "imap.port", msg: "0 is not a port: remove the key to use the default (143 here), or use 1-65535"},
		{name: "smtp port 0", text: edited(t, "  port: 587", "  port: 0"),
			key: "smtp.port", msg: "0 is not a port: remove the key to use the default (465 here), or use 1-65535"},
		{name: "negative port", text: edited(t, "  port: 587", "  port: -25"),
			key: "smtp.port", msg: "-25 is not a port: use 1-65535 (usually 465 for implicit TLS, 587 for STARTTLS)"},
		{name: "port above 65535", text: edited(t, "  host: imap.example.com\n", "  host: imap.example.com\n  port: 65536\n"),
			key: "imap.port", msg: "65536 is not a port: use 1-65535 (usually 993 for implicit TLS, 143 for STARTTLS)"},

		{name: "state is a directory", text: base + "state: " + dir + "\n",
			key: "state", msg: dir + " is a directory: name the database file, e.g. " + filepath.Join(dir, "state.db")},
		{name: "state ends in a slash", text: base + "state: " + dir + "/new/\n",
			key: "state", msg: dir + "/new/ is a directory: name the database file, e.g. " + filepath.Join(dir, "new", "state.db")},
		{name: "state in a file", text: base + "state: " + file + "/state.db\n",
			key: "state", msg: file + " is not a directory, so " + file + "/state.db cannot be created in it: name a file in a directory, e.g. ~/.local/state/leadup/state.db"},
		{name: "state below a file", text: base + "state: " + file + "/sub/state.db\n",
			key: "state", msg: file + " is not a directory, so " + file + "/sub/state.db cannot be created in it", msgPrefix: true},
		{name: "state is a device", text: base + "state: /dev/null\n",
			key: "state", msg: "/dev/null is not a regular file: name the database file", msgPrefix: true},

		{name: "me.name too long", text: edited(t, "  name: Alex Doe", "  name: "+long),
			key: "me.name", msg: "is 201 bytes long: keep it to 200, just the name"},
		{name: "me.name with LF", text: edited(t, "  name: Alex Doe", `  name: "Alex\nBcc: eve@example.com"`),
			key: "me.name", msg: "contains a line break: put the name on one line"},
		{name: "me.name with CR", text: edited(t, "  name: Alex Doe", `  name: "Alex\rDoe"`),
			key: "me.name", msg: "contains a line break: put the name on one line"},
		{name: "me.name with U+2028", text: edited(t, "  name: Alex Doe", `  name: "Alex\u2028Doe"`),
			key: "me.name", msg: "contains a line break: put the name on one line"},
		{name: "me.name with a block scalar", text: edited(t, "  name: Alex Doe", "  name: |\n    Alex\n    Doe"),
			key: "me.name", msg: "contains a line break: put the name on one line"},
		{name: "me.name with a tab", text: edited(t, "  name: Alex Doe", `  name: "Alex\tDoe"`),
			key: "me.name", msg: "contains a tab: use a space"},
		{name: "me.name with a bell", text: edited(t, "  name: Alex Doe", `  name: "Alex\aDoe"`),
			key: "me.name", msg: "contains the control character U+0007: remove it"},
		{name: "me.name with DEL", text: edited(t, "  name: Alex Doe", `  name: "Alex\x7fDoe"`),
			key: "me.name", msg: "contains the control character U+007F: remove it"},
		{name: "stakeholder name with LF", text: edited(t, "  - name: Jane Smith", `  - name: "Jane\nSmith"`),
			key: "stakeholders[0].name", msg: "contains a line break: put the name on one line"},
		{name: "stakeholder name too long", text: edited(t, "  - name: Jane Smith", "  - name: "+long),
			key: "stakeholders[0].name", msg: "is 201 bytes long: keep it to 200, just the name"},
		{name: "project name with LF", text: edited(t, "{name: Apollo,", `{name: "Apo\nllo",`),
			key: "projects[0].name", msg: "contains a line break: put the name on one line"},
		{name: "project name too long", text: edited(t, "{name: Apollo,", "{name: "+long+","),
			key: "projects[0].name", msg: "is 201 bytes long: keep it to 200, just the name"},
		{name: "priority not a project", text: edited(t, "    role: boss\n", "    role: boss\n    priorities: [apollo, Apolo 2]\n"),
			key: "stakeholders[0].priorities[1]", msg: `"Apolo 2" is not a project: use one of Apollo`},
		{name: "imap timeout not a duration", text: edited(t, "  host: imap.example.com\n", "  host: imap.example.com\n  timeout: fast\n"),
			key: "imap.timeout", msg: `"fast" is not a duration: write it like "60s" or "2 minutes"`},
		{name: "smtp timeout too long", text: edited(t, "  port: 587", "  port: 587\n  timeout: 1 hour"),
			key: "smtp.timeout", msg: "1 hour is out of range: use between 1s and 10 minutes (the default is 60s)"},
		{name: "imap timeout zero", text: edited(t, "  host: imap.example.com\n", "  host: imap.example.com\n  timeout: 0s\n"),
			key: "imap.timeout", msg: "0s is out of range: use between 1s and 10 minutes (the default is 60s)"},
		{name: "me.email with LF", text: edited(t, "  email: alex@example.com", `  email: "alex@example.com\nBcc: eve@example.com"`),
			key: "me.email", msg: "contains a line break: put the address on one line"},
		{name: "alias with CR", text: edited(t, "  email: alex@example.com\n", "  email: alex@example.com\n  aliases: [\"a@example.com\\rBcc: eve@example.com\"]\n"),
			key: "me.aliases[0]", msg: "contains a line break: put the address on one line"},
		{name: "stakeholder email with LF", text: edited(t, "    email: jane@example.com", `    email: "jane@example.com\nBcc: eve@example.com"`),
			key: "stakeholders[0].email", msg: "contains a line break: put the address on one line"},
		{name: "digest.to with LF", text: base + "digest:\n  to: \"boss@example.com\\nBcc: eve@example.com\"\n",
			key: "digest.to", msg: "contains a line break: put the address on one line"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := problems(t, tc.text)
			var found []Problem
			for _, p := range ps {
				if p.Key == tc.key {
					found = append(found, p)
				}
			}
			if len(found) != 1 {
				t.Fatalf("want one problem for %s, got %q", tc.key, ps)
			}
			if got := found[0].Msg; got != tc.msg && !(tc.msgPrefix && strings.HasPrefix(got, tc.msg)) {
				t.Errorf("%s:\n got %q\nwant %q", tc.key, got, tc.msg)
			}
			if len(ps) != 1 {
				t.Errorf("want one problem in all, got %q", ps)
			}
		})
	}
}

// TestConfigGapsAccepted: the values next to those refused above still load.
func TestConfigGapsAccepted(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "state.db")
	if err := os.WriteFile(existing, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		text string
	}{
		{"port absent", base},
		{"port null", edited(t, "  port: 587", "  port:")},
		{"port 1", edited(t, "  port: 587", "  port: 1")},
		{"port 65535", edited(t, "  port: 587", "  port: 65535")},
		{"state an existing file", base + "state: " + existing + "\n"},
		{"state under missing directories", base + "state: " + filepath.Join(dir, "a", "b", "state.db") + "\n"},
		{"me.name of 200 bytes", edited(t, "  name: Alex Doe", "  name: "+strings.Repeat("é", maxName/2))},
		{"me.name with a final newline", edited(t, "  name: Alex Doe", "  name: |\n    Alex Doe")},
		{"me.name in another script", edited(t, "  name: Alex Doe", "  name: Zoë Ōkubo-Ильина")},
		{"imap timeout in seconds", edited(t, "  host: imap.example.com\n", "  host: imap.example.com\n  timeout: 45s\n")},
		{"imap timeout in words", edited(t, "  host: imap.example.com\n", "  host: imap.example.com\n  timeout: 30 seconds\n")},
		{"smtp timeout in minutes", edited(t, "  port: 587", "  port: 587\n  timeout: 2 minutes")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if ps := problems(t, tc.text); len(ps) != 0 {
				t.Errorf("want no problems, got %q", ps)
			}
		})
	}
	cfg, err := Load(write(t, edited(t, "  port: 587", "  port:"), 0o600))
	if err != nil || cfg.SMTP.Port != 465 {
		t.Errorf("port null: want the default 465, got %v %v", cfg, err)
	}
	cfg, err = Load(write(t, edited(t, "  port: 587", "  port: 587\n  timeout: 2 minutes"), 0o600))
	if err != nil || cfg.SMTP.Timeout != 2*time.Minute || cfg.IMAP.Timeout != 0 {
		t.Errorf("smtp timeout: got %v and imap %v (%v); want 2m and the default", cfg.SMTP.Timeout, cfg.IMAP.Timeout, err)
	}
}

// TestUnreadableConfig: a config that cannot be read is reported as such,
// with a fix, never as a YAML syntax error.
func TestUnreadableConfig(t *testing.T) {
	dir := t.TempDir()
	path := write(t, base, 0o600)
	denied := func(name string) ([]byte, error) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	for _, tc := range []struct {
		name     string
		path     string
		readFile func(string) ([]byte, error)
		want     string
	}{
		{"directory", dir, os.ReadFile,
			dir + ": is a directory: pass the config file itself with --config FILE"},
		{"missing", filepath.Join(dir, "nope.yaml"), os.ReadFile,
			filepath.Join(dir, "nope.yaml") + ": no such file: pass --config FILE, set $LEADUP_CONFIG, or start from the example: mkdir -p " + dir + " && leadup config example > " + filepath.Join(dir, "nope.yaml")},
		{"below a file", path + "/config.yaml", os.ReadFile,
			path + "/config.yaml: a part of the path is a file, not a directory: pass the config file's path with --config FILE"},
		// Root, who runs the tests, reads any file: the error root never
		// gets is handed to the loader.
		{"permission denied", path, denied,
			path + ": permission denied: make it readable by this user (chmod 600 " + path + ", and chown it if another user owns it)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(tc.path, tc.readFile)
			if !IsConfigError(err) || err.Error() != tc.want {
				t.Errorf("got  %v\nwant %s", err, tc.want)
			}
		})
	}

	t.Run("permission denied by the system", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root reads any file; cmd/leadup's TestCheckUnreadableConfig runs leadup as another user")
		}
		p := write(t, base, 0o000)
		if _, err := Load(p); err == nil || !strings.Contains(err.Error(), p+": permission denied: make it readable") {
			t.Errorf("got %v", err)
		}
	})
}

// TestSecretCmdFailureShowsNoOutput: a failing password_cmd is reported by
// its exit status and a hint to run it by hand, never by what it printed,
// both by `leadup check` (ResolveSecrets) and at run time (Resolve).
func TestSecretCmdFailureShowsNoOutput(t *testing.T) {
	const canary = "SECRET-CANARY"
	for _, k := range []string{"LEADUP_IMAP_PASSWORD", "LEADUP_SMTP_PASSWORD", "CREDENTIALS_DIRECTORY"} {
		t.Setenv(k, "")
	}
	for _, tc := range []struct {
		name, cmd string
		want      string // the whole problem message
		short     bool   // run under a deadline shorter than SecretTimeout
	}{
		{name: "stderr then exit 3", cmd: `sh -c 'echo ` + canary + ` >&2; exit 3'`,
			want: "failed (exit status 3): run it by hand to see why (leadup never shows its output, which may hold the secret)"},
		{name: "stdout then exit 3", cmd: `echo ` + canary + `; exit 3`,
			want: "failed (exit status 3): run it by hand to see why (leadup never shows its output, which may hold the secret)"},
		{name: "killed", cmd: `echo ` + canary + ` >&2; kill -9 $$`,
			want: "failed (signal: killed): run it by hand to see why (leadup never shows its output, which may hold the secret)"},
		{name: "not found", cmd: `no-such-password-manager-` + canary + ` show mail/imap`,
			want: "failed (exit status 127: not found): check the program's name and that it is in $PATH; run it by hand to see why (leadup never shows its output, which may hold the secret)"},
		{name: "not executable", cmd: `/dev/null ` + canary,
			want: "failed (exit status 126: not executable): chmod +x the program; run it by hand to see why (leadup never shows its output, which may hold the secret)"},
		{name: "timed out", cmd: `echo ` + canary + ` >&2; sleep 5`, short: true,
			want: "timed out after 30s: make the command print the secret without waiting for input"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := edited(t, "  host: imap.example.com\n", "  host: imap.example.com\n  password_cmd: \""+strings.ReplaceAll(tc.cmd, `"`, `\"`)+"\"\n")
			cfg, err := Load(write(t, text, 0o600))
			if err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()
			if tc.short {
				// The deadline the command meets is the caller's, not
				// SecretTimeout: the message is the same.
				c, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
				defer cancel()
				ctx = c
			}
			_, checkErr := cfg.ResolveSecrets(ctx)
			_, runErr := cfg.IMAP.Secret.Resolve(ctx)
			var ce *Error
			if !errors.As(checkErr, &ce) || len(ce.Problems) != 1 {
				t.Fatalf("check: want one problem, got %v", checkErr)
			}
			if p := ce.Problems[0]; p.Key != "imap.password_cmd" || p.Msg != tc.want {
				t.Errorf("check:\n got %s\nwant imap.password_cmd: %s", p, tc.want)
			}
			if runErr == nil || runErr.Error() != "imap.password_cmd: "+tc.want {
				t.Errorf("run time:\n got %v\nwant imap.password_cmd: %s", runErr, tc.want)
			}
			for _, s := range []string{checkErr.Error(), runErr.Error()} {
				if strings.Contains(s, canary) {
					t.Errorf("the command's output or line leaked: %q", s)
				}
			}
		})
	}
}
