package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// SecretTimeout bounds a password_cmd or token_cmd run.
const SecretTimeout = 30 * time.Second

// Secret is a reference to a password or OAuth token. The value is read only
// by Resolve, each time a connection needs it, and never stored in Config.
//
// Sources, first match wins: password_cmd / token_cmd, password_file, a
// literal password, $LEADUP_<KEY>_PASSWORD, then the systemd credential
// <key>-password in $CREDENTIALS_DIRECTORY. An smtp secret with none of the
// first three in the file tries $LEADUP_SMTP_PASSWORD and the credential
// smtp-password, then every imap source: most accounts share one password.
//
// Of a command's output, a file or a credential only the first line is the
// secret, as mbsync's PassCmd and msmtp's passwordeval read it: `pass show`
// prints the password, then lines like "user: alex" and "url: …".
type Secret struct {
	Key      string // "imap" or "smtp"
	Cmd      string
	File     string
	literal  string
	token    bool   // Cmd prints an OAuth token
	fallback string // the key whose sources this one borrows ("imap" for smtp)
}

// String never shows the value, so a Secret is safe in any log.
func (s Secret) String() string { return "[secret " + s.Source() + "]" }

// GoString keeps %#v from printing the literal.
func (s Secret) GoString() string { return s.String() }

func (s Secret) noSource() bool { return s.Cmd == "" && s.File == "" && s.literal == "" }

func envName(key string) string  { return "LEADUP_" + strings.ToUpper(key) + "_PASSWORD" }
func credName(key string) string { return key + "-password" }

// borrowed is the secret this one falls back to, under its own key, so
// its errors name the key the user wrote.
func (s Secret) borrowed() Secret {
	b := s
	b.Key, b.fallback = s.fallback, ""
	return b
}

// Source names where the secret comes from, for check output and errors.
func (s Secret) Source() string {
	if s.fallback != "" {
		return "$" + envName(s.Key) + ", the systemd credential " + credName(s.Key) + ", then " + s.borrowed().Source()
	}
	switch {
	case s.Cmd != "" && s.token:
		return s.Key + ".token_cmd"
	case s.Cmd != "":
		return s.Key + ".password_cmd"
	case s.File != "":
		return s.Key + ".password_file"
	case s.literal != "":
		return s.Key + ".password"
	}
	return "$" + envName(s.Key) + " or the systemd credential " + credName(s.Key)
}

// SecretError is a secret that could not be read when it was needed. At
// run time that is a failure (exit status 1) to retry or fix, not an invalid
// config: only ResolveSecrets, for `leadup check`, turns it into an *Error.
// Its text names the source, never the value, the command line (which may
// embed one) nor anything the command printed: a password manager may
// print the secret on stderr, and a wrapper running under `set -x` does.
type SecretError struct {
	Key string // the source, like "imap.password_cmd"
	Msg string // what went wrong and how to fix it

	missing bool // no source is set at all
}

// Error is "key: what is wrong"; for a missing secret only the message,
// which names the section itself ("no SMTP password: …").
func (e *SecretError) Error() string {
	if e.missing {
		return e.Msg
	}
	return e.Key + ": " + e.Msg
}

// ErrNoPassword is in the chain of the *SecretError of a secret with no
// source at all (errors.Is): nothing in this process can provide one, so
// retrying cannot help until the config or the environment changes.
var ErrNoPassword = errors.New("no password configured")

// Unwrap makes errors.Is(err, ErrNoPassword) true for a missing secret.
func (e *SecretError) Unwrap() error {
	if e.missing {
		return ErrNoPassword
	}
	return nil
}

// Temporary reports whether trying again later may succeed: a command that
// failed or timed out may work once a keyring is unlocked, an unreadable
// file once it is fixed elsewhere, but a secret with no source at all is
// missing for good (its fix is in the config or the unit file).
func (e *SecretError) Temporary() bool { return !e.missing }

// Resolve returns the secret's value. Errors are *SecretError.
func (s Secret) Resolve(ctx context.Context) (string, error) {
	v, _, err := s.resolve(ctx)
	return v, err
}

// resolve is Resolve that also says whether the source held more than the
// first line, which `leadup check` warns about.
func (s Secret) resolve(ctx context.Context) (v string, more bool, err error) {
	if s.fallback != "" {
		if v, ok, err := fromEnvironment(s.Key); ok {
			return v, false, err
		}
		v, more, err := s.borrowed().resolve(ctx)
		var se *SecretError
		if errors.As(err, &se) && se.missing {
			return "", false, noPassword(s)
		}
		return v, more, err
	}
	switch {
	case s.Cmd != "":
		return runSecretCmd(ctx, s.Source(), s.Cmd)
	case s.File != "":
		b, err := os.ReadFile(s.File)
		if err != nil {
			return "", false, &SecretError{Key: s.Source(), Msg: fmt.Sprintf("cannot read %s: %v", s.File, errors.Unwrap(err))}
		}
		v, err := firstLine(b, s.Source())
		return v, err == nil && hasMoreLines(b), err
	case s.literal != "":
		return s.literal, false, nil
	}
	if v, ok, err := fromEnvironment(s.Key); ok {
		return v, false, err
	}
	return "", false, noPassword(s)
}

// fromEnvironment reads $LEADUP_<KEY>_PASSWORD or the systemd credential
// <key>-password; ok is false when neither is there.
func fromEnvironment(key string) (v string, ok bool, err error) {
	if v := os.Getenv(envName(key)); v != "" {
		return v, true, nil
	}
	if dir := os.Getenv("CREDENTIALS_DIRECTORY"); dir != "" {
		b, err := os.ReadFile(filepath.Join(dir, credName(key)))
		if err == nil {
			v, err := firstLine(b, "credential "+credName(key))
			return v, true, err
		}
	}
	return "", false, nil
}

