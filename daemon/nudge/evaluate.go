package nudge

import (
	"slices"
	"strings"
	"time"

	"github.com/leadup/leadup/daemon/calendar"
)

// RoleBoss is the stakeholder role whose last update decides "heard it first".
const RoleBoss = "boss"

// unknownLookback bounds the news and bad news shown for a stakeholder with
// no update on record: the last week, not the whole synced history.
const unknownLookback = 7 * 24 * time.Hour

// oooDefault is how long an out-of-office reply without a readable return
// date pauses its sender.
var oooDefault = calendar.Span{N: 7, Unit: calendar.Days}

// Evaluate computes every stakeholder's Entry at in.Now, and the bad news the
// boss has not heard from the user. Inputs dated after in.Now are ignored.
//
// Pauses: an active Pause for the stakeholder (or for everyone), or an
// out-of-office auto-reply from them (until the return date it names, else a
// week), sets PausedUntil to the latest end among them. Pauses hold back
// reminders but do not move due dates, except away, which stops the clock.
func Evaluate(in Input) Report {
	cal := effectiveCal(in)
	now := in.Now
	rep := Report{Now: now}
	me := map[string]bool{}
	for _, a := range in.Me {
		me[normAddr(a)] = true
	}

	var bossLast time.Time
	bossNever, haveBoss := false, false
	for _, s := range in.Stakeholders {
		e := evaluateOne(in, cal, s)
		for i := range e.News {
			e.News[i].Mine = me[normAddr(e.News[i].From)]
		}
		rep.Entries = append(rep.Entries, e)
		if strings.EqualFold(s.Role, RoleBoss) {
			if e.Never {
				bossNever = true
			} else if !haveBoss || e.LastUpdate.Before(bossLast) {
				bossLast = e.LastUpdate
			}
			haveBoss = true
		}
	}
	if haveBoss {
		since := bossLast
		if bossNever {
			since = now.Add(-unknownLookback)
		}
		for _, n := range in.News {
			if n.Bad && n.At.After(since) && !n.At.After(now) && !me[normAddr(n.From)] {
				rep.HeardFirst = append(rep.HeardFirst, n)
			}
		}
		sortNews(rep.HeardFirst)
	}
	return rep
}

func evaluateOne(in Input, cal calendar.Calendar, s Stakeholder) Entry {
	now := in.Now
	addr := normAddr(s.Email)
	e := Entry{Stakeholder: s, Never: true, Level: OK}

	for _, u := range in.Updates {
		if normAddr(u.Email) != addr || u.At.After(now) {
			continue
		}
		if e.Never || u.At.After(e.LastUpdate) {
			e.Never = false
			e.LastUpdate, e.LastSubject, e.LastSource = u.At, u.Subject, u.Source
			if u.Source == SourceReply {
				// "marked done on Fri 5 Feb": the reply's subject is the
				// reminder's ("Re: leadup: check in with …"), no update's
				// (older versions stored it).
				e.LastSubject = ""
			}
		}
	}

	if e.Never {
		if !s.Cadence.IsZero() || !s.Max.IsZero() {
			e.Level = Amber
		}
	} else {
		e.DaysSince = calendar.DaysBetween(calendar.DateOf(e.LastUpdate, cal.Loc), calendar.DateOf(now, cal.Loc))
		e.WorkdaysSince = cal.WorkdaysBetween(e.LastUpdate, now)
		if !s.Cadence.IsZero() {
			e.NextDue = cal.Add(e.LastUpdate, s.Cadence)
			if !now.Before(e.NextDue) {
				e.Level = Amber
			}
		}
		if !s.Max.IsZero() {
			e.MaxDue = cal.Add(e.LastUpdate, s.Max)
			if !now.Before(e.MaxDue) {
				e.Level = Red
			}
		}
	}

	// Asks and out-of-office replies: the stakeholder's requests since the
	// last update, and their auto-replies, which are never asks.
	for _, m := range in.Inbound {
		if normAddr(m.From) != addr || m.At.After(now) {
			continue
		}
		if m.AutoReply {
			until := cal.Add(m.At, oooDefault)
			if !m.ReturnDate.IsZero() {
				// The return day as the user's calendar reads it: the store
				// hands times back in UTC, a day early east of Greenwich.
				y, mo, d := m.ReturnDate.In(cal.Loc).Date()
				if r := time.Date(y, mo, d, 0, 0, 0, 0, cal.Loc); r.After(m.At) {
					until = r
				}
			}
			if until.After(now) && until.After(e.PausedUntil) {
				e.PausedUntil, e.PauseReason = until, ReasonOOO
			}
			continue
		}
		if !m.Ask {
			continue // a statement or a thank-you waits for nothing
		}
		if !e.Never && !m.At.After(e.LastUpdate) {
			continue // answered by the last update
		}
		a := Ask{From: m.From, MessageID: m.MessageID, Subject: m.Subject, Snippet: m.Snippet, At: m.At, Status: true}
		if a.MessageID == "" {
			a.MessageID = "<" + addr + "@" + m.At.UTC().Format("20060102T150405Z") + ".leadup>"
		}
		e.OpenAsks = append(e.OpenAsks, a)
	}
	slices.SortStableFunc(e.OpenAsks, func(a, b Ask) int { return a.At.Compare(b.At) })

	for _, p := range in.Pauses {
		if p.Email != "" && normAddr(p.Email) != addr {
			continue
		}
		if (!p.From.IsZero() && p.From.After(now)) || !p.Until.After(now) {
			continue
		}
		if p.Until.After(e.PausedUntil) {
			e.PausedUntil, e.PauseReason = p.Until, p.Reason
		}
	}
	e.Overdue = e.Level != OK && e.PausedUntil.IsZero()

	since := e.LastUpdate
	if e.Never {
		since = now.Add(-unknownLookback)
	}
	for _, n := range in.News {
		if n.At.After(since) && !n.At.After(now) {
			e.News = append(e.News, n)
		}
	}
	sortNews(e.News)
	return e
}

func sortNews(ns []News) {
	slices.SortStableFunc(ns, func(a, b News) int { return a.At.Compare(b.At) })
}
