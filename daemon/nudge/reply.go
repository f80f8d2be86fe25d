package nudge

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/leadup/leadup/daemon/calendar"
	"github.com/leadup/leadup/daemon/reading"
)

// untilWords come between "away" and its date, in the lexicon's languages.
var untilWords = map[string]bool{
	"until": true, "till": true, "til": true, "through": true, "thru": true, "to": true,
	"bis": true, "zum": true, "jusqu'au": true, "jusqu’au": true, "au": true, "hasta": true, "el": true,
}

func isCount(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// parseSpanPrefix reads a span from the first words of ws ("3 days
// please", "2 Wochen").
func parseSpanPrefix(ws []string) (calendar.Span, error) {
	var err error
	for n := min(len(ws), 3); n >= 2; n-- {
		var s calendar.Span
		if s, err = calendar.ParseSpan(strings.Join(ws[:n], " ")); err == nil {
			return s, nil
		}
	}
	if err == nil {
		_, err = calendar.ParseSpan(strings.Join(ws, " "))
	}
	return calendar.Span{}, err
}

// replyMonths are month names a reply may use, in the lexicon's languages.
var replyMonths = map[string]time.Month{
	"january": 1, "jan": 1, "januar": 1, "janvier": 1, "enero": 1, "february": 2, "feb": 2, "februar": 2, "février": 2, "febrero": 2,
	"march": 3, "mar": 3, "märz": 3, "mars": 3, "marzo": 3, "april": 4, "apr": 4, "avril": 4, "abril": 4,
	"may": 5, "mai": 5, "mayo": 5, "june": 6, "jun": 6, "juni": 6, "juin": 6, "junio": 6,
	"july": 7, "jul": 7, "juli": 7, "juillet": 7, "julio": 7, "august": 8, "aug": 8, "août": 8, "agosto": 8,
	"september": 9, "sep": 9, "sept": 9, "septembre": 9, "septiembre": 9, "october": 10, "oct": 10, "oktober": 10, "octobre": 10, "octubre": 10,
	"november": 11, "nov": 11, "novembre": 11, "noviembre": 11, "december": 12, "dec": 12, "dezember": 12, "décembre": 12, "diciembre": 12,
}

// parseReplyDate reads "2027-01-08", "08.01.2027", "8 January", "8
// January 2027" or "January 8"; a date without a year is its next
// occurrence.
func parseReplyDate(ws []string, now time.Time, loc *time.Location) (time.Time, bool) {
	for _, layout := range []string{time.DateOnly, "02.01.2006", "2.1.2006"} {
		if d, err := time.ParseInLocation(layout, ws[0], loc); err == nil {
			return d, true
		}
	}
	if len(ws) < 2 {
		return time.Time{}, false
	}
	day, month := ws[0], ws[1]
	if _, ok := replyMonths[strings.TrimSuffix(day, ".")]; ok {
		day, month = ws[1], ws[0]
	}
	m, ok := replyMonths[strings.TrimSuffix(month, ".")]
	var dn int
	if _, err := fmt.Sscanf(strings.TrimRight(strings.TrimSuffix(day, "."), "stndrh"), "%d", &dn); err != nil || !ok || dn < 1 || dn > 31 {
		return time.Time{}, false
	}
	y := now.In(loc).Year()
	if len(ws) > 2 {
		if _, err := fmt.Sscanf(ws[2], "%d", &y); err != nil {
			y = now.In(loc).Year()
		}
	}
	d := time.Date(y, m, dn, 0, 0, 0, 0, loc)
	if len(ws) <= 2 && d.Before(calendar.DateOf(now, loc).Start(loc)) {
		d = d.AddDate(1, 0, 0)
	}
	return d, true
}

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
	var f []string
	for _, w := range strings.Fields(line) {
		if w = strings.Trim(w, ".!?,;:()\"'"); w != "" && w != "-" && w != "–" {
			f = append(f, w)
		}
	}
	if len(f) == 0 {
		return Command{}, ErrNoCommand
	}
	// The command in any language of the lexicon ("erledigt", "plus tard",
	// "skip this one"); what follows it is its argument, or a remark
	// ("done, thanks!", "done - told her in our 1:1").
	kind, n := reading.Default.Command(f)
	rest := f[n:]
	// A remark after the command is set off by punctuation ("done, thanks",
	// "done - told her"); words that run on ("done with jane, not raj")
	// qualify it, which leadup cannot do: the user is told instead.
	raw := strings.Fields(line)
	remark := len(rest) == 0 || n > 0 && n <= len(raw) && (strings.ContainsAny(raw[n-1][len(raw[n-1])-1:], ",.!;:") ||
		n < len(raw) && (raw[n] == "-" || raw[n] == "–" || raw[n] == "—"))
	switch kind {
	case CmdDone, CmdSkip:
		if !remark {
			break
		}
		return Command{Kind: kind}, nil
	case CmdSnooze:
		if len(rest) > 0 && !remark && !isCount(rest[0]) && !(rest[0] == "for" && len(rest) > 1 && isCount(rest[1])) {
			break // "snooze for a bit"
		}
		s := calendar.Span{N: 1, Unit: calendar.Days}
		if len(rest) > 0 && rest[0] == "for" {
			rest = rest[1:]
		}
		if len(rest) > 0 && isCount(rest[0]) {
			var err error
			// "3 days please": the span is the count and its unit.
			if s, err = parseSpanPrefix(rest); err != nil {
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
		for len(rest) > 0 && untilWords[rest[0]] {
			rest = rest[1:]
		}
		if len(rest) == 0 {
			break
		}
		d, ok := parseReplyDate(rest, now, cal.Loc)
		if !ok {
			return Command{}, fmt.Errorf("away until %q: write the date like 2027-01-04, 04.01.2027 or 4 January", strings.Join(rest, " "))
		}
		back := calendar.DateOf(d, cal.Loc).AddDays(1).Start(cal.Loc)
		if !back.After(now) {
			return Command{}, fmt.Errorf("away until %s: that date has passed", d.Format(time.DateOnly))
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
