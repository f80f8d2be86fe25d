package calendar

import (
	"testing"
	"time"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return loc
}

func monFri(loc *time.Location) Calendar {
	c := Calendar{Loc: loc}
	for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday} {
		c.Workdays[d] = true
	}
	return c
}

func d(y int, m time.Month, day int) Date { return Date{y, m, day} }

func TestIsWorkday(t *testing.T) {
	c := monFri(mustLoc(t, "Europe/Berlin"))
	c.Holidays = []Date{d(2026, 12, 24), d(2026, 12, 25)}
	c.Away = []Range{{From: d(2026, 12, 28), To: d(2027, 1, 4)}}
	tests := []struct {
		day           Date
		workday, away bool
		holiday       bool
		name          string
	}{
		{d(2026, 12, 23), true, false, false, "plain wednesday"},
		{d(2026, 12, 24), false, false, true, "holiday"},
		{d(2026, 12, 26), false, false, false, "saturday"},
		{d(2026, 12, 28), false, true, false, "first away day"},
		{d(2027, 1, 1), false, true, false, "away across the year"},
		{d(2027, 1, 4), false, true, false, "last away day is inclusive"},
		{d(2027, 1, 5), true, false, false, "back"},
	}
	for _, tt := range tests {
		if got := c.IsWorkday(tt.day); got != tt.workday {
			t.Errorf("%s: IsWorkday(%s) = %v, want %v", tt.name, tt.day, got, tt.workday)
		}
		if got := c.IsAway(tt.day); got != tt.away {
			t.Errorf("%s: IsAway(%s) = %v, want %v", tt.name, tt.day, got, tt.away)
		}
		if got := c.IsHoliday(tt.day); got != tt.holiday {
			t.Errorf("%s: IsHoliday(%s) = %v, want %v", tt.name, tt.day, got, tt.holiday)
		}
	}
}

