package nudge

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/leadup/leadup/daemon/calendar"
	"github.com/leadup/leadup/daemon/message"
	"github.com/leadup/leadup/daemon/reading"
)

// untilWords come between "away" (or "snooze") and its date, in the
// lexicon's languages.
var untilWords = map[string]bool{
	"until": true, "till": true, "til": true, "through": true, "thru": true, "to": true, "up": true, "including": true,
	"bis": true, "zum": true, "einschließlich": true,
	"jusqu'au": true, "jusqu'à": true, "jusqu'a": true, "jusque": true, "au": true, "le": true, "inclus": true,
	"hasta": true, "el": true, "incluido": true,
}

// forWords come between a command and its span or its people ("snooze for
// 3 days", "remind me in a week", "done for Dana").
var forWords = map[string]bool{
	"for": true, "in": true, "with": true, "about": true, "re": true,
	"für": true, "mit": true, "um": true, "pour": true, "avec": true, "dans": true, "pendant": true,
	"para": true, "con": true, "durante": true, "por": true, "en": true,
}

// andWords join the people a reply names ("done Dana and Sam").
var andWords = map[string]bool{"and": true, "&": true, "+": true, "und": true, "et": true, "y": true, "e": true}

// politeWords may end a reply without punctuation ("done thanks", "skip
// please"): they are no argument.
var politeWords = map[string]bool{
	"thanks": true, "thank": true, "you": true, "thx": true, "ty": true, "please": true, "pls": true, "plz": true,
	"cheers": true, "again": true, "a": true, "lot": true, "so": true, "much": true, "now": true, "already": true,
	"danke": true, "bitte": true, "schön": true, "merci": true, "beaucoup": true, "s'il": true, "te": true, "vous": true,
	"plaît": true, "plait": true, "gracias": true, "favor": true, "por": true, "muchas": true, "ya": true,
}

// countWords are counts written out ("snooze a week", "zwei Tage").
var countWords = map[string]int{
	"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10, "couple": 2, "few": 3,
	"ein": 1, "eine": 1, "einen": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
	"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
	"uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
}

// tomorrowWords snooze until the start of tomorrow.
var tomorrowWords = map[string]bool{"tomorrow": true, "morgen": true, "demain": true, "mañana": true, "manana": true}