// noPassword is the error of a secret with no source: it names what is
// missing, under the section's key (no password key is set to blame), and
// every place a password may come from, in the order they are tried.
func noPassword(s Secret) *SecretError {
	msg := fmt.Sprintf("no %s password: set %s, export $%s, or add LoadCredential=%s to the systemd unit",
		strings.ToUpper(s.Key), passwordKeys(s.Key), envName(s.Key), credName(s.Key))
	if s.fallback != "" {
		f := s.fallback
		msg += fmt.Sprintf("; with none of these %s reuses %s's password, and %s has none either (%s, $%s or the credential %s)",
			s.Key, f, f, passwordKeys(f), envName(f), credName(f))
	}
	return &SecretError{Key: s.Key, Msg: msg, missing: true}
}

func passwordKeys(key string) string {
	return key + ".password_cmd, " + key + ".password_file or " + key + ".password"
}

func firstLine(b []byte, source string) (string, error) {
	v := strings.TrimRight(strings.SplitN(string(b), "\n", 2)[0], "\r \t")
	if v == "" {
		return "", &SecretError{Key: source, Msg: "is empty: put the password on the first line"}
	}
	return v, nil
}

// hasMoreLines reports whether anything but blank space follows the first
// line of b.
func hasMoreLines(b []byte) bool {
	_, rest, _ := strings.Cut(string(b), "\n")
	return strings.TrimSpace(rest) != ""
}

// runSecretCmd runs cmdline and returns the first line of its stdout; more
// says that other lines followed.
func runSecretCmd(ctx context.Context, source, cmdline string) (v string, more bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, SecretTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", cmdline)
	// stderr goes nowhere: nothing the command prints may reach a log.
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	cmd.WaitDelay = time.Second
	err = cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		return "", false, &SecretError{Key: source, Msg: fmt.Sprintf("timed out after %s: make the command print the secret without waiting for input", SecretTimeout)}
	}
	if err != nil {
		return "", false, &SecretError{Key: source, Msg: cmdFailure(err)}
	}
	out := stdout.Bytes()
	if strings.TrimSpace(string(out)) == "" {
		return "", false, &SecretError{Key: source, Msg: "printed nothing: the command must print the secret on stdout"}
	}
	v = strings.TrimRight(strings.SplitN(string(out), "\n", 2)[0], "\r \t")
	if v == "" {
		return "", false, &SecretError{Key: source, Msg: "printed an empty first line: leadup takes the secret from the first line of stdout"}
	}
	return v, hasMoreLines(out), nil
}

// byHand ends every failed-command message. It cannot quote the command
// line, which may embed the secret; the key before it says which line.
const byHand = "run it by hand to see why (leadup never shows its output, which may hold the secret)"

// cmdFailure says how a secret command failed from its exit status alone.
func cmdFailure(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		switch ee.ExitCode() {
		case 127: // the shell's "command not found"
			return "failed (exit status 127: not found): check the program's name and that it is in $PATH; " + byHand
		case 126: // the shell's "found but cannot execute"
			return "failed (exit status 126: not executable): chmod +x the program; " + byHand
		}
	}
	if errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
		return "failed: /bin/sh not found: leadup runs the command with /bin/sh -c"
	}
	return fmt.Sprintf("failed (%v): %s", err, byHand)
}

// ResolveSecrets checks that every configured secret can be read, without
// keeping the values: `leadup check` runs it so a broken password_cmd is found
// before the daemon needs it. Failures are collected into one *Error (exit
// status 2). A secret with no source at all is only a warning: under systemd
// it comes from $CREDENTIALS_DIRECTORY, which a shell does not have.
//
// As in Resolve, a failing command is reported by its exit status alone,
// never by what it printed: `leadup check` output is pasted into bug
// reports and CI logs, and a password manager may print the secret on
// stderr.
func (c *Config) ResolveSecrets(ctx context.Context) (warnings []string, err error) {
	var problems []Problem
	for _, s := range []Secret{c.IMAP.Secret, c.SMTP.Secret} {
		var err error
		var more bool
		if s.fallback != "" {
			// Only its own environment: the borrowed sources are imap's,
			// checked once.
			_, _, err = fromEnvironment(s.Key)
		} else {
			_, more, err = s.resolve(ctx)
		}
		var se *SecretError
		switch {
		case err == nil && more:
			// Only that there was more, never what it was.
			warnings = append(warnings, moreLinesWarning(s))
		case err == nil:
		case errors.As(err, &se) && se.missing:
			warnings = append(warnings, fmt.Sprintf("%s: no password here; leadup will need $%s or the systemd credential %s when it runs", s.Key, envName(s.Key), credName(s.Key)))
		case errors.As(err, &se):
			problems = append(problems, Problem{Key: se.Key, Msg: se.Msg})
		default:
			problems = append(problems, Problem{Key: s.Source(), Msg: err.Error()})
		}
	}
	if len(problems) > 0 {
		return warnings, &Error{File: c.File, Problems: problems}
	}
	return warnings, nil
}

// moreLinesWarning says that a secret's source held more than its first
// line, which is all leadup uses.
func moreLinesWarning(s Secret) string {
	if s.Cmd != "" {
		return s.Source() + " printed more than one line: leadup uses only the first as the secret (as mbsync's PassCmd and msmtp's passwordeval do); if the login fails, make the command print the secret on its first line"
	}
	return s.Source() + " has more than one line: leadup uses only the first as the secret; if the login fails, put the secret alone on the first line"
}