func TestAdd(t *testing.T) {
	berlin := mustLoc(t, "Europe/Berlin")
	ny := mustLoc(t, "America/New_York")
	span := func(s string) Span {
		sp, err := ParseSpan(s)
		if err != nil {
			t.Fatal(err)
		}
		return sp
	}
	be := monFri(berlin)
	us := monFri(ny)
	hol := monFri(berlin)
	hol.Holidays = []Date{d(2026, 12, 24), d(2026, 12, 25), d(2027, 1, 1)}
	away := monFri(berlin)
	away.Away = []Range{{From: d(2026, 7, 17), To: d(2026, 7, 27)}} // Fri to Mon, two weekends inside
	tests := []struct {
		name string
		cal  Calendar
		from time.Time
		span string
		want time.Time
	}{
		{"workdays within a week", be, time.Date(2026, 6, 1, 10, 0, 0, 0, berlin), "3 workdays", time.Date(2026, 6, 4, 10, 0, 0, 0, berlin)},
		{"workdays over a weekend", be, time.Date(2026, 6, 5, 16, 0, 0, 0, berlin), "1 workday", time.Date(2026, 6, 8, 16, 0, 0, 0, berlin)},
		{"workdays from a saturday", be, time.Date(2026, 6, 6, 11, 0, 0, 0, berlin), "1 workday", time.Date(2026, 6, 8, 11, 0, 0, 0, berlin)},
		{"5 workdays is a week", be, time.Date(2026, 6, 5, 16, 0, 0, 0, berlin), "5 workdays", time.Date(2026, 6, 12, 16, 0, 0, 0, berlin)},
		// Europe: clocks go forward on Sunday 2026-03-29 and back on 2026-10-25.
		{"workdays across march DST berlin", be, time.Date(2026, 3, 27, 9, 30, 0, 0, berlin), "1 workday", time.Date(2026, 3, 30, 9, 30, 0, 0, berlin)},
		{"workdays across october DST berlin", be, time.Date(2026, 10, 23, 9, 30, 0, 0, berlin), "1 workday", time.Date(2026, 10, 26, 9, 30, 0, 0, berlin)},
		{"days across march DST berlin", be, time.Date(2026, 3, 28, 23, 30, 0, 0, berlin), "1 day", time.Date(2026, 3, 29, 23, 30, 0, 0, berlin)},
		{"days across october DST berlin", be, time.Date(2026, 10, 24, 12, 0, 0, 0, berlin), "2 days", time.Date(2026, 10, 26, 12, 0, 0, 0, berlin)},
		{"weeks across march DST berlin", be, time.Date(2026, 3, 23, 9, 0, 0, 0, berlin), "1 week", time.Date(2026, 3, 30, 9, 0, 0, 0, berlin)},
		// US: forward on 2026-03-08, back on 2026-11-01.
		{"workdays across march DST new york", us, time.Date(2026, 3, 6, 17, 0, 0, 0, ny), "1 workday", time.Date(2026, 3, 9, 17, 0, 0, 0, ny)},
		{"workdays across november DST new york", us, time.Date(2026, 10, 30, 8, 0, 0, 0, ny), "2 workdays", time.Date(2026, 11, 3, 8, 0, 0, 0, ny)},
		{"days across march DST new york", us, time.Date(2026, 3, 7, 12, 0, 0, 0, ny), "1 day", time.Date(2026, 3, 8, 12, 0, 0, 0, ny)},
		{"weeks across november DST new york", us, time.Date(2026, 10, 26, 9, 0, 0, 0, ny), "1 week", time.Date(2026, 11, 2, 9, 0, 0, 0, ny)},
		{"hours are elapsed time across DST", be, time.Date(2026, 3, 29, 1, 0, 0, 0, berlin), "2 hours", time.Date(2026, 3, 29, 4, 0, 0, 0, berlin)},
		{"wall time skipped by DST moves forward", be, time.Date(2026, 3, 27, 2, 30, 0, 0, berlin), "2 days", time.Date(2026, 3, 29, 3, 30, 0, 0, berlin)},
		{"workdays skip holidays and new year", hol, time.Date(2026, 12, 23, 10, 0, 0, 0, berlin), "3 workdays", time.Date(2026, 12, 30, 10, 0, 0, 0, berlin)},
		{"workdays over the year boundary", hol, time.Date(2026, 12, 30, 10, 0, 0, 0, berlin), "2 workdays", time.Date(2027, 1, 4, 10, 0, 0, 0, berlin)},
		{"plain days skip holidays", hol, time.Date(2026, 12, 23, 10, 0, 0, 0, berlin), "2 days", time.Date(2026, 12, 27, 10, 0, 0, 0, berlin)},
		{"away pauses workdays across weekends", away, time.Date(2026, 7, 16, 10, 0, 0, 0, berlin), "2 workdays", time.Date(2026, 7, 29, 10, 0, 0, 0, berlin)},
		{"away pauses plain days", away, time.Date(2026, 7, 16, 10, 0, 0, 0, berlin), "2 days", time.Date(2026, 7, 29, 10, 0, 0, 0, berlin)},
		{"start inside away", away, time.Date(2026, 7, 20, 10, 0, 0, 0, berlin), "1 workday", time.Date(2026, 7, 28, 10, 0, 0, 0, berlin)},
		{"zero span", be, time.Date(2026, 7, 20, 10, 0, 0, 0, berlin), "", time.Date(2026, 7, 20, 10, 0, 0, 0, berlin)},
	}
	for _, tt := range tests {
		var s Span
		if tt.span != "" {
			s = span(tt.span)
		}
		if got := tt.cal.Add(tt.from, s); !got.Equal(tt.want) {
			t.Errorf("%s: Add(%s, %q) = %s, want %s", tt.name, tt.from, tt.span, got, tt.want)
		}
	}
}

