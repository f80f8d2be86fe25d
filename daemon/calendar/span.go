// Package calendar knows the user's working time: spans in words ("5
// workdays", "2 weeks"), the configured workdays, holidays and away ranges,
// all in one IANA time zone. Cadences and schedules are computed here so that
// "5 workdays" means the same thing everywhere in leadup.
package calendar

import (
	"fmt"
	"strconv"
	"strings"
)

// Unit is the unit of a Span.
type Unit int

const (
	Minutes Unit = iota + 1
	Hours
	Days
	Workdays
	Weeks
)

var unitNames = map[string]Unit{
	"minute": Minutes, "minutes": Minutes, "min": Minutes, "mins": Minutes,
	"hour": Hours, "hours": Hours, "h": Hours,
	"day": Days, "days": Days, "d": Days,
	"workday": Workdays, "workdays": Workdays, "business day": Workdays, "business days": Workdays,
	"week": Weeks, "weeks": Weeks, "w": Weeks,
	// German, French, Spanish, for replies to reminders ("snooze 3 Tage")
	"stunde": Hours, "stunden": Hours, "heure": Hours, "heures": Hours, "hora": Hours, "horas": Hours,
	"tag": Days, "tage": Days, "tagen": Days, "jour": Days, "jours": Days, "día": Days, "días": Days, "dia": Days, "dias": Days,
	"arbeitstag": Workdays, "arbeitstage": Workdays, "arbeitstagen": Workdays, "jour ouvré": Workdays, "jours ouvrés": Workdays,
	"día hábil": Workdays, "días hábiles": Workdays, "dia habil": Workdays, "dias habiles": Workdays,
	"woche": Weeks, "wochen": Weeks, "semaine": Weeks, "semaines": Weeks, "semana": Weeks, "semanas": Weeks,
}

// Span is a length of time as a person says it: a count and a unit. Workdays
// cannot be turned into a fixed duration; they are counted on a Calendar.
type Span struct {
	N    int
	Unit Unit
}

// IsZero reports whether the span is unset.
func (s Span) IsZero() bool { return s.N == 0 || s.Unit == 0 }

// String renders the span the way it is written in the config.
func (s Span) String() string {
	if s.IsZero() {
		return ""
	}
	name := map[Unit]string{Minutes: "minute", Hours: "hour", Days: "day", Workdays: "workday", Weeks: "week"}[s.Unit]
	if s.N != 1 {
		name += "s"
	}
	return fmt.Sprintf("%d %s", s.N, name)
}

// ParseSpan parses "3 days", "2 weeks", "5 workdays", "90 minutes", "1 hour".
func ParseSpan(s string) (Span, error) {
	f := strings.Fields(strings.ToLower(strings.TrimSpace(s)))
	if len(f) < 2 {
		return Span{}, fmt.Errorf("%q is not a span: write a number and a unit, like \"5 workdays\", \"3 days\" or \"2 weeks\"", s)
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n <= 0 {
		return Span{}, fmt.Errorf("%q is not a span: the count must be a whole number above 0, like \"5 workdays\"", s)
	}
	u, ok := unitNames[strings.Join(f[1:], " ")]
	if !ok {
		return Span{}, fmt.Errorf("%q is not a span: the unit must be minutes, hours, days, workdays or weeks", s)
	}
	return Span{N: n, Unit: u}, nil
}
