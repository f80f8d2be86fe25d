package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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
// <key>-password in $CREDENTIALS_DIRECTORY.
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

func (s Secret) envName() string {
	k := s.Key
	if s.fallback != "" {
		k = s.fallback
	}
	return "LEADUP_" + strings.ToUpper(k) + "_PASSWORD"
}

func (s Secret) credName() string {
	k := s.Key
	if s.fallback != "" {
		k = s.fallback
	}
	return k + "-password"
}

// Source names where the secret comes from, for check output and errors.
func (s Secret) Source() string {
	switch {
	case s.Cmd != "" && s.token:
		return s.Key + ".token_cmd"
	case s.Cmd != "":
		return s.origin() + ".password_cmd"
	case s.File != "":
		return s.origin() + ".password_file"
	case s.literal != "":
		return s.origin() + ".password"
	}
	return "$" + s.envName() + " or the systemd credential " + s.credName()
}

func (s Secret) origin() string {
	if s.fallback != "" {
		return s.fallback
	}
	return s.Key
}

// IsToken reports whether the secret is an OAuth token.
func (s Secret) IsToken() bool { return s.token }

// Resolve returns the secret's value. Errors name the source, never the value
// nor the command line (which may embed one).
func (s Secret) Resolve(ctx context.Context) (string, error) {
	switch {
	case s.Cmd != "":
		return runSecretCmd(ctx, s.Source(), s.Cmd)
	case s.File != "":
		b, err := os.ReadFile(s.File)
		if err != nil {
			return "", &Error{File: "secret", Problems: []Problem{{Key: s.Source(), Msg: fmt.Sprintf("cannot read %s: %v", s.File, errors.Unwrap(err))}}}
		}
		return firstLine(b, s.Source())
	case s.literal != "":
		return s.literal, nil
	}
	if v := os.Getenv(s.envName()); v != "" {
		return v, nil
	}
	if dir := os.Getenv("CREDENTIALS_DIRECTORY"); dir != "" {
		b, err := os.ReadFile(filepath.Join(dir, s.credName()))
		if err == nil {
			return firstLine(b, "credential "+s.credName())
		}
	}
	return "", &Error{File: "secret", Problems: []Problem{{Key: s.origin() + ".password_cmd",
		Msg: fmt.Sprintf("no password: set %s.password_cmd or %s.password_file, export $%s, or add LoadCredential=%s to the systemd unit", s.origin(), s.origin(), s.envName(), s.credName())}}}
}

func firstLine(b []byte, source string) (string, error) {
	v := strings.TrimRight(strings.SplitN(string(b), "\n", 2)[0], "\r \t")
	if v == "" {
		return "", &Error{File: "secret", Problems: []Problem{{Key: source, Msg: "is empty: put the password on the first line"}}}
	}
	return v, nil
}

func runSecretCmd(ctx context.Context, source, cmdline string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, SecretTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", cmdline)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		return "", &Error{File: "secret", Problems: []Problem{{Key: source, Msg: fmt.Sprintf("timed out after %s: make the command print the secret without waiting for input", SecretTimeout)}}}
	}
	if err != nil {
		msg := fmt.Sprintf("failed (%v)", err)
		// The first line of stderr usually says why (locked store, no such
		// entry); it never holds the secret, which goes to stdout.
		if line := strings.TrimSpace(strings.SplitN(stderr.String(), "\n", 2)[0]); line != "" {
			msg += ": " + truncate(line, 160)
		}
		return "", &Error{File: "secret", Problems: []Problem{{Key: source, Msg: msg + ": run the command by hand to see what it needs"}}}
	}
	v := strings.TrimSpace(stdout.String())
	if v == "" {
		return "", &Error{File: "secret", Problems: []Problem{{Key: source, Msg: "printed nothing: the command must print the secret on stdout"}}}
	}
	return v, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// ResolveSecrets checks that every configured secret can be read, without
// keeping the values: `leadup check` runs it so a broken password_cmd is found
// before the daemon needs it. Errors are collected into one *Error. A secret
// with no source in the file is only a warning when it is not in the
// environment either: under systemd it comes from $CREDENTIALS_DIRECTORY,
// which a shell does not have.
func (c *Config) ResolveSecrets(ctx context.Context) (warnings []string, err error) {
	var problems []Problem
	for _, s := range []Secret{c.IMAP.Secret, c.SMTP.Secret} {
		if s.Key == "smtp" && s.fallback != "" {
			continue // the same source as imap: checked once
		}
		if _, err := s.Resolve(ctx); err != nil {
			var ce *Error
			switch {
			case s.noSource():
				warnings = append(warnings, fmt.Sprintf("%s: no password here; leadup will need $%s or the systemd credential %s when it runs", s.Key, s.envName(), s.credName()))
			case errors.As(err, &ce):
				problems = append(problems, ce.Problems...)
			default:
				problems = append(problems, Problem{Key: s.Source(), Msg: err.Error()})
			}
		}
	}
	if len(problems) > 0 {
		return warnings, &Error{File: c.File, Problems: problems}
	}
	return warnings, nil
}
