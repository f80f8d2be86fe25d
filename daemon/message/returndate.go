package message

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// returnTriggerRe finds a trigger phrase ("back on", "until", ...) that is
// followed by a date.
var returnTriggerRe = func() *regexp.Regexp {
	ts := append([]string(nil), returnTriggers...)
	sort.Slice(ts, func(i, j int) bool { return len(ts[i]) > len(ts[j]) })
	for i, t := range ts {
		ts[i] = regexp.QuoteMeta(t)
	}
	return regexp.MustCompile(`(?:^|[^\pL\pN])(?:` + strings.Join(ts, "|") + `)(?:[^\pL\pN]|$)`)
}()

// Date shapes tried after a trigger. Leading filler ("on", "the", "next",
// "am", "le") is skipped first.
var (
	dateFiller  = regexp.MustCompile(`^(?:\s|,|:|on|the|next|this|coming|am|le|el|den|dem|op|il|in the office|in office|to the office|to work|at work|from)+\b`)
	isoDateRe   = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})\b`)
	numDateRe   = regexp.MustCompile(`^(\d{1,2})([./])(\d{1,2})(?:[./](\d{2,4}))?\b`)
	dayMonthRe  = regexp.MustCompile(`^(?:(\pL+),?\s+)?(?:the\s+)?(\d{1,2})(?:st|nd|rd|th|er|\.)?\s*(?:of\s+|de\s+)?(\pL+)\.?(?:,?\s+(\d{4}))?`)
	monthDayRe  = regexp.MustCompile(`^(?:(\pL+),?\s+)?(\pL+)\.?\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?`)
	weekdayDay  = regexp.MustCompile(`^(\pL+),?\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th|\.)?(?:\s|$|[^\pL\pN])`)
	weekdayOnly = regexp.MustCompile(`^(\pL+)\b`)
)

// ReturnDate finds the date an out-of-office reply says its sender is back
// ("back on 4 January", "returning 2027-01-04", "until Monday 5th"), so the
// sender's reminders can pause until then. ref is when the reply was sent;
// a date without a year is the first such date not before ref. The result
// is midnight in loc (ref's location when loc is nil). Best effort: false
// when no date follows a return phrase.
func ReturnDate(text string, ref time.Time, loc *time.Location) (time.Time, bool) {
	if loc == nil {
		loc = ref.Location()
	}
	ref = ref.In(loc)
	refDay := time.Date(ref.Year(), ref.Month(), ref.Day(), 0, 0, 0, 0, loc)
	t := lowerFold(text)
	if len(t) > 64<<10 {
		t = t[:64<<10]
	}
	for _, m := range returnTriggerRe.FindAllStringIndex(t, -1) {
		rest := t[m[1]:]
		rest = strings.TrimLeft(rest, " \t\r\n")
		if loc := dateFiller.FindStringIndex(rest); loc != nil {
			rest = rest[loc[1]:]
		}
		rest = strings.TrimLeft(rest, " \t\r\n,")
		if len(rest) > 80 {
			rest = rest[:80]
		}
		if d, ok := parseDateAfter(rest, refDay, loc); ok {
			return d, true
		}
	}
	return time.Time{}, false
}

// parseDateAfter parses a date at the start of s.
func parseDateAfter(s string, refDay time.Time, loc *time.Location) (time.Time, bool) {
	if strings.HasPrefix(s, "tomorrow") || strings.HasPrefix(s, "morgen") || strings.HasPrefix(s, "demain") {
		return refDay.AddDate(0, 0, 1), true
	}
	if m := isoDateRe.FindStringSubmatch(s); m != nil {
		y, mo, d := atoi(m[1]), atoi(m[2]), atoi(m[3])
		return mkDate(y, mo, d, loc)
	}
	if m := numDateRe.FindStringSubmatch(s); m != nil {
		a, b := atoi(m[1]), atoi(m[3])
		y := 0
		if m[4] != "" {
			y = atoi(m[4])
			if y < 100 {
				y += 2000
			}
		}
		// "." is day first everywhere; "/" is ambiguous: take the reading
		// that lands soonest after ref.
		var cands []time.Time
		if d, ok := dayMonth(a, b, y, refDay, loc); ok {
			cands = append(cands, d)
		}
		if m[2] == "/" {
			if d, ok := dayMonth(b, a, y, refDay, loc); ok {
				cands = append(cands, d)
			}
		}
		return soonest(cands, refDay)
	}
	if m := dayMonthRe.FindStringSubmatch(s); m != nil {
		if mo, ok := monthNames[m[3]]; ok && (m[1] == "" || isWeekday(m[1])) {
			return dayMonth(atoi(m[2]), mo, atoi(m[4]), refDay, loc)
		}
	}
	if m := monthDayRe.FindStringSubmatch(s); m != nil {
		if mo, ok := monthNames[m[2]]; ok && (m[1] == "" || isWeekday(m[1])) {
			return dayMonth(atoi(m[3]), mo, atoi(m[4]), refDay, loc)
		}
	}
	if m := weekdayDay.FindStringSubmatch(s); m != nil && isWeekday(m[1]) {
		// "Monday 5th": the next 5th after ref, preferring one that is a Monday.
		day, wd := atoi(m[2]), weekdayNames[m[1]]
		var first time.Time
		for i := 0; i < 14; i++ {
			d := time.Date(refDay.Year(), refDay.Month()+time.Month(i), day, 0, 0, 0, 0, loc)
			if d.Day() != day || d.Before(refDay) {
				continue
			}
			if first.IsZero() {
				first = d
			}
			if int(d.Weekday()) == wd {
				return d, true
			}
		}
		if !first.IsZero() {
			return first, true
		}
	}
	if m := weekdayOnly.FindStringSubmatch(s); m != nil && isWeekday(m[1]) {
		wd := weekdayNames[m[1]]
		n := (wd - int(refDay.Weekday()) + 7) % 7
		if n == 0 {
			n = 7
		}
		return refDay.AddDate(0, 0, n), true
	}
	return time.Time{}, false
}

func isWeekday(s string) bool { _, ok := weekdayNames[s]; return ok }

// dayMonth builds a date; without a year (y == 0) it is the first such date
// not before refDay.
func dayMonth(d, mo, y int, refDay time.Time, loc *time.Location) (time.Time, bool) {
	if y != 0 {
		return mkDate(y, mo, d, loc)
	}
	t, ok := mkDate(refDay.Year(), mo, d, loc)
	if !ok {
		t, ok = mkDate(refDay.Year()+1, mo, d, loc) // 29 February
		return t, ok
	}
	if t.Before(refDay) {
		return mkDate(refDay.Year()+1, mo, d, loc)
	}
	return t, true
}

// mkDate validates a calendar date.
func mkDate(y, mo, d int, loc *time.Location) (time.Time, bool) {
	if y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, loc)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

func soonest(cands []time.Time, refDay time.Time) (time.Time, bool) {
	var best time.Time
	for _, c := range cands {
		if c.Before(refDay) {
			continue
		}
		if best.IsZero() || c.Before(best) {
			best = c
		}
	}
	if best.IsZero() && len(cands) > 0 {
		return cands[0], true
	}
	return best, !best.IsZero()
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}