func TestAddUTCInput(t *testing.T) {
	// Instants arrive in any zone (IMAP dates are often UTC); the wall time
	// that is kept is the local one.
	berlin := mustLoc(t, "Europe/Berlin")
	c := monFri(berlin)
	from := time.Date(2026, 3, 27, 8, 30, 0, 0, time.UTC) // 09:30 CET
	got := c.Add(from, Span{1, Workdays})
	want := time.Date(2026, 3, 30, 9, 30, 0, 0, berlin) // 09:30 CEST = 07:30 UTC
	if !got.Equal(want) {
		t.Fatalf("got %s, want %s", got, want)
	}
	if got.UTC().Hour() != 7 {
		t.Fatalf("got %s UTC, want 07:30 UTC", got.UTC())
	}
}

func TestWorkdaysBetween(t *testing.T) {
	berlin := mustLoc(t, "Europe/Berlin")
	ny := mustLoc(t, "America/New_York")
	c := monFri(berlin)
	c.Holidays = []Date{d(2026, 12, 24), d(2026, 12, 25), d(2027, 1, 1)}
	c.Away = []Range{{From: d(2026, 7, 17), To: d(2026, 7, 27)}}
	us := monFri(ny)
	tests := []struct {
		name string
		cal  Calendar
		a, b time.Time
		want int
	}{
		{"same day", c, time.Date(2026, 6, 1, 9, 0, 0, 0, berlin), time.Date(2026, 6, 1, 18, 0, 0, 0, berlin), 0},
		{"friday to monday", c, time.Date(2026, 6, 5, 16, 0, 0, 0, berlin), time.Date(2026, 6, 8, 9, 0, 0, 0, berlin), 1},
		{"a week", c, time.Date(2026, 6, 1, 9, 0, 0, 0, berlin), time.Date(2026, 6, 8, 9, 0, 0, 0, berlin), 5},
		{"reverse is negative", c, time.Date(2026, 6, 8, 9, 0, 0, 0, berlin), time.Date(2026, 6, 1, 9, 0, 0, 0, berlin), -5},
		{"holidays and year end", c, time.Date(2026, 12, 22, 9, 0, 0, 0, berlin), time.Date(2027, 1, 4, 9, 0, 0, 0, berlin), 6},
		{"away across two weekends", c, time.Date(2026, 7, 16, 9, 0, 0, 0, berlin), time.Date(2026, 7, 29, 9, 0, 0, 0, berlin), 2},
		{"across DST berlin", c, time.Date(2026, 10, 23, 23, 30, 0, 0, berlin), time.Date(2026, 10, 26, 0, 30, 0, 0, berlin), 1},
		{"across DST new york", us, time.Date(2026, 3, 6, 23, 30, 0, 0, ny), time.Date(2026, 3, 9, 0, 30, 0, 0, ny), 1},
		// 23:30 New York on Friday is already Saturday in UTC; dates are local.
		{"local dates not UTC", us, time.Date(2026, 6, 5, 23, 30, 0, 0, ny), time.Date(2026, 6, 8, 3, 0, 0, 0, time.UTC), 0},
	}
	for _, tt := range tests {
		if got := tt.cal.WorkdaysBetween(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: WorkdaysBetween = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestWorkdaysBetweenMatchesAdd(t *testing.T) {
	c := monFri(mustLoc(t, "America/New_York"))
	c.Holidays = []Date{d(2026, 11, 26), d(2026, 12, 25)}
	c.Away = []Range{{From: d(2026, 12, 28), To: d(2027, 1, 1)}}
	start := time.Date(2026, 10, 1, 10, 0, 0, 0, c.Loc)
	for i := 0; i < 120; i++ {
		from := start.AddDate(0, 0, i)
		for n := 1; n <= 12; n++ {
			to := c.Add(from, Span{n, Workdays})
			if got := c.WorkdaysBetween(from, to); got != n {
				t.Fatalf("from %s: WorkdaysBetween(from, Add(from, %d workdays)=%s) = %d", from, n, to, got)
			}
			if !c.IsWorkday(DateOf(to, c.Loc)) {
				t.Fatalf("from %s + %d workdays landed on %s, not a workday", from, n, to)
			}
		}
	}
}

func TestNextWorkdayAt(t *testing.T) {
	berlin := mustLoc(t, "Europe/Berlin")
	ny := mustLoc(t, "America/New_York")
	c := monFri(berlin)
	c.Holidays = []Date{d(2026, 12, 24), d(2026, 12, 25), d(2027, 1, 1)}
	c.Away = []Range{{From: d(2026, 12, 28), To: d(2026, 12, 31)}}
	us := monFri(ny)
	tests := []struct {
		name string
		cal  Calendar
		t    time.Time
		want time.Time
	}{
		{"before the slot", c, time.Date(2026, 6, 1, 8, 0, 0, 0, berlin), time.Date(2026, 6, 1, 9, 30, 0, 0, berlin)},
		{"exactly the slot", c, time.Date(2026, 6, 1, 9, 30, 0, 0, berlin), time.Date(2026, 6, 1, 9, 30, 0, 0, berlin)},
		{"after the slot", c, time.Date(2026, 6, 1, 9, 31, 0, 0, berlin), time.Date(2026, 6, 2, 9, 30, 0, 0, berlin)},
		{"friday evening", c, time.Date(2026, 6, 5, 18, 0, 0, 0, berlin), time.Date(2026, 6, 8, 9, 30, 0, 0, berlin)},
		{"holidays, away and new year", c, time.Date(2026, 12, 23, 10, 0, 0, 0, berlin), time.Date(2027, 1, 4, 9, 30, 0, 0, berlin)},
		{"across march DST berlin", c, time.Date(2026, 3, 27, 10, 0, 0, 0, berlin), time.Date(2026, 3, 30, 9, 30, 0, 0, berlin)},
		{"across october DST berlin", c, time.Date(2026, 10, 23, 10, 0, 0, 0, berlin), time.Date(2026, 10, 26, 9, 30, 0, 0, berlin)},
		{"across march DST new york", us, time.Date(2026, 3, 6, 10, 0, 0, 0, ny), time.Date(2026, 3, 9, 9, 30, 0, 0, ny)},
		{"across november DST new york", us, time.Date(2026, 10, 30, 10, 0, 0, 0, ny), time.Date(2026, 11, 2, 9, 30, 0, 0, ny)},
	}
	for _, tt := range tests {
		if got := tt.cal.NextWorkdayAt(tt.t, 9, 30); !got.Equal(tt.want) {
			t.Errorf("%s: NextWorkdayAt(%s) = %s, want %s", tt.name, tt.t, got, tt.want)
		}
	}
}

func TestNoWorkdaysTerminates(t *testing.T) {
	c := Calendar{Loc: time.UTC} // no workdays configured
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := c.Add(from, Span{1, Workdays}); !got.After(from.AddDate(19, 0, 0)) {
		t.Fatalf("Add with no workdays = %s, want a time decades away", got)
	}
	if got := c.WorkdaysBetween(from, from.AddDate(1, 0, 0)); got != 0 {
		t.Fatalf("WorkdaysBetween with no workdays = %d", got)
	}
}

func TestDateHelpers(t *testing.T) {
	if got := d(2026, 12, 31).AddDays(1); got != d(2027, 1, 1) {
		t.Errorf("AddDays over year end = %s", got)
	}
	if got := d(2028, 3, 1).AddDays(-1); got != d(2028, 2, 29) {
		t.Errorf("AddDays back into a leap day = %s", got)
	}
	if got := DaysBetween(d(2026, 3, 1), d(2026, 4, 1)); got != 31 {
		t.Errorf("DaysBetween march = %d", got)
	}
	if got := DaysBetween(d(2026, 4, 1), d(2026, 3, 1)); got != -31 {
		t.Errorf("DaysBetween reversed = %d", got)
	}
	if got := d(2026, 11, 22).Weekday(); got != time.Sunday {
		t.Errorf("Weekday = %s", got)
	}
}
