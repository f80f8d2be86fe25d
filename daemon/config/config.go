// Package config loads leadup's one YAML file: viper decodes it strictly,
// then validation turns every value into a typed one and collects every
// problem at once, each with its key path and what would fix it. Secrets are
// kept as references (a command, a file, an environment variable, a systemd
// credential) and resolved only when a connection needs them.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/leadup/leadup/daemon/calendar"
	"github.com/robfig/cron/v3"
)

// Roles of a stakeholder.
const (
	RoleBoss  = "boss"
	RoleSkip  = "skip"
	RolePeer  = "peer"
	RoleOther = "other"
)

// Styles of update a stakeholder prefers.
const (
	StyleDetailed = "detailed"
	StyleSummary  = "summary"
)

// TLS modes.
const (
	TLSImplicit = "implicit"
	TLSStartTLS = "starttls"
	TLSNone     = "none"
)

// Config is a loaded and validated configuration. It holds no secret, only
// references to them, so it is safe to log (it never is, all the same).
type Config struct {
	File string // the file it was read from

	Me           Me
	Location     *time.Location
	Calendar     calendar.Calendar
	IMAP         Server
	SMTP         Server
	Projects     []Project
	Stakeholders []Stakeholder
	Reminders    Reminders
	Digest       Digest
	Poll         time.Duration
	StatePath    string // "" means the default under $XDG_STATE_HOME
	TemplatesDir string

	// Warnings are problems that do not stop leadup, such as a literal
	// password in a file others can read.
	Warnings []string
}

// Me is the user.
type Me struct {
	Name    string
	Email   string
	Aliases []string
}

// Addresses returns the user's address and aliases, lowercased.
func (m Me) Addresses() []string {
	out := []string{strings.ToLower(m.Email)}
	for _, a := range m.Aliases {
		out = append(out, strings.ToLower(a))
	}
	return out
}

// Server is an IMAP or SMTP server.
type Server struct {
	Host         string
	Port         int
	TLS          string // TLSImplicit, TLSStartTLS or TLSNone
	Username     string
	Auth         string // "password", "xoauth2" or (IMAP only) "oauthbearer"
	CAFile       string
	SentFolder   string // IMAP only; "" = discover
	DraftsFolder string // IMAP only; "" = discover
	Secret       Secret // the password, or the OAuth token for xoauth2/oauthbearer
	// Timeout is how long the server may stay silent before the
	// connection counts as broken; 0 = the default (60 s).
	Timeout time.Duration
}

// Project is one status label.
type Project struct {
	Name  string
	Label string
}

// Stakeholder is a person the user keeps informed.
type Stakeholder struct {
	Name    string
	Email   string // lowercased
	Role    string
	Cadence calendar.Span
	Max     calendar.Span // zero when unset
	Style   string
	// Priorities are project names in the order this person cares about
	// them: their draft lists the projects in that order.
	Priorities []string
}

// Reminders says when reminders go out.
type Reminders struct {
	Hour, Minute int
	RepeatAfter  calendar.Span
}

// Digest says when and to whom the weekly draft goes.
type Digest struct {
	Schedule     cron.Schedule
	ScheduleText string
	To           string
	DraftFor     *Stakeholder // nil: no draft in Drafts
	Lookback     calendar.Span
}

// Stakeholder returns the stakeholder with the name or email given,
// case-insensitively.
func (c *Config) Stakeholder(nameOrEmail string) (*Stakeholder, bool) {
	for i := range c.Stakeholders {
		s := &c.Stakeholders[i]
		if strings.EqualFold(s.Name, nameOrEmail) || strings.EqualFold(s.Email, nameOrEmail) {
			return s, true
		}
	}
	return nil, false
}

// Boss returns the first stakeholder with role boss.
func (c *Config) Boss() (*Stakeholder, bool) {
	for i := range c.Stakeholders {
		if c.Stakeholders[i].Role == RoleBoss {
			return &c.Stakeholders[i], true
		}
	}
	return nil, false
}

// Problem is one thing wrong with a config: the key it is about and what is
// wrong, saying how to fix it.
type Problem struct {
	Key string
	Msg string
}

func (p Problem) String() string {
	if p.Key == "" {
		return p.Msg
	}
	return p.Key + ": " + p.Msg
}

// Error lists every problem found in a config file. Its text is one problem
// per line, each naming the key.
type Error struct {
	File     string
	Problems []Problem
}

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = e.File + ": " + p.String()
	}
	return strings.Join(lines, "\n")
}

// IsConfigError reports whether err is a problem with the configuration (exit
// status 2) rather than a runtime failure.
func IsConfigError(err error) bool {
	var ce *Error
	return errors.As(err, &ce)
}

// DefaultPath is where the config is looked for without --config:
// $LEADUP_CONFIG, then $XDG_CONFIG_HOME/leadup/config.yaml, then
// ~/.config/leadup/config.yaml.
func DefaultPath() string {
	if p := os.Getenv("LEADUP_CONFIG"); p != "" {
		return p
	}
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return filepath.Join(".config", "leadup", "config.yaml")
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "leadup", "config.yaml")
}

func problemf(key, format string, args ...any) Problem {
	return Problem{Key: key, Msg: fmt.Sprintf(format, args...)}
}
