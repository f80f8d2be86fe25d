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

func (e *SecretError) Error() string { return e.Key + ": " + e.Msg }

// Resolve returns the secret's value. Errors are *SecretError.
func (s Secret) Resolve(ctx context.Context) (string, error) {
	if s.fallback != "" {
		if v, ok, err := fromEnvironment(s.Key); ok {
			return v, err
		}
		v, err := s.borrowed().Resolve(ctx)
		var se *SecretError
		if errors.As(err, &se) && se.missing {
			return "", noPassword(s)
		}
		return v, err
	}
	switch {
	case s.Cmd != "":
		return runSecretCmd(ctx, s.Source(), s.Cmd)
	case s.File != "":
		b, err := os.ReadFile(s.File)
		if err != nil {
			return "", &SecretError{Key: s.Source(), Msg: fmt.Sprintf("cannot read %s: %v", s.File, errors.Unwrap(err))}
		}
		return firstLine(b, s.Source())
	case s.literal != "":
		return s.literal, nil
	}
	if v, ok, err := fromEnvironment(s.Key); ok {
		return v, err
	}
	return "", noPassword(s)
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

func noPassword(s Secret) *SecretError {
	msg := fmt.Sprintf("no password: set %s.password_cmd or %s.password_file, export $%s, or add LoadCredential=%s to the systemd unit", s.Key, s.Key, envName(s.Key), credName(s.Key))
	if s.fallback != "" {
		msg += fmt.Sprintf("; without these it uses %s's password, and %s has none either", s.fallback, s.fallback)
	}
	return &SecretError{Key: s.Key + ".password_cmd", Msg: msg, missing: true}
}

func firstLine(b []byte, source string) (string, error) {
	v := strings.TrimRight(strings.SplitN(string(b), "\n", 2)[0], "\r \t")
	if v == "" {
		return "", &SecretError{Key: source, Msg: "is empty: put the password on the first line"}
	}
	return v, nil
}

func runSecretCmd(ctx context.Context, source, cmdline string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, SecretTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", cmdline)
	// stderr goes nowhere: nothing the command prints may reach a log.
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		return "", &SecretError{Key: source, Msg: fmt.Sprintf("timed out after %s: make the command print the secret without waiting for input", SecretTimeout)}
	}
	if err != nil {
		return "", &SecretError{Key: source, Msg: cmdFailure(err)}
	}
	v := strings.TrimSpace(stdout.String())
	if v == "" {
		return "", &SecretError{Key: source, Msg: "printed nothing: the command must print the secret on stdout"}
	}
	return v, nil
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
		if s.fallback != "" {
			// Only its own environment: the borrowed sources are imap's,
			// checked once.
			_, _, err = fromEnvironment(s.Key)
		} else {
			_, err = s.Resolve(ctx)
		}
		var se *SecretError
		switch {
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
