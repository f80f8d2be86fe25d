package digest

import (
	"regexp"
	"strings"
	"time"
)

// relativeRe finds the relative times a status mail uses about its own day:
// "this morning", "yesterday", "tomorrow", "next Wednesday", "last Friday".
var relativeRe = regexp.MustCompile(`(?i)\b(this morning|this afternoon|this evening|tonight|today|yesterday|tomorrow|(?:next|last|this) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|week))\b`)

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

// resolveRelative rewrites the relative times of a sentence against the
// day its mail was sent: in Wednesday's mail "this morning" becomes "on
// Wed 18 Nov" and "next Wednesday" "on Wed 25 Nov", so a Friday digest
// does not say "this morning" about Wednesday. Sentences without one are
// returned as they are.
func resolveRelative(s string, sent time.Time, loc *time.Location) string {
	if sent.IsZero() || !strings.ContainsAny(s, "tTyYnNlL") {
		return s
	}
	if loc == nil {
		loc = time.UTC
	}
	day := sent.In(loc)
	on := func(d time.Time) string { return "on " + d.Format("Mon 2 Jan") }
	out := relativeRe.ReplaceAllStringFunc(s, func(m string) string {
		low := strings.ToLower(m)
		switch low {
		case "this morning", "this afternoon", "this evening", "tonight", "today":
			return on(day)
		case "yesterday":
			return on(day.AddDate(0, 0, -1))
		case "tomorrow":
			return on(day.AddDate(0, 0, 1))
		case "next week":
			return "in the week of " + startOfWeek(day.AddDate(0, 0, 7)).Format("Mon 2 Jan")
		case "last week":
			return "in the week of " + startOfWeek(day.AddDate(0, 0, -7)).Format("Mon 2 Jan")
		case "this week":
			return "in the week of " + startOfWeek(day).Format("Mon 2 Jan")
		}
		which, name, _ := strings.Cut(low, " ")
		wd, ok := weekdays[name]
		if !ok {
			return m
		}
		switch which {
		case "next": // the weekday of the coming week
			d := startOfWeek(day.AddDate(0, 0, 7))
			return on(d.AddDate(0, 0, (int(wd)+6)%7))
		case "last": // the most recent one before the mail's day
			d := day.AddDate(0, 0, -1)
			for d.Weekday() != wd {
				d = d.AddDate(0, 0, -1)
			}
			return on(d)
		default: // "this Friday": the one of the mail's week
			return on(startOfWeek(day).AddDate(0, 0, (int(wd)+6)%7))
		}
	})
	if out == s {
		return s
	}
	// "promised for on Wed 11 Nov" reads "promised for Wed 11 Nov".
	out = prepositionOn.Replace(out)
	if strings.HasPrefix(out, "on ") {
		out = "On " + out[3:]
	}
	return out
}

var prepositionOn = strings.NewReplacer("for in the week of", "for the week of", "for on ", "for ", "by on ", "by ", "until on ", "until ", "since on ",
	"since ", "from on ", "from ", "till on ", "till ", "before on ", "before ", "after on ", "after ", "on on ", "on ")

// startOfWeek is the Monday of t's week.
func startOfWeek(t time.Time) time.Time {
	return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
}

// firstPerson reports whether a sentence speaks as its writer ("I've
// escalated", "we're blocked", "our date"): quoted in the user's update,
// it must say whose words they are.
var firstPersonRe = regexp.MustCompile(`(?i)(?:^|[^\pL'])(i|i'm|i've|i'd|i'll|we|we're|we've|we'd|we'll|our|ours|us|my|me)(?:$|[^\pL'])`)

// attributed prefixes other people's first-person news with their first
// name ("Priya: we've escalated it to Helen Wu"), so the boss never reads
// a team member's "I" as the user's.
func attributed(text string, from Person, mine bool) string {
	if mine || text == "" || from.Name == "" {
		return text
	}
	if !firstPersonRe.MatchString(strings.ReplaceAll(text, "’", "'")) {
		return text
	}
	return FirstName(from.Name) + ": " + text
}
