package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestCheckSecretCmdShowsNoOutput: `leadup check` with a password_cmd that
// writes on stderr and fails says it failed, with its exit status and a
// hint to run it by hand, and shows nothing the command printed (nor its
// command line, which here holds the canary too).
func TestCheckSecretCmdShowsNoOutput(t *testing.T) {
	const canary = "SECRET-CANARY"
	for _, k := range []string{"LEADUP_IMAP_PASSWORD", "LEADUP_SMTP_PASSWORD", "CREDENTIALS_DIRECTORY"} {
		t.Setenv(k, "")
	}
	path := writeConfig(t, edit("  host: imap.example.com", "  host: imap.example.com\n  password_cmd: \"sh -c 'echo "+canary+" >&2; exit 3'\""))
	code, stdout, stderr := leadup(t, "check", "--config", path)
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	want := path + ": imap.password_cmd: failed (exit status 3): run it by hand to see why (leadup never shows its output, which may hold the secret)\n"
	if stderr != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, want)
	}
	if strings.Contains(stdout+stderr, canary) {
		t.Errorf("the command's stderr or line leaked:\n%s%s", stdout, stderr)
	}
}

// TestCheckConfigGaps: each gap is one line naming the key and the fix,
// and exit status 2, from check and from the commands that load the config.
func TestCheckConfigGaps(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		config string
		line   string // the whole line after "FILE: "
	}{
		{"imap port 0", edit("  host: imap.example.com", "  host: imap.example.com\n  port: 0"),
			"imap.port: 0 is not a port: remove the key to use the default (993 here), or use 1-65535"},
		{"smtp port 0", edit("  port: 587", "  port: 0"),
			"smtp.port: 0 is not a port: remove the key to use the default (465 here), or use 1-65535"},
		{"negative port", edit("  port: 587", "  port: -1"),
			"smtp.port: -1 is not a port: use 1-65535 (usually 465 for implicit TLS, 587 for STARTTLS)"},
		{"state is a directory", validConfig + "state: " + dir + "\n",
			"state: " + dir + " is a directory: name the database file, e.g. " + dir + "/state.db"},
		{"state in a file", validConfig + "state: " + file + "/state.db\n",
			"state: " + file + " is not a directory, so " + file + "/state.db cannot be created in it: name a file in a directory, e.g. ~/.local/state/leadup/state.db"},
		{"me.name with a line break", edit("  name: Alex Doe", `  name: "Alex\nBcc: eve@example.com"`),
			"me.name: contains a line break: put the name on one line"},
		{"me.name too long", edit("  name: Alex Doe", "  name: "+strings.Repeat("a", 300)),
			"me.name: is 300 bytes long: keep it to 200, just the name"},
		{"stakeholder name with a control character", edit("  - name: Jane Smith", `  - name: "Jane\x1bSmith"`),
			"stakeholders[0].name: contains the control character U+001B: remove it"},
		{"digest.to with a line break", validConfig + "digest:\n  to: \"a@example.com\\r\\nBcc: eve@example.com\"\n",
			"digest.to: contains a line break: put the address on one line"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeConfig(t, tc.config)
			for _, cmd := range [][]string{{"check"}, {"status"}, {"checkin", "Jane Smith"}} {
				code, _, stderr := leadup(t, append(cmd, "--config", path)...)
				if code != 2 {
					t.Errorf("leadup %s: exit %d, want 2", cmd[0], code)
				}
				if want := path + ": " + tc.line + "\n"; stderr != want {
					t.Errorf("leadup %s: stderr:\n%s\nwant:\n%s", cmd[0], stderr, want)
				}
			}
		})
	}
}

// TestCheckUnreadableConfig: a config file leadup may not read, or a
// directory, is reported as that with a fix, never as a YAML error. Root
// reads any file, so as root the test binary runs leadup as nobody.
func TestCheckUnreadableConfig(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := leadup(t, "check", "--config", dir)
	if want := dir + ": is a directory: pass the config file itself with --config FILE\n"; code != 2 || stderr != want {
		t.Errorf("a directory: exit %d, stderr:\n%s\nwant exit 2 and:\n%s", code, stderr, want)
	}

	for _, tc := range []struct {
		name     string
		closeDir bool // close the file's directory rather than the file
		want     string
	}{
		{"unreadable file", false, ": permission denied: make it readable by this user (chmod 600 FILE, and chown it if another user owns it)\n"},
		{"unsearchable directory", true, ": permission denied on a directory above it: let this user search every directory in the path (chmod +x)\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeConfig(t, validConfig)
			want := path + strings.ReplaceAll(tc.want, "FILE", path)
			if os.Geteuid() != 0 {
				closed := path
				if tc.closeDir {
					closed = filepath.Dir(path)
				}
				if err := os.Chmod(closed, 0o000); err != nil {
					t.Fatal(err)
				}
				defer os.Chmod(closed, 0o700) // so t.TempDir can remove it
				code, _, stderr = leadup(t, "check", "--config", path)
			} else {
				code, stderr = checkAsNobody(t, path, !tc.closeDir)
			}
			if code != 2 || stderr != want {
				t.Errorf("exit %d, stderr:\n%s\nwant exit 2 and:\n%s", code, stderr, want)
			}
			if strings.Contains(stderr, "YAML") {
				t.Errorf("a read error reported as YAML:\n%s", stderr)
			}
		})
	}
}

// checkAsNobody runs `leadup check --config path` as uid and gid 65534,
// from a copy of this test binary (see the init in signal_test.go) that
// nobody may execute. The file itself stays root's 0600; its directory is
// opened to nobody when openDir is set, and stays root's 0700 otherwise.
func checkAsNobody(t *testing.T, path string, openDir bool) (code int, stderr string) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	binDir := t.TempDir()
	bin := filepath.Join(binDir, "leadup.test")
	copyFile(t, self, bin)
	dirMode := os.FileMode(0o700)
	if openDir {
		dirMode = 0o755
	}
	for d, mode := range map[string]os.FileMode{binDir: 0o755, filepath.Dir(binDir): 0o755, filepath.Dir(filepath.Dir(path)): 0o755, filepath.Dir(path): dirMode} {
		if err := os.Chmod(d, mode); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, "check", "--config", path)
	cmd.Dir = binDir
	cmd.Env = append(os.Environ(), "LEADUP_TEST_AS_MAIN=1", "HOME="+binDir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	var errb bytes.Buffer
	cmd.Stderr = &errb
	err = cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return ee.ExitCode(), errb.String()
	case errors.Is(err, syscall.EPERM):
		t.Skipf("cannot run a process as another user here: %v", err)
	case err != nil:
		t.Fatal(err)
	}
	return 0, errb.String()
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
