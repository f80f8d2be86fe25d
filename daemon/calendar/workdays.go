package calendar

import "time"

// This file is the workday arithmetic: which days count, and how spans are
// added to an instant on the user's calendar. Everything works on local dates
// in c.Loc and rebuilds instants from local wall time, so a day is a day even
// when it has 23 or 25 hours (DST switches).
//
// What counts, per unit:
//   - workdays: a configured weekday that is not a holiday and not away.
//   - days, weeks: every calendar day except holidays and away days. The
//     design says holidays and away days "never count", and a "2 weeks"
//     cadence that spans Christmas should not fall due while nobody works;
//     weekends do count, since a plain-day cadence is not a workday one.
//     A week is 7 such days.
//   - minutes, hours: elapsed time; nothing is paused.

// maxScan bounds every day-by-day walk, so a calendar with no workdays at
// all (which config validation should reject) cannot loop forever.
const maxScan = 20 * 366

// AddDays returns the date n days after d (before d when n is negative).
func (d Date) AddDays(n int) Date {
	y, m, dd := time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC).Date()
	return Date{y, m, dd}
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// At returns the instant at the local wall time hour:min on d in loc. A wall
// time that does not exist (skipped by a DST switch) is normalised by the
// time package, i.e. moved forward by the size of the gap.
func (d Date) At(hour, min int, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, min, 0, 0, loc)
}

// DaysBetween returns the number of calendar days from a to b: 1 from one
// day to the next, whatever the length of that day in any zone.
func DaysBetween(a, b Date) int {
	ta := time.Date(a.Year, a.Month, a.Day, 12, 0, 0, 0, time.UTC)
	tb := time.Date(b.Year, b.Month, b.Day, 12, 0, 0, 0, time.UTC)
	return int(tb.Sub(ta).Hours() / 24)
}

// IsHoliday reports whether d is one of the configured holidays.
func (c Calendar) IsHoliday(d Date) bool {
	for _, h := range c.Holidays {
		if h == d {
			return true
		}
	}
	return false
}

// IsAway reports whether d lies in one of the away ranges: no reminders go
// out and cadence clocks stand still.
func (c Calendar) IsAway(d Date) bool {
	for _, r := range c.Away {
		if r.Contains(d) {
			return true
		}
	}
	return false
}

// IsWorkday reports whether d counts as a working day: a configured weekday,
// not a holiday and not away.
func (c Calendar) IsWorkday(d Date) bool {
	return c.Workdays[d.Weekday()] && !c.IsHoliday(d) && !c.IsAway(d)
}

// counts reports whether day d advances a span of unit u.
func (c Calendar) counts(d Date, u Unit) bool {
	if u == Workdays {
		return c.IsWorkday(d)
	}
	return !c.IsHoliday(d) && !c.IsAway(d)
}

// Add returns t moved on by s on this calendar. Workdays, days and weeks
// land on the Nth counting day after t's local date (see the file comment
// for what counts), at t's local wall time, so "5 workdays" after Friday
// 16:00 is the next Friday 16:00 even across a DST switch. Minutes and hours
// are elapsed time. A zero span returns t.
func (c Calendar) Add(t time.Time, s Span) time.Time {
	if s.IsZero() {
		return t
	}
	switch s.Unit {
	case Minutes:
		return t.Add(time.Duration(s.N) * time.Minute)
	case Hours:
		return t.Add(time.Duration(s.N) * time.Hour)
	}
	n := s.N
	if s.Unit == Weeks {
		n *= 7
	}
	lt := t.In(c.Loc)
	d := DateOf(t, c.Loc)
	for i := 0; n > 0 && i < maxScan; i++ {
		d = d.AddDays(1)
		if c.counts(d, s.Unit) {
			n--
		}
	}
	return time.Date(d.Year, d.Month, d.Day, lt.Hour(), lt.Minute(), lt.Second(), lt.Nanosecond(), c.Loc)
}

// WorkdaysBetween counts the workdays after a's local date up to and
// including b's local date: 1 from a Friday to the next Monday, 0 within one
// day. It counts dates, not hours, so it reads the way people say "3 workdays
// ago". It is negative when b is before a.
func (c Calendar) WorkdaysBetween(a, b time.Time) int {
	da, db := DateOf(a, c.Loc), DateOf(b, c.Loc)
	sign := 1
	if db.Before(da) {
		da, db, sign = db, da, -1
	}
	n := 0
	for d, i := da.AddDays(1), 0; !db.Before(d) && i < maxScan; d, i = d.AddDays(1), i+1 {
		if c.IsWorkday(d) {
			n++
		}
	}
	return sign * n
}

// NextWorkdayAt returns the first instant at or after t that is local
// hour:min on a workday: today's slot if it has not passed yet, else the
// slot on the next workday. Reminders go out at these slots.
func (c Calendar) NextWorkdayAt(t time.Time, hour, min int) time.Time {
	d := DateOf(t, c.Loc)
	for i := 0; i < maxScan; i, d = i+1, d.AddDays(1) {
		if !c.IsWorkday(d) {
			continue
		}
		if at := d.At(hour, min, c.Loc); !at.Before(t) {
			return at
		}
	}
	return d.At(hour, min, c.Loc)
}