func isCount(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// parseSpanPrefix reads a span from the first words of ws ("3 days
// please", "2 Wochen", "a week", "a couple of days"), ignoring what follows.
func parseSpanPrefix(ws []string) (calendar.Span, error) {
	if len(ws) == 0 {
		return calendar.Span{}, errors.New("no span")
	}
	count, i := ws[0], 1
	if !isCount(ws[0]) {
		count, i = "", 0
		for ; i < len(ws); i++ {
			if n, ok := countWords[ws[i]]; ok {
				count = strconv.Itoa(n)
			} else if ws[i] != "of" || count == "" {
				break
			}
		}
		if count == "" {
			return calendar.Span{}, fmt.Errorf("%q is not a span", strings.Join(ws, " "))
		}
	}
	rest := append([]string{count}, ws[i:]...)
	var err error
	for n := min(len(rest), 3); n >= 2; n-- {
		var s calendar.Span
		if s, err = calendar.ParseSpan(strings.Join(rest[:n], " ")); err == nil {
			return s, nil
		}
	}
	if err == nil {
		_, err = calendar.ParseSpan(strings.Join(rest, " "))
	}
	return calendar.Span{}, err
}

// parseReplyDate reads a date at the start of ws: "2027-01-08",
// "08.01.2027", "8 January", "8th of January 2027", "January 8", "Monday",
// "next Friday", "8. Januar", "8 de enero", "tomorrow". It is the grammar
// out-of-office replies are read with (message.ReturnDate); a date
// without a year is its next occurrence, a weekday the next one after
// today. The result is midnight in loc.
func parseReplyDate(ws []string, now time.Time, loc *time.Location) (time.Time, bool) {
	if len(ws) == 0 {
		return time.Time{}, false
	}
	if tomorrowWords[ws[0]] {
		return calendar.DateOf(now, loc).AddDays(1).Start(loc), true
	}
	if len(ws) > 6 {
		ws = ws[:6]
	}
	return message.ReturnDate("until "+strings.Join(ws, " "), now, loc)
}

// Reply command kinds.
const (
	CmdDone   = "done"
	CmdSnooze = "snooze"
	CmdSkip   = "skip"
	CmdAway   = "away"
)

// Command is what the user asked for in a reply to a reminder. Until is set
// for snooze (the end of the snooze) and away (the first moment back). Who
// holds the addresses of the stakeholders the reply named ("done Dana",
// "snooze Sam 1 week"): the command is for them alone. Without names it is
// for everyone the reminder covered.
type Command struct {
	Kind  string
	Until time.Time
	Who   []string
}

// ErrNoCommand is returned by ParseReply when the reply holds no text.
var ErrNoCommand = errors.New("the reply is empty: answer with done, snooze 3 days, skip or away until a date")

// UnreadableError is a reply leadup could not read: its first line as the
// user wrote it, and why.
type UnreadableError struct {
	Line string
	Why  string
}

func (e *UnreadableError) Error() string { return fmt.Sprintf("%q: %s", e.Line, e.Why) }

// ReplyHelp lists the reply commands with examples dated after now, for
// the mail that answers a reply leadup could not read: "done, done Dana,
// snooze 3 days, skip, away until 8 Jan". person, when set, is a first
// name to show the per-person form with.
func ReplyHelp(now time.Time, loc *time.Location, person string) string {
	if loc == nil {
		loc = time.UTC
	}
	back := calendar.DateOf(now, loc).AddDays(14).Start(loc)
	s := "done, "
	if person != "" {
		s += "done " + person + ", "
	}
	return s + "snooze 3 days, skip, away until " + back.Format("2 Jan")
}

// replyToken is one word of a reply's line, lowercased; brk says
// punctuation other than a colon ("done, thanks", "done - told her")
// follows it; upper that
// it was written with a capital.
type replyToken struct {
	w                 string
	brk, colon, upper bool
}

// replyTokens splits a line into words. Words keep inner punctuation
// ("1:1", "08.01.2027", "c'est"); a hyphen between letters splits
// ("rappelle-moi").
func replyTokens(line string) []replyToken {
	var out []replyToken
	for _, f := range strings.Fields(strings.ReplaceAll(line, "\u2019", "'")) {
		if strings.Trim(f, "-–—") == "" {
			if len(out) > 0 {
				out[len(out)-1].brk = true
			}
			continue
		}
		core := strings.TrimLeft(f, "(\"'“‘¿¡*[")
		end := strings.TrimRight(core, ".,!?;:)\"'”’*]…")
		// A colon introduces what follows ("snooze: 3 days"); other
		// punctuation sets off a remark.
		brk := strings.ContainsAny(core[len(end):], ".,!?;…")
		colon := strings.Contains(core[len(end):], ":")
		if end == "" {
			if len(out) > 0 && brk {
				out[len(out)-1].brk = true
			}
			continue
		}
		parts := splitLetterHyphens(end)
		for i, p := range parts {
			r, _ := utf8.DecodeRuneInString(p)
			last := i == len(parts)-1
			out = append(out, replyToken{w: strings.ToLower(p), upper: unicode.IsUpper(r), brk: brk && last, colon: colon && last})
		}
	}
	return out
}

// splitLetterHyphens splits "rappelle-moi" but not "2027-01-08".
func splitLetterHyphens(s string) []string {
	var out []string
	start := 0
	for i := 1; i < len(s)-1; i++ {
		if s[i] == '-' && isLetterByte(s[i-1]) && isLetterByte(s[i+1]) {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func isLetterByte(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' || c >= 0x80 }

func tokenWords(ts []replyToken) []string {
	ws := make([]string, len(ts))
	for i, t := range ts {
		ws[i] = t.w
	}
	return ws
}

// ParseReply reads the user's answer to a reminder; see ParseReplyFor.
// Without stakeholders, a reply that names a person is not understood.
func ParseReply(body string, now time.Time, cal calendar.Calendar) (Command, error) {
	return ParseReplyFor(body, now, cal, nil)
}

// ParseReplyFor reads the user's answer to a reminder: the first line of
// body that is not quoted ("> "), leniently (any case, punctuation, a
// remark after the command, the lexicon's languages):
//
//	done                    the user has updated everyone in the reminder
//	                        ("Done, thanks!", "done - told her in our 1:1",
//	                        "erledigt", "c'est fait")
//	snooze 3 days           no reminders about them for that span (any Span;
//	                        plain "snooze" is 1 day; "snooze a week", "snooze
//	                        until Monday"). Spans of days, workdays and weeks
//	                        end at the start of the day they reach, so
//	                        "snooze 1 day" sent at 09:45 makes tomorrow's
//	                        09:30 reminder possible again.
//	skip                    skip this due period: no reminders about them until
//	                        their cadence has passed once more, counted from now
//	away until 8 January    the user is away through that date (inclusive, like
//	                        the config's away ranges): no reminders at all, and
//	                        the cadence clocks stand still ("away till
//	                        2027-01-08", "Urlaub bis 08.01.2027", "away until
//	                        next Monday", "away for 2 weeks")
//
// A command may name stakeholders from people, by first name, name,
// address or role, right after the command word: "done Dana", "snooze Sam
// 1 week", "skip Dana and Sam". A reply leadup cannot read gives an
// *UnreadableError; an empty one ErrNoCommand. Command.Apply turns a
// command into updates and pauses.
func ParseReplyFor(body string, now time.Time, cal calendar.Calendar, people []Stakeholder) (Command, error) {
	if cal.Loc == nil {
		cal.Loc = time.UTC
	}
	var line string
	for _, l := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, ">") {
			line = l
			break
		}
	}
	if line == "" {
		return Command{}, ErrNoCommand
	}
	ts := replyTokens(line)
	if len(ts) == 0 {
		return Command{}, ErrNoCommand
	}
	bad := func(why string, args ...any) (Command, error) {
		return Command{}, &UnreadableError{Line: line, Why: fmt.Sprintf(why, args...)}
	}
	ws := tokenWords(ts)

	// The command in any language of the lexicon ("erledigt", "plus tard",
	// "skip this one"), after the people it is for ("Dana: done") or
	// before them ("done Dana").
	var who []string
	kind, n := reading.Default.Command(ws)
	if kind == "" {
		if w, k, err := matchPeople(ts, people); err != nil {
			return bad("%s", err)
		} else if k > 0 {
			if kind, n = reading.Default.Command(ws[k:]); kind != "" {
				who, n = w, n+k
			}
		}
	}
	if kind == "" {
		return bad("it starts with no command leadup knows")
	}
	// A second command word of the same kind is part of it ("rappelle-moi
	// plus tard", "done, done").
	if k2, n2 := reading.Default.Command(ws[n:]); k2 == kind {
		n += n2
	}
	if who == nil && kind != CmdAway {
		i := n
		if i < len(ts) && forWords[ts[i].w] && !ts[i-1].brk {
			i++
		}
		if i < len(ts) && !ts[i-1].brk {
			w, k, err := matchPeople(ts[i:], people)
			if err != nil {
				return bad("%s", err)
			}
			if k > 0 {
				who, n = w, i+k
			}
		}
	}
	rest, restTok := ws[n:], ts[n:]
	// A remark after the command is set off by punctuation ("done,
	// thanks", "done - told her") or is only polite words ("skip please");
	// words that run on ("done with the budget") qualify it, which leadup
	// cannot do: the user is told instead.
	remark := len(rest) == 0 || ts[n-1].brk || allPolite(rest)
	unknownName := func() (Command, error) {
		if len(restTok) > 0 && restTok[0].upper && !ts[n-1].brk && !isCount(rest[0]) {
			return bad("no stakeholder is called %q; name them as in the config (first name, name or address)", restTok[0].w)
		}
		return Command{}, nil
	}
	switch kind {
	case CmdDone, CmdSkip:
		if remark || ts[n-1].colon { // "done: told her"
			return Command{Kind: kind, Who: who}, nil
		}
		if c, err := unknownName(); err != nil {
			return c, err
		}
		return bad("%s takes no words after it, except the first names of the people it is for", kind)
	case CmdSnooze:
		if len(rest) > 0 && forWords[rest[0]] {
			rest = rest[1:]
		}
		var until time.Time
		switch {
		case len(rest) == 0:
			until = snoozeEnd(cal, now, calendar.Span{N: 1, Unit: calendar.Days})
		case untilWords[rest[0]] || tomorrowWords[rest[0]] || weekdayWords[rest[0]] || rest[0] == "next" || rest[0] == "this":
			for len(rest) > 0 && untilWords[rest[0]] {
				rest = rest[1:]
			}
			d, ok := parseReplyDate(rest, now, cal.Loc)
			if !ok {
				return bad("snooze until %q: write the date like %s", strings.Join(rest, " "), dateExamples(now, cal.Loc))
			}
			until = d
		default:
			s, err := parseSpanPrefix(rest)
			switch {
			case err != nil && remark:
				s = calendar.Span{N: 1, Unit: calendar.Days} // "snooze, busy today"
			case err != nil:
				if c, err := unknownName(); err != nil {
					return c, err
				}
				return bad("snooze for how long? Write snooze 3 days, snooze 1 week or snooze until Monday")
			}
			if until = snoozeEnd(cal, now, s); until.IsZero() {
				return bad("snooze %s: too long to count", s)
			}
		}
		if !until.After(now) {
			return bad("snooze until %s: that has passed", until.Format(time.DateOnly))
		}
		return Command{Kind: CmdSnooze, Until: until, Who: who}, nil
	case CmdAway:
		if len(rest) > 0 && (rest[0] == "for" || rest[0] == "für" || rest[0] == "pour" || rest[0] == "pendant" || rest[0] == "durante" || rest[0] == "por") {
			if s, err := parseSpanPrefix(rest[1:]); err == nil {
				back := calendar.DateOf(cal.Add(now, s), cal.Loc).Start(cal.Loc)
				if !back.After(now) {
					back = calendar.DateOf(now, cal.Loc).AddDays(1).Start(cal.Loc)
				}
				return Command{Kind: CmdAway, Until: back}, nil
			}
		}
		for len(rest) > 0 && untilWords[rest[0]] {
			rest = rest[1:]
		}
		if len(rest) == 0 {
			return bad("away until when? Write away until %s", dateExamples(now, cal.Loc))
		}
		d, ok := parseReplyDate(rest, now, cal.Loc)
		if !ok {
			return bad("away until %q: write the date like %s", strings.Join(rest, " "), dateExamples(now, cal.Loc))
		}
		back := calendar.DateOf(d, cal.Loc).AddDays(1).Start(cal.Loc)
		if !back.After(now) {
			return bad("away until %s: that date has passed", d.Format(time.DateOnly))
		}
		return Command{Kind: CmdAway, Until: back}, nil
	}
	return bad("it starts with no command leadup knows")
}

// snoozeEnd is when a snooze of s from now ends: spans of days and more end
// at the start of the day they reach. Zero when s overflows.
func snoozeEnd(cal calendar.Calendar, now time.Time, s calendar.Span) time.Time {
	until := cal.Add(now, s)
	if s.Unit != calendar.Minutes && s.Unit != calendar.Hours {
		until = calendar.DateOf(until, cal.Loc).Start(cal.Loc)
	}
	if !until.After(now) {
		return time.Time{}
	}
	return until
}

// dateExamples shows the date forms a reply may use, dated after now.
func dateExamples(now time.Time, loc *time.Location) string {
	d := calendar.DateOf(now, loc).AddDays(14).Start(loc)
	return d.Format(time.DateOnly) + ", " + d.Format("02.01.2006") + " or " + d.Format("2 January")
}

var weekdayWords = map[string]bool{
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true,
	"mon": true, "tue": true, "wed": true, "thu": true, "fri": true,
	"montag": true, "dienstag": true, "mittwoch": true, "donnerstag": true, "freitag": true,
	"lundi": true, "mardi": true, "mercredi": true, "jeudi": true, "vendredi": true,
	"lunes": true, "martes": true, "miércoles": true, "jueves": true, "viernes": true,
}

func allPolite(ws []string) bool {
	for _, w := range ws {
		if !politeWords[w] {
			return false
		}
	}
	return true
}

// matchPeople reads the stakeholders named at the start of ts ("Dana",
// "Dana Whitfield", "dana@example.com", "boss", "Dana and Sam"): their
// addresses and how many words that took. A name two stakeholders share is
// an error.
func matchPeople(ts []replyToken, people []Stakeholder) ([]string, int, error) {
	var who []string
	n := 0
	for n < len(ts) {
		e, k, err := matchPerson(tokenWords(ts[n:]), people)
		if err != nil {
			return nil, 0, err
		}
		if k == 0 {
			break
		}
		who = append(who, e)
		n += k
		// "Dana, Sam", "Dana and Sam": another name must follow.
		next := n
		if next < len(ts) && andWords[ts[next].w] {
			next++
		} else if !ts[n-1].brk {
			break
		}
		if next >= len(ts) {
			break
		}
		if _, k2, _ := matchPerson(tokenWords(ts[next:]), people); k2 == 0 {
			break
		}
		n = next
	}
	return who, n, nil
}

// matchPerson matches the longest name of a stakeholder at the start of ws.
func matchPerson(ws []string, people []Stakeholder) (string, int, error) {
	best, bestN := "", 0
	ambiguous := false
	for _, p := range people {
		for _, key := range personKeys(p) {
			k := len(key)
			if k > len(ws) || k < bestN || !equalWords(ws[:k], key) {
				continue
			}
			switch {
			case k > bestN:
				best, bestN, ambiguous = p.Email, k, false
			case normAddr(best) != normAddr(p.Email):
				ambiguous = true
			}
		}
	}
	if ambiguous {
		return "", 0, fmt.Errorf("%q names more than one stakeholder; write the full name", strings.Join(ws[:bestN], " "))
	}
	return best, bestN, nil
}

// personKeys are the ways a reply may name p: name, first name, last name,
// address, the address's local part, role.
func personKeys(p Stakeholder) [][]string {
	var keys [][]string
	name := tokenWords(replyTokens(p.Name))
	if len(name) > 0 {
		keys = append(keys, name, name[:1])
		if len(name) > 1 {
			keys = append(keys, name[len(name)-1:])
		}
	}
	if a := normAddr(p.Email); a != "" {
		keys = append(keys, []string{a})
		if local, _, ok := strings.Cut(a, "@"); ok {
			keys = append(keys, []string{local})
		}
	}
	if r := strings.ToLower(strings.TrimSpace(p.Role)); r != "" {
		keys = append(keys, []string{r})
	}
	return keys
}

func equalWords(a, b []string) bool {
	for i := range b {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Apply turns a reply to the reminder that covered emails into what leadup
// stores: done gives an update (source "reply") per stakeholder; snooze and
// skip a pause per stakeholder; away one pause for everyone. A command that
// names people (Who) is for them instead of emails. stakeholders gives skip
// each person's cadence (a week when they have none).
func (c Command) Apply(now time.Time, cal calendar.Calendar, emails []string, stakeholders []Stakeholder) ([]Update, []Pause) {
	if cal.Loc == nil {
		cal.Loc = time.UTC
	}
	if len(c.Who) > 0 {
		emails = c.Who
	}
	var ups []Update
	var ps []Pause
	switch c.Kind {
	case CmdDone:
		for _, e := range emails {
			ups = append(ups, Update{Email: e, At: now, Subject: "", Source: SourceReply})
		}
	case CmdSnooze:
		for _, e := range emails {
			ps = append(ps, Pause{Email: e, From: now, Until: c.Until, Reason: ReasonSnooze})
		}
	case CmdSkip:
		for _, e := range emails {
			cad := calendar.Span{N: 1, Unit: calendar.Weeks}
			for _, s := range stakeholders {
				if normAddr(s.Email) == normAddr(e) && !s.Cadence.IsZero() {
					cad = s.Cadence
				}
			}
			until := calendar.DateOf(cal.Add(now, cad), cal.Loc).Start(cal.Loc)
			ps = append(ps, Pause{Email: e, From: now, Until: until, Reason: ReasonSkip})
		}
	case CmdAway:
		ps = append(ps, Pause{From: now, Until: c.Until, Reason: ReasonAway})
	}
	return ups, ps
}
