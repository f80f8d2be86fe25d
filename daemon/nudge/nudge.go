// Package nudge decides who the user should check in with, and when to tell
// them: for each stakeholder, the last update, the ideal window (cadence,
// amber once passed) and the hard one (max, red), the asks still waiting for
// an answer, pauses (snooze, skip, away, out of office), and what happened on
// the projects since. Plan turns that into at most one reminder a day, Render
// into a mail, and ParseReply reads the user's answer to it.
//
// It is pure logic: every function works from its inputs and an explicit
// now, in nudge's own types, which the daemon fills from the store. Inputs
// dated after now are ignored, so a simulated --now in the past reads a
// store that already holds later mail as if that mail had not arrived yet.
package nudge

import (
	"net/mail"
	"strings"
	"time"

	"github.com/leadup/leadup/daemon/calendar"
)

// Levels of an Entry, in the words of `leadup status`.
const (
	OK    = "ok"    // within the cadence
	Amber = "amber" // past the cadence, the ideal gap
	Red   = "red"   // past max, the hard limit
)

// Update sources.
const (
	SourceMail    = "mail"    // a message in Sent addressed to the stakeholder
	SourceCheckin = "checkin" // `leadup checkin NAME`
	SourceReply   = "reply"   // a "done" reply to a reminder
)

// Pause reasons. ReasonAway applies to everyone (Email "") and also stops
// the cadence clocks, like an away range in the config; the others only hold
// back reminders for one stakeholder.
const (
	ReasonSnooze = "snooze"
	ReasonSkip   = "skip"
	ReasonAway   = "away"
	ReasonOOO    = "out of office"
)

// Stakeholder is a person the user keeps informed, as configured.
type Stakeholder struct {
	Name, Email, Role string
	Cadence, Max      calendar.Span // Max is optional (zero)
	Style             string
}

// Update is the user writing to a stakeholder: a sent mail, a check-in or a
// "done" reply. Source is one of SourceMail, SourceCheckin, SourceReply.
type Update struct {
	Email   string
	At      time.Time
	Subject string
	Source  string
}

// Inbound is a stakeholder's mail to the user. Ask says it is a request to
// the user, for status or for action (message.IsStatusAsk): only such a mail
// is an open ask, and a mail that is neither an ask nor an auto-reply is
// ignored. AutoReply marks out-of-office and other automatic replies, with
// the ReturnDate they name when one was found.
type Inbound struct {
	From                        string
	At                          time.Time
	MessageID, Subject, Snippet string
	Ask, AutoReply              bool
	ReturnDate                  time.Time
}

// Pause holds back reminders for one stakeholder (Email) or everyone (Email
// "") from From (zero: always) until Until. See the Reason constants.
type Pause struct {
	Email       string
	From, Until time.Time
	Reason      string
}

// News is a message in a project label: what changed on the projects. Bad
// marks bad news (blocked, slipping, ...), Words the phrases that said so.
// Mine, set by Evaluate in Entry.News, marks the user's own mail.
type News struct {
	Project                string
	At                     time.Time
	From, Subject, Snippet string
	Bad                    bool
	Words                  []string
	Mine                   bool
	// Cut marks the oldest of its project's news that leadup read when
	// the project had more in the horizon: counts that reach back to it
	// are "at least".
	Cut bool
}

// Input is everything Evaluate and Plan look at. Me holds the user's own
// addresses (email and aliases), so their own mail is never "news from
// others".
type Input struct {
	Now          time.Time
	Cal          calendar.Calendar
	Me           []string
	Stakeholders []Stakeholder
	Updates      []Update
	Inbound      []Inbound
	Pauses       []Pause
	News         []News
}

// Ask is a stakeholder's request to the user (an Inbound with Ask set),
// open from when it arrived (At) until the user's next update to that
// person.
type Ask struct {
	From                        string
	MessageID, Subject, Snippet string
	At                          time.Time // when the mail arrived
	// Status is always true: only a request is an ask. It stays for the
	// callers and templates that read it.
	Status bool
}

// Entry is one stakeholder's state at Report.Now.
//
// A stakeholder with no update on record (Never) is treated as due since
// forever: amber, overdue, NextDue zero. leadup cannot tell "never" from
// "before the synced history", and a first check-in is the right nudge
// either way; it is not red, since the gap is unknown.
type Entry struct {
	Stakeholder Stakeholder
	Never       bool
	LastUpdate  time.Time // zero when Never
	LastSubject string
	LastSource  string
	// DaysSince counts calendar days, WorkdaysSince workdays (holidays and
	// away days left out), both by local date, from the last update to now.
	DaysSince, WorkdaysSince int
	NextDue                  time.Time // last update + cadence; zero when Never or no cadence
	MaxDue                   time.Time // last update + max; zero when Never or no max
	Level                    string    // OK, Amber or Red
	// Overdue means the cadence wants a check-in now: Level is not OK and
	// no pause holds the stakeholder back.
	Overdue     bool
	OpenAsks    []Ask
	PausedUntil time.Time // zero when not paused at Now
	PauseReason string
	News        []News // project news since the last update, oldest first
}

// Report is the state of every stakeholder at Now, in configuration order.
// HeardFirst is bad project news from others since the user last wrote to
// the boss (role "boss"): the boss should hear it from the user first.
type Report struct {
	Now        time.Time
	Entries    []Entry
	HeardFirst []News
}

// normAddr reduces "Jane <JANE@example.com>" to "jane@example.com", so
// addresses from headers, the config and the store compare equal.
func normAddr(s string) string {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "<\"") {
		if a, err := mail.ParseAddress(s); err == nil {
			s = a.Address
		}
	}
	return strings.ToLower(s)
}

// effectiveCal is in.Cal with the away pauses in force added as away ranges,
// so "away until" from a reply stops the clocks like the config's away list.
// AwayCalendar is cal with the away spans of pauses (the user's "away
// until 24 April" replies) as away days, as the reminders count them at
// now: the digest keeps them too.
func AwayCalendar(cal calendar.Calendar, pauses []Pause, now time.Time) calendar.Calendar {
	return effectiveCal(Input{Cal: cal, Pauses: pauses, Now: now})
}

func effectiveCal(in Input) calendar.Calendar {
	cal := in.Cal
	if cal.Loc == nil {
		cal.Loc = time.UTC
	}
	var extra []calendar.Range
	for _, p := range in.Pauses {
		if p.Reason != ReasonAway || p.Until.IsZero() || (!p.From.IsZero() && p.From.After(in.Now)) {
			continue
		}
		from := calendar.DateOf(in.Now, cal.Loc)
		if !p.From.IsZero() {
			from = calendar.DateOf(p.From, cal.Loc)
		}
		// Until is the first moment back; the day it falls on is away only
		// if Until is later than its midnight.
		to := calendar.DateOf(p.Until, cal.Loc)
		if p.Until.Equal(to.Start(cal.Loc)) {
			to = to.AddDays(-1)
		}
		if !to.Before(from) {
			extra = append(extra, calendar.Range{From: from, To: to})
		}
	}
	if len(extra) > 0 {
		cal.Away = append(append([]calendar.Range(nil), cal.Away...), extra...)
	}
	return cal
}
