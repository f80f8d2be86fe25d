package nudge

import (
	"slices"
	"strings"
	"time"

	"github.com/leadup/leadup/daemon/calendar"
)

// Policy is when reminders go out: at Hour:Min local time on workdays, and
// again after RepeatAfter for whoever is still due (zero: once per period).
type Policy struct {
	Hour, Min   int
	RepeatAfter calendar.Span
}

// Sent is a reminder that went out (or is recorded in the outbox as about
// to): when, to remind about whom, and which asks (message ids) it showed.
type Sent struct {
	At     time.Time
	Emails []string
	Asks   []string
}

// Reminder is the one mail of the day: who to check in with and why.
// Key is the outbox's idempotency key, one per local day.
type Reminder struct {
	Key        string
	Date       calendar.Date
	Slot       time.Time // Date at the policy's time; the mail may go out later
	Loc        *time.Location
	HeardFirst []News
	Entries    []Entry // red first, then amber, then asks only; the boss first in each
}

// Emails lists the stakeholders the reminder covers, for Sent and for
// applying a reply to it.
func (r Reminder) Emails() []string {
	var out []string
	for _, e := range r.Entries {
		out = append(out, e.Stakeholder.Email)
	}
	return out
}

// AskIDs lists the message ids of the asks the reminder shows.
func (r Reminder) AskIDs() []string {
	var out []string
	for _, e := range r.Entries {
		for _, a := range e.OpenAsks {
			out = append(out, a.MessageID)
		}
	}
	return out
}

// Record is what to store in the outbox when the reminder is planned at at.
func (r Reminder) Record(at time.Time) Sent {
	return Sent{At: at, Emails: r.Emails(), Asks: r.AskIDs()}
}

// Plan decides whether a reminder is due at in.Now, and what it says.
//
// A reminder goes out on a workday (not a weekend, holiday or away day) once
// the local time has reached the policy's slot, at most once per local day:
// a machine asleep at 09:30 and awake at 14:00 sends it late, once. It is
// decided as of the slot: whoever was due by the slot (cadence passed, or an
// ask open since before it) is included; what becomes due later that day
// waits for the next slot. Updates made since the slot do count, so a
// check-in at 10:00 silences a reminder the machine had not sent yet.
//
// A stakeholder is included the first time they are due after their last
// update; again only once RepeatAfter has passed since the last reminder that
// included them, or when they turned red since, or when a new ask (one no
// reminder showed yet) arrived. A paused stakeholder is included only for a
// new ask. The reminder leads with Report.HeardFirst; entries are ordered
// red, amber, asks only, and within that the boss first, then those with
// asks, then the longest overdue, then those with no update on record
// (unknown gap).
func Plan(in Input, rep Report, pol Policy, sent []Sent) (Reminder, bool) {
	cal := effectiveCal(in)
	now := in.Now
	today := calendar.DateOf(now, cal.Loc)
	if !cal.IsWorkday(today) {
		return Reminder{}, false
	}
	slot := today.At(pol.Hour, pol.Min, cal.Loc)
	if now.Before(slot) {
		return Reminder{}, false
	}
	shown := map[string]bool{}
	for _, s := range sent {
		if calendar.DateOf(s.At, cal.Loc) == today {
			return Reminder{}, false
		}
		for _, id := range s.Asks {
			shown[id] = true
		}
	}
	var picked []Entry
	for _, e := range rep.Entries {
		if due(cal, e, slot, pol, sent, shown) {
			picked = append(picked, e)
		}
	}
	if len(picked) == 0 {
		return Reminder{}, false
	}
	slices.SortStableFunc(picked, func(a, b Entry) int {
		if ga, gb := group(a), group(b); ga != gb {
			return ga - gb
		}
		if ba, bb := isBoss(a), isBoss(b); ba != bb {
			if ba {
				return -1
			}
			return 1
		}
		if aa, ba := len(a.OpenAsks) > 0, len(b.OpenAsks) > 0; aa != ba {
			if aa {
				return -1
			}
			return 1
		}
		if a.Never != b.Never {
			if a.Never {
				return 1
			}
			return -1
		}
		return a.NextDue.Compare(b.NextDue)
	})
	return Reminder{
		Key:        "reminder:" + today.String(),
		Date:       today,
		Slot:       slot,
		Loc:        cal.Loc,
		HeardFirst: rep.HeardFirst,
		Entries:    picked,
	}, true
}

