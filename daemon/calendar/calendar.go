package calendar

import "time"

// Date is a calendar day without a time, in the calendar's zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the day t falls on in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{y, m, d}
}

// Start returns midnight at the start of the day in loc.
func (d Date) Start(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Before reports whether d is an earlier day than o.
func (d Date) Before(o Date) bool {
	if d.Year != o.Year {
		return d.Year < o.Year
	}
	if d.Month != o.Month {
		return d.Month < o.Month
	}
	return d.Day < o.Day
}

// String renders the date as YYYY-MM-DD.
func (d Date) String() string {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// Range is an inclusive range of days, as in the config's away list.
type Range struct {
	From, To Date
}

// Contains reports whether d lies within the range (inclusive).
func (r Range) Contains(d Date) bool { return !d.Before(r.From) && !r.To.Before(d) }

// Calendar is the user's working calendar. The zero value is not usable:
// Loc must be set.
type Calendar struct {
	Loc      *time.Location
	Workdays [7]bool // indexed by time.Weekday
	Holidays []Date
	Away     []Range
}
