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
	out = resolveWeekdays(out, day)
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

// bareWeekdayRe finds a weekday named alone ("by Friday", "on Monday"),
// with the word before it that may say which one is meant.
var bareWeekdayRe = regexp.MustCompile(`(?i)\b(?:(by|before|until|till|on|since|from)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b`)

// futureRe and pastRe tell a sentence's tense well enough to place a bare
// weekday: "we will cut over on Monday" is the coming one, "we launched
// on Wednesday" the one before the mail.
var (
	futureRe = regexp.MustCompile(`(?i)\b(?:if|will|shall|going to|plan(?:s|ned)? to|scheduled|planned|expect(?:s|ed)? to|due|aim(?:s|ing)? to|is set for|should)\b|'ll\b|’ll\b`)
	pastRe   = regexp.MustCompile(`(?i)\b(?:was|were|had|did|went|got|made|sent|began|came|ran|shipped|[a-z]{3,}ed)\b`)
)

// statePassive is a state, not a past event: "is blocked", "are delayed".
var statePassive = regexp.MustCompile(`(?i)\b(?:is|are|am|be|been|being|remains?|stays?|still)\s+[a-z]+ed\b`)

// clauseAt is the clause of s around [start, end): the text between the
// nearest ";", "," or " but " on either side.
func clauseAt(s string, start, end int) string {
	from, to := 0, len(s)
	for _, sep := range []string{";", ",", " but ", " and "} {
		if i := strings.LastIndex(s[:start], sep); i >= 0 && i+len(sep) > from {
			from = i + len(sep)
		}
		if i := strings.Index(s[end:], sep); i >= 0 && end+i < to {
			to = end + i
		}
	}
	return s[from:to]
}

// resolveWeekdays dates the weekdays a sentence names alone, when the
// sentence says which one is meant: a deadline ("by Friday", "until
// Monday") or the future tense is the next one after the mail's day, the
// past tense ("launched on Wednesday", "since Monday") the last one before
// it. A weekday the sentence leaves open, or the mail's own weekday, is
// left as written.
func resolveWeekdays(s string, day time.Time) string {
	if !strings.Contains(strings.ToLower(s), "day") {
		return s
	}
	return replaceAllSubmatchFunc(bareWeekdayRe, s, func(m []string, whole string, start, end int) string {
		if strings.HasPrefix(s[end:], "'s") || strings.HasPrefix(s[end:], "’s") {
			return whole // "Monday's standup"
		}
		prep, wd := strings.ToLower(m[1]), weekdays[strings.ToLower(m[2])]
		if wd == day.Weekday() {
			return whole
		}
		// The tense of the clause the weekday sits in: in "the contract
		// is blocked on legal; we meet on Friday" the first clause's
		// "blocked" says nothing about Friday.
		clause := clauseAt(s, start, end)
		future := futureRe.MatchString(clause)
		past := pastRe.MatchString(statePassive.ReplaceAllString(clause, ""))
		step := 0
		switch {
		case prep == "by" || prep == "before" || prep == "until" || prep == "till" || prep == "from":
			step = 1
		case prep == "since":
			step = -1
		case future:
			step = 1
		case past:
			step = -1
		default:
			return whole
		}
		d := day.AddDate(0, 0, step)
		for d.Weekday() != wd {
			d = d.AddDate(0, 0, step)
		}
		if m[1] == "" {
			return d.Format("Mon 2 Jan")
		}
		return m[1] + " " + d.Format("Mon 2 Jan")
	})
}

// replaceAllSubmatchFunc is regexp's ReplaceAllStringFunc with the
// submatches and where the match ends.
func replaceAllSubmatchFunc(re *regexp.Regexp, s string, fn func(m []string, whole string, start, end int) string) string {
	var b strings.Builder
	last := 0
	for _, loc := range re.FindAllStringSubmatchIndex(s, -1) {
		m := make([]string, len(loc)/2)
		for i := range m {
			if loc[2*i] >= 0 {
				m[i] = s[loc[2*i]:loc[2*i+1]]
			}
		}
		b.WriteString(s[last:loc[0]])
		b.WriteString(fn(m, s[loc[0]:loc[1]], loc[0], loc[1]))
		last = loc[1]
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

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