// isBoss says whether e is the boss's entry (role "boss", any case).
func isBoss(e Entry) bool { return strings.EqualFold(e.Stakeholder.Role, RoleBoss) }

// group orders entries: red, amber, then those here only for their asks.
func group(e Entry) int {
	switch e.Level {
	case Red:
		return 0
	case Amber:
		return 1
	}
	return 2
}

// due reports whether e belongs in the reminder of the day of slot.
func due(cal calendar.Calendar, e Entry, slot time.Time, pol Policy, sent []Sent, shown map[string]bool) bool {
	newAsk, askBySlot := false, false
	for _, a := range e.OpenAsks {
		if a.At.After(slot) {
			continue
		}
		askBySlot = true
		if !shown[a.MessageID] {
			newAsk = true
		}
	}
	if !e.PausedUntil.IsZero() {
		return newAsk
	}
	cadenceDue := e.Level != OK && (e.Never ||
		(!e.NextDue.IsZero() && !e.NextDue.After(slot)) ||
		(!e.MaxDue.IsZero() && !e.MaxDue.After(slot)))
	if !cadenceDue && !askBySlot {
		return false
	}
	if newAsk {
		return true
	}
	// The last reminder that included e since their last update.
	var last time.Time
	addr := normAddr(e.Stakeholder.Email)
	for _, s := range sent {
		if !e.Never && !s.At.After(e.LastUpdate) {
			continue
		}
		if s.At.After(last) && slices.ContainsFunc(s.Emails, func(m string) bool { return normAddr(m) == addr }) {
			last = s.At
		}
	}
	if last.IsZero() {
		return true
	}
	today := calendar.DateOf(slot, cal.Loc)
	if !pol.RepeatAfter.IsZero() && !today.Before(calendar.DateOf(cal.Add(last, pol.RepeatAfter), cal.Loc)) {
		return true
	}
	// Turned red since the last reminder.
	return !e.MaxDue.IsZero() && e.MaxDue.After(last) && !e.MaxDue.After(slot)
}

// nextCheckHorizon bounds how far NextCheck looks ahead.
const nextCheckHorizon = 400

// NextCheck returns when the daemon should next wake for reminders: in.Now if
// Plan would send one now, else the first later slot (or the end of a pause
// later today) at which Plan would, assuming no new mail and no updates.
// New mail changes the answer, so the daemon asks again after every sync.
// The zero time means nothing is due within about a year.
func NextCheck(in Input, rep Report, pol Policy, sent []Sent) time.Time {
	if _, ok := Plan(in, rep, pol, sent); ok {
		return in.Now
	}
	try := func(t time.Time) bool {
		at := in
		at.Now = t
		_, ok := Plan(at, Evaluate(at), pol, sent)
		return ok
	}
	cal := effectiveCal(in)
	today := calendar.DateOf(in.Now, cal.Loc)
	// A pause that ends later today, after the slot, can release a reminder.
	var ends []time.Time
	for _, e := range rep.Entries {
		if p := e.PausedUntil; !p.IsZero() && calendar.DateOf(p, cal.Loc) == today {
			ends = append(ends, p)
		}
	}
	slices.SortFunc(ends, time.Time.Compare)
	for _, t := range ends {
		if try(t) {
			return t
		}
	}
	t := in.Now
	for i := 0; i < nextCheckHorizon; i++ {
		slot := cal.NextWorkdayAt(t, pol.Hour, pol.Min)
		if slot.After(in.Now) && try(slot) {
			return slot
		}
		t = calendar.DateOf(slot, cal.Loc).AddDays(1).Start(cal.Loc)
	}
	return time.Time{}
}
