package nudge

import (
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/calendar"
)

func berlin(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func workweek(loc *time.Location, holidays ...calendar.Date) calendar.Calendar {
	c := calendar.Calendar{Loc: loc, Holidays: holidays}
	for d := time.Monday; d <= time.Friday; d++ {
		c.Workdays[d] = true
	}
	return c
}

func span(t testing.TB, s string) calendar.Span {
	t.Helper()
	sp, err := calendar.ParseSpan(s)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

var (
	jane = Stakeholder{Name: "Jane Smith", Email: "jane@example.com", Role: "boss", Style: "detailed"}
	raj  = Stakeholder{Name: "Raj Patel", Email: "raj@example.com", Role: "peer"}
)

// at is a Berlin wall time in 2026.
func at(loc *time.Location, mon time.Month, day, hour, min int) time.Time {
	return time.Date(2026, mon, day, hour, min, 0, 0, loc)
}

func entryFor(t *testing.T, rep Report, email string) Entry {
	t.Helper()
	for _, e := range rep.Entries {
		if e.Stakeholder.Email == email {
			return e
		}
	}
	t.Fatalf("no entry for %s", email)
	return Entry{}
}

func TestEvaluateLevels(t *testing.T) {
	loc := berlin(t)
	j := jane
	j.Cadence, j.Max = span(t, "5 workdays"), span(t, "8 workdays")
	// Last update Friday 20 March 17:00: due Friday 27 March 17:00 (amber),
	// limit Wednesday 1 April 17:00 (red).
	last := at(loc, 3, 20, 17, 0)
	tests := []struct {
		name     string
		now      time.Time
		level    string
		days, wd int
	}{
		{"same day", at(loc, 3, 20, 18, 0), OK, 0, 0},
		{"just before the cadence", at(loc, 3, 27, 16, 59), OK, 7, 5},
		{"at the cadence", at(loc, 3, 27, 17, 0), Amber, 7, 5},
		{"over the weekend and DST", at(loc, 3, 30, 9, 0), Amber, 10, 6},
		{"at the limit", at(loc, 4, 1, 17, 0), Red, 12, 8},
	}
	for _, tt := range tests {
		in := Input{Now: tt.now, Cal: workweek(loc), Stakeholders: []Stakeholder{j},
			Updates: []Update{{Email: "Jane Smith <JANE@example.com>", At: last, Subject: "Apollo: week 12", Source: SourceMail}}}
		e := Evaluate(in).Entries[0]
		if e.Level != tt.level || e.DaysSince != tt.days || e.WorkdaysSince != tt.wd {
			t.Errorf("%s: level %s days %d workdays %d, want %s %d %d", tt.name, e.Level, e.DaysSince, e.WorkdaysSince, tt.level, tt.days, tt.wd)
		}
		if e.Overdue != (tt.level != OK) {
			t.Errorf("%s: overdue %v", tt.name, e.Overdue)
		}
		if !e.NextDue.Equal(at(loc, 3, 27, 17, 0)) || !e.MaxDue.Equal(at(loc, 4, 1, 17, 0)) {
			t.Errorf("%s: next due %s, max due %s", tt.name, e.NextDue, e.MaxDue)
		}
		if e.LastSubject != "Apollo: week 12" || e.Never {
			t.Errorf("%s: last subject %q never %v", tt.name, e.LastSubject, e.Never)
		}
	}
}

func TestEvaluateNeverAndFuture(t *testing.T) {
	loc := berlin(t)
	r := raj
	r.Cadence = span(t, "4 weeks")
	now := at(loc, 6, 10, 12, 0)
	in := Input{Now: now, Cal: workweek(loc), Stakeholders: []Stakeholder{r, {Name: "Untracked", Email: "u@example.com"}},
		// Dated after now: a store synced later than a simulated --now.
		Updates: []Update{{Email: "raj@example.com", At: now.Add(time.Hour), Subject: "later"}},
		News: []News{
			{Project: "Apollo", At: now.Add(-10 * 24 * time.Hour), Subject: "old"},
			{Project: "Apollo", At: now.Add(-2 * 24 * time.Hour), Subject: "recent"},
		}}
	rep := Evaluate(in)
	e := entryFor(t, rep, "raj@example.com")
	if !e.Never || e.Level != Amber || !e.Overdue || !e.NextDue.IsZero() {
		t.Fatalf("never updated: %+v", e)
	}
	if len(e.News) != 1 || e.News[0].Subject != "recent" {
		t.Fatalf("never updated: news %+v, want only the last week", e.News)
	}
	if u := entryFor(t, rep, "u@example.com"); u.Level != OK || u.Overdue {
		t.Fatalf("no cadence and no max: %+v", u)
	}
}

func TestEvaluateAsks(t *testing.T) {
	loc := berlin(t)
	j := jane
	j.Cadence = span(t, "5 workdays")
	last := at(loc, 3, 30, 10, 0) // Monday
	base := Input{Cal: workweek(loc), Stakeholders: []Stakeholder{j},
		Updates: []Update{{Email: j.Email, At: last, Subject: "status"}}}
	mails := []Inbound{
		{From: "jane@example.com", At: at(loc, 3, 27, 9, 0), MessageID: "<before@x>", Subject: "answered", Ask: true},
		{From: "Jane <jane@example.com>", At: at(loc, 3, 31, 8, 0), MessageID: "<ask@x>", Subject: "Apollo?", Ask: true},
		{From: "jane@example.com", At: at(loc, 3, 31, 15, 0), MessageID: "<plain@x>", Subject: "lunch thursday"},
		{From: "jane@example.com", At: at(loc, 3, 31, 16, 0), MessageID: "<ooo@x>", Subject: "Out of office", AutoReply: true, Ask: true},
		{From: "bob@example.com", At: at(loc, 3, 31, 8, 0), MessageID: "<bob@x>", Subject: "any update?", Ask: true},
	}
	ids := func(as []Ask) []string {
		var out []string
		for _, a := range as {
			out = append(out, a.MessageID)
		}
		return out
	}
	tests := []struct {
		name    string
		now     time.Time
		updates []Update
		want    []string
	}{
		{"an ask is open at once", at(loc, 3, 31, 9, 0), nil, []string{"<ask@x>"}},
		// Only a request is an ask: a plain mail left unanswered is none,
		// however long it waits.
		{"plain mail is no ask", at(loc, 4, 1, 15, 0), nil, []string{"<ask@x>"}},
		{"nor a week later", at(loc, 4, 8, 15, 0), nil, []string{"<ask@x>"}},
		{"an update closes every ask", at(loc, 4, 2, 9, 0), []Update{{Email: j.Email, At: at(loc, 4, 1, 16, 0)}}, nil},
		{"a check-in closes too", at(loc, 4, 2, 9, 0), []Update{{Email: j.Email, At: at(loc, 4, 1, 16, 0), Source: SourceCheckin}}, nil},
	}
	for _, tt := range tests {
		in := base
		in.Now = tt.now
		in.Inbound = mails
		in.Updates = append(append([]Update(nil), base.Updates...), tt.updates...)
		e := Evaluate(in).Entries[0]
		got := ids(e.OpenAsks)
		if len(got) != len(tt.want) {
			t.Errorf("%s: asks %v, want %v", tt.name, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s: asks %v, want %v", tt.name, got, tt.want)
			}
		}
	}
	// The ask keeps what the reminder quotes, and when it arrived.
	in := base
	in.Now, in.Inbound = at(loc, 4, 1, 15, 0), mails
	e := Evaluate(in).Entries[0]
	if a := e.OpenAsks[0]; !a.Status || a.Subject != "Apollo?" || !a.At.Equal(at(loc, 3, 31, 8, 0)) {
		t.Fatalf("asks %+v", e.OpenAsks)
	}
}

// TestEvaluateDoneReply: a "done" reply is the last update without a
// subject, even one stored with the reminder's ("Re: leadup: …"), so it
// reads "marked done on …".
func TestEvaluateDoneReply(t *testing.T) {
	loc := berlin(t)
	j := jane
	j.Cadence = span(t, "5 workdays")
	now := at(loc, 4, 8, 9, 30)
	in := Input{Now: now, Cal: workweek(loc), Stakeholders: []Stakeholder{j}, Updates: []Update{
		{Email: j.Email, At: at(loc, 3, 20, 10, 0), Subject: "Apollo: week 12", Source: SourceMail},
		{Email: j.Email, At: at(loc, 3, 27, 10, 30), Subject: "Re: leadup: check in with Jane Smith (8 days)", Source: SourceReply},
	}}
	e := Evaluate(in).Entries[0]
	if e.LastSource != SourceReply || e.LastSubject != "" || !e.LastUpdate.Equal(at(loc, 3, 27, 10, 30)) {
		t.Fatalf("last update %v %q %q", e.LastUpdate, e.LastSource, e.LastSubject)
	}
	_, text, html, err := Render(Reminder{Entries: []Entry{e}}, now, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{text, html} {
		if !strings.Contains(out, "marked done on Fri 27 Mar") || strings.Contains(out, "Re: leadup") {
			t.Errorf("the done reply is not shown as marked done:\n%s", out)
		}
	}
}

func TestEvaluatePauses(t *testing.T) {
	loc := berlin(t)
	j := jane
	j.Cadence = span(t, "5 workdays")
	last := at(loc, 3, 2, 10, 0) // long overdue
	now := at(loc, 3, 31, 12, 0)
	tests := []struct {
		name    string
		inbound []Inbound
		pauses  []Pause
		until   time.Time
		reason  string
	}{
		{"none", nil, nil, time.Time{}, ""},
		{"out of office with a return date", []Inbound{{From: j.Email, At: at(loc, 3, 30, 10, 0), AutoReply: true,
			ReturnDate: time.Date(2026, 4, 7, 0, 0, 0, 0, time.UTC)}}, nil, at(loc, 4, 7, 0, 0), ReasonOOO},
		{"out of office, return date as the store hands it back (UTC)", []Inbound{{From: j.Email, At: at(loc, 3, 30, 10, 0), AutoReply: true,
			ReturnDate: time.Unix(at(loc, 4, 7, 0, 0).Unix(), 0).UTC()}}, nil, at(loc, 4, 7, 0, 0), ReasonOOO},
		{"out of office without one: a week", []Inbound{{From: j.Email, At: at(loc, 3, 30, 10, 0), AutoReply: true}},
			nil, at(loc, 4, 6, 10, 0), ReasonOOO},
		{"out of office that ended", []Inbound{{From: j.Email, At: at(loc, 3, 20, 10, 0), AutoReply: true,
			ReturnDate: at(loc, 3, 25, 0, 0)}}, nil, time.Time{}, ""},
		{"snooze", nil, []Pause{{Email: j.Email, From: at(loc, 3, 30, 9, 45), Until: at(loc, 4, 2, 0, 0), Reason: ReasonSnooze}},
			at(loc, 4, 2, 0, 0), ReasonSnooze},
		{"snooze for someone else", nil, []Pause{{Email: "raj@example.com", Until: at(loc, 4, 2, 0, 0), Reason: ReasonSnooze}},
			time.Time{}, ""},
		{"snooze that starts later", nil, []Pause{{Email: j.Email, From: at(loc, 4, 1, 0, 0), Until: at(loc, 4, 2, 0, 0), Reason: ReasonSnooze}},
			time.Time{}, ""},
		{"away for everyone", nil, []Pause{{From: at(loc, 3, 30, 9, 0), Until: at(loc, 4, 8, 0, 0), Reason: ReasonAway}},
			at(loc, 4, 8, 0, 0), ReasonAway},
	}
	for _, tt := range tests {
		in := Input{Now: now, Cal: workweek(loc), Stakeholders: []Stakeholder{j},
			Updates: []Update{{Email: j.Email, At: last}}, Inbound: tt.inbound, Pauses: tt.pauses}
		e := Evaluate(in).Entries[0]
		if !e.PausedUntil.Equal(tt.until) || e.PauseReason != tt.reason {
			t.Errorf("%s: paused until %s (%s), want %s (%s)", tt.name, e.PausedUntil, e.PauseReason, tt.until, tt.reason)
		}
		if e.Overdue != tt.until.IsZero() {
			t.Errorf("%s: overdue %v with pause %s", tt.name, e.Overdue, e.PausedUntil)
		}
		if e.Level != Amber {
			t.Errorf("%s: level %s; pauses hold reminders back, they do not hide the gap", tt.name, e.Level)
		}
		if len(e.OpenAsks) != 0 {
			t.Errorf("%s: auto-replies are never asks: %+v", tt.name, e.OpenAsks)
		}
	}
}

func TestEvaluateAwayPauseStopsTheClock(t *testing.T) {
	loc := berlin(t)
	j := jane
	j.Cadence = span(t, "5 workdays")
	// Update Monday 23 March; away (by a reply) from Wednesday 25 March
	// through Tuesday 31 March: only Tue 24 counts, then Wed 1 April.
	in := Input{Now: at(loc, 4, 1, 12, 0), Cal: workweek(loc), Stakeholders: []Stakeholder{j},
		Updates: []Update{{Email: j.Email, At: at(loc, 3, 23, 10, 0)}},
		Pauses:  []Pause{{From: at(loc, 3, 25, 8, 0), Until: at(loc, 4, 1, 0, 0), Reason: ReasonAway}}}
	e := Evaluate(in).Entries[0]
	if e.WorkdaysSince != 2 || e.Level != OK || !e.NextDue.Equal(at(loc, 4, 6, 10, 0)) {
		t.Fatalf("workdays %d level %s next due %s; want 2, ok, Mon 6 Apr 10:00", e.WorkdaysSince, e.Level, e.NextDue)
	}
	if !e.PausedUntil.IsZero() {
		t.Fatalf("the away pause ended; paused until %s", e.PausedUntil)
	}
}

func TestEvaluateNewsAndHeardFirst(t *testing.T) {
	loc := berlin(t)
	j, r := jane, raj
	j.Cadence, r.Cadence = span(t, "5 workdays"), span(t, "4 weeks")
	now := at(loc, 4, 1, 9, 0)
	news := []News{
		{Project: "Zephyr", At: at(loc, 3, 20, 9, 0), From: "bob@example.com", Subject: "slipping (old)", Bad: true},
		{Project: "Apollo", At: at(loc, 3, 26, 9, 0), From: "ann@example.com", Subject: "green build"},
		{Project: "Zephyr", At: at(loc, 3, 31, 14, 0), From: "Bob <bob@example.com>", Subject: "vendor slipping", Bad: true, Words: []string{"slipping"}},
		{Project: "Apollo", At: at(loc, 3, 31, 15, 0), From: "Alex Doe <Alex.Doe@example.com>", Subject: "my own warning", Bad: true},
		{Project: "Apollo", At: at(loc, 4, 2, 9, 0), From: "ann@example.com", Subject: "tomorrow", Bad: true},
	}
	in := Input{Now: now, Cal: workweek(loc), Me: []string{"alex@example.com", "alex.doe@example.com"},
		Stakeholders: []Stakeholder{j, r},
		Updates: []Update{
			{Email: j.Email, At: at(loc, 3, 25, 17, 0), Subject: "status"},
			{Email: r.Email, At: at(loc, 3, 30, 11, 0), Subject: "roadmap"},
		},
		News: news}
	rep := Evaluate(in)
	je := entryFor(t, rep, j.Email)
	if len(je.News) != 3 || je.News[0].Subject != "green build" || je.News[2].Subject != "my own warning" {
		t.Fatalf("jane's news: %+v", je.News)
	}
	re := entryFor(t, rep, r.Email)
	if len(re.News) != 2 || re.News[0].Subject != "vendor slipping" {
		t.Fatalf("raj's news: %+v", re.News)
	}
	if len(rep.HeardFirst) != 1 || rep.HeardFirst[0].Subject != "vendor slipping" {
		t.Fatalf("heard first: %+v", rep.HeardFirst)
	}
	// Writing to the boss after the bad news clears it.
	in.Updates = append(in.Updates, Update{Email: j.Email, At: at(loc, 3, 31, 16, 0)})
	if rep := Evaluate(in); len(rep.HeardFirst) != 0 {
		t.Fatalf("heard first after an update: %+v", rep.HeardFirst)
	}
	// No boss configured: nobody to hear it first.
	in.Stakeholders = []Stakeholder{r}
	if rep := Evaluate(in); len(rep.HeardFirst) != 0 {
		t.Fatalf("heard first without a boss: %+v", rep.HeardFirst)
	}
}
