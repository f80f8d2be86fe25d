package nudge

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/leadup/leadup/daemon/calendar"
)

// Reply command kinds.
const (
	CmdDone   = "done"
	CmdSnooze = "snooze"
	CmdSkip   = "skip"
	CmdAway   = "away"
)

// Command is what the user asked for in a reply to a reminder. Until is set
// for snooze (the end of the snooze) and away (the first moment back).
type Command struct {
	Kind  string
	Until time.Time
}

// ErrNoCommand is returned by ParseReply when the reply holds no text.
var ErrNoCommand = errors.New("the reply is empty: answer with done, snooze 3 days, skip or away until 2027-01-04")

// ParseReply reads the user's answer to a reminder: the first non-empty line
// of body, case-insensitive, trailing punctuation ignored:
//
//	done                    the user has updated everyone in the reminder
//	snooze 3 days           no reminders about them for that span (any Span;
//	                        plain "snooze" is 1 day). Spans of days, workdays
//	                        and weeks end at the start of the day they reach,
//	                        so "snooze 1 day" sent at 09:45 makes tomorrow's
//	                        09:30 reminder possible again.
//	skip                    skip this due period: no reminders about them until
//	                        their cadence has passed once more, counted from now
//	away until 2027-01-04   the user is away through that date (inclusive, like
//	                        the config's away ranges): no reminders at all, and
//	                        the cadence clocks stand still
//
// Command.Apply turns a command into updates and pauses.
func ParseReply(body string, now time.Time, cal calendar.Calendar) (Command, error) {
	if cal.Loc == nil {
		cal.Loc = time.UTC
	}
	var line string
	for _, l := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			line = l
			break
		}
	}
	if line == "" {
		return Command{}, ErrNoCommand
	}
	line = strings.ToLower(strings.TrimRight(line, ".!,;: "))
	f := strings.Fields(line)
	if len(f) == 0 {
		return Command{}, ErrNoCommand
	}
	switch f[0] {
	case CmdDone, CmdSkip:
		if len(f) != 1 {
			break
		}
		return Command{Kind: f[0]}, nil
	case CmdSnooze:
		s := calendar.Span{N: 1, Unit: calendar.Days}
		if len(f) > 1 {
			var err error
			if s, err = calendar.ParseSpan(strings.Join(f[1:], " ")); err != nil {
				return Command{}, fmt.Errorf("snooze: %w", err)
			}
		}
		until := cal.Add(now, s)
		if s.Unit != calendar.Minutes && s.Unit != calendar.Hours {
			until = calendar.DateOf(until, cal.Loc).Start(cal.Loc)
		}
		if !until.After(now) {
			return Command{}, fmt.Errorf("snooze %s: too long to count", s)
		}
		return Command{Kind: CmdSnooze, Until: until}, nil
	case CmdAway:
		if len(f) != 3 || f[1] != "until" {
			break
		}
		d, err := time.ParseInLocation(time.DateOnly, f[2], cal.Loc)
		if err != nil {
			return Command{}, fmt.Errorf("away until %q: the date must look like 2027-01-04", f[2])
		}
		back := calendar.DateOf(d, cal.Loc).AddDays(1).Start(cal.Loc)
		if !back.After(now) {
			return Command{}, fmt.Errorf("away until %s: that date has passed", f[2])
		}
		return Command{Kind: CmdAway, Until: back}, nil
	}
	return Command{}, fmt.Errorf("%q is not a reminder command: answer with done, snooze 3 days, skip or away until 2027-01-04", line)
}

// Apply turns a reply to the reminder that covered emails into what leadup
// stores: done gives an update (source "reply") per stakeholder; snooze and
// skip a pause per stakeholder; away one pause for everyone. stakeholders
// gives skip each person's cadence (a week when they have none).
func (c Command) Apply(now time.Time, cal calendar.Calendar, emails []string, stakeholders []Stakeholder) ([]Update, []Pause) {
	if cal.Loc == nil {
		cal.Loc = time.UTC
	}
	var ups []Update
	var ps []Pause
	switch c.Kind {
	case CmdDone:
		for _, e := range emails {
			ups = append(ups, Update{Email: e, At: now, Subject: "done (reply to a leadup reminder)", Source: SourceReply})
		}
	case CmdSnooze:
		for _, e := range emails {
			ps = append(ps, Pause{Email: e, From: now, Until: c.Until, Reason: ReasonSnooze})
		}
	case CmdSkip:
		for _, e := range emails {
			cad := calendar.Span{N: 1, Unit: calendar.Weeks}
			for _, s := range stakeholders {
				if normAddr(s.Email) == normAddr(e) && !s.Cadence.IsZero() {
					cad = s.Cadence
				}
			}
			until := calendar.DateOf(cal.Add(now, cad), cal.Loc).Start(cal.Loc)
			ps = append(ps, Pause{Email: e, From: now, Until: until, Reason: ReasonSkip})
		}
	case CmdAway:
		ps = append(ps, Pause{From: now, Until: c.Until, Reason: ReasonAway})
	}
	return ups, ps
}
