package nudge

import (
	"bytes"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/leadup/leadup/daemon/calendar"
	"github.com/leadup/leadup/daemon/message"
	"github.com/leadup/leadup/templates"
)

// Template file names, overridable in templates_dir.
const (
	TextTemplate = "reminder.txt.tmpl"
	HTMLTemplate = "reminder.html.tmpl"
)

// Limits that keep a reminder short: snippets and asks are quoted briefly,
// and the news block lists a few threads.
const (
	snippetRunes  = 160
	heardRunes    = 120 // a heard-it-first snippet
	quoteRunes    = 90  // an ask quoted in a person's line
	quoteJoin     = 60  // sentences after the ask join its quote up to this length
	newsPerEntry  = 6
	heardPerEntry = 5
	topicRunes    = 40 // an ask's subject in the mail's subject
)

// View is what the reminder templates see. Every value is plain text;
// html/template escapes it, so mail content cannot inject markup.
//
// The default templates show the news once, at the top (HeardFirst, then
// News, one line per project), then one line per person (Entries, each with
// its Why), then ReplyHelp.
type View struct {
	Subject    string
	Date       string     // the reminder's day, "Wednesday 1 April 2026"
	HeardFirst []NewsView // bad news the boss should hear from the user, one per thread, newest first
	MoreHeard  int        // threads of HeardFirst left out
	Boss       string     // the boss's name, for the heard-it-first block
	News       []NewsView // the other news since NewsSince, one per project
	NewsSince  string     // "Sun 8 Nov": the oldest last update among the entries
	ReplyHelp  string     // "done, done Dana, snooze 3 days, skip, away until 15 Apr"
	Entries    []EntryView
}

// EntryView is one stakeholder in the reminder. Why is their whole line:
// "asked on Wed 1 Apr “Any update on Apollo?” — 12 days since your last
// update on Fri 20 Mar, due since Fri 27 Mar". The other fields are the
// parts, for templates that lay them out differently.
type EntryView struct {
	Number            int // 1-based position in the reminder
	Name, Email, Role string
	Level             string // OK, Amber, Red
	Why               string
	Never             bool
	DaysSince         int
	WorkdaysSince     int
	Since             string // "12 days (8 workdays)"
	LastSubject       string
	Last              string // the quoted subject, "a check-in" or "marked done"
	LastDate          string
	Cadence, Max      string
	Due               string // when the cadence ran out, "" when not due
	Paused            string // "Mon 6 Apr 00:00 (snooze)", "" when not paused
	Asks              []AskView
	News              []NewsView // this person's news since their last update, newest last
	MoreNews          int
}

// AskView is one open ask. Quote is the request itself, cut from the
// snippet ("Any update on Apollo? The exec review is Thursday").
type AskView struct {
	Subject, Snippet, Quote, Date string
	Status                        bool // always true: only a request is an ask
}

// NewsView is one project message, or in View.HeardFirst and View.News one
// thread or project: Subject without the reply prefixes (and the project's
// name when it leads), Words deduplicated, More the thread's or project's
// other messages.
type NewsView struct {
	Project, From, Subject, Snippet, Date, Words string
	Bad                                          bool
	More                                         int
	MoreText                                     string // "and 2 more messages", "" when More is 0
}

// Render turns a reminder into its subject, text and HTML bodies, using the
// templates in tmplDir when it has them (else the embedded ones). now is the
// time of sending; dates are shown in the reminder's zone.
func Render(r Reminder, now time.Time, tmplDir string) (subject, text, html string, err error) {
	v := NewView(r, now)
	tt, err := templates.Text(TextTemplate, tmplDir, nil)
	if err != nil {
		return "", "", "", fmt.Errorf("reminder text template: %w", err)
	}
	ht, err := templates.HTML(HTMLTemplate, tmplDir, nil)
	if err != nil {
		return "", "", "", fmt.Errorf("reminder html template: %w", err)
	}
	var tb, hb bytes.Buffer
	if err := tt.Execute(&tb, v); err != nil {
		return "", "", "", fmt.Errorf("render reminder text: %w", err)
	}
	if err := ht.Execute(&hb, v); err != nil {
		return "", "", "", fmt.Errorf("render reminder html: %w", err)
	}
	return v.Subject, tb.String(), hb.String(), nil
}

// NewView prepares a reminder for the templates: dates formatted in its
// zone, snippets shortened and cleaned, the news gathered once by thread and
// project, one reason line per person.
func NewView(r Reminder, now time.Time) View {
	loc := r.Loc
	if loc == nil {
		loc = time.UTC
	}
	day := r.Date.Start(loc)
	if r.Date.Year == 0 {
		day = now.In(loc)
	}
	v := View{
		Subject: subjectOf(r),
		Date:    day.Format("Monday 2 January 2006"),
	}
	for _, e := range r.Entries {
		if isBoss(e) && v.Boss == "" {
			v.Boss = e.Stakeholder.Name
		}
	}
	if v.Boss == "" {
		v.Boss = "your boss"
	}
	person := ""
	if len(r.Entries) > 1 {
		person = firstName(r.Entries[0].Stakeholder.Name)
	}
	v.ReplyHelp = ReplyHelp(now, loc, person)

	heard := threads(r.HeardFirst)
	if len(heard) > heardPerEntry {
		v.MoreHeard = len(heard) - heardPerEntry
		heard = heard[:heardPerEntry]
	}
	inHeard := map[string]bool{}
	for _, t := range threads(r.HeardFirst) {
		inHeard[t.key] = true
	}
	for _, t := range heard {
		n := t.newestBad()
		nv := newsView(n, loc, now)
		nv.Subject, nv.Date = t.subject, day0(n.At, loc, now)
		nv.Snippet = shortTo(cleanSnippet(n.Snippet), heardRunes)
		// Only the words the subject and the quote do not already say.
		nv.Words = strings.Join(unsaid(t.words(), nv.Subject, nv.Snippet), ", ")
		v.HeardFirst = append(v.HeardFirst, nv)
	}

	since, all := newsSince(r, now)
	if !since.IsZero() {
		v.NewsSince = day0(since, loc, now)
	}
	var rest []News
	for _, n := range all {
		if !inHeard[threadKey(n)] {
			rest = append(rest, n)
		}
	}
	v.News = projectLines(rest, loc, now)

	for i, e := range r.Entries {
		ev := entryView(e, loc, now)
		ev.Number = i + 1
		v.Entries = append(v.Entries, ev)
	}
	return v
}

func entryView(e Entry, loc *time.Location, now time.Time) EntryView {
	s := e.Stakeholder
	ev := EntryView{
		Name: s.Name, Email: s.Email, Role: s.Role, Level: e.Level,
		Never: e.Never, DaysSince: e.DaysSince, WorkdaysSince: e.WorkdaysSince,
		LastSubject: e.LastSubject,
		Cadence:     s.Cadence.String(), Max: s.Max.String(),
	}
	if !e.Never {
		ev.Since = fmt.Sprintf("%s (%s)", plural(e.DaysSince, "day"), plural(e.WorkdaysSince, "workday"))
		ev.LastDate = when(e.LastUpdate, loc, now)
		ev.Last = sourceWord(e.LastSource)
		if ev.LastSubject != "" {
			ev.Last = "“" + ev.LastSubject + "”"
		}
	}
	if e.Level != OK && !e.NextDue.IsZero() {
		ev.Due = when(e.NextDue, loc, now)
	}
	if !e.PausedUntil.IsZero() {
		ev.Paused = when(e.PausedUntil, loc, now) + " (" + e.PauseReason + ")"
	}
	for _, a := range e.OpenAsks {
		ev.Asks = append(ev.Asks, AskView{
			Subject: a.Subject, Snippet: short(cleanSnippet(a.Snippet)), Quote: askQuote(a.Subject, a.Snippet, quoteRunes),
			Date: when(a.At, loc, now), Status: a.Status,
		})
	}
	news := e.News
	if len(news) > newsPerEntry {
		ev.MoreNews = len(news) - newsPerEntry
		news = news[len(news)-newsPerEntry:]
	}
	for _, n := range news {
		ev.News = append(ev.News, newsView(n, loc, now))
	}
	ev.Why = why(e, loc, now)
	return ev
}

// why is a person's line after their name: the newest open ask, quoted,
// then how long since the last update and what the cadence says.
//
//	asked on Wed 18 Nov “Any update on Apollo?” — 12 days since your last update on Sun 8 Nov, over the 8 workday limit
//	6 days since your check-in on Mon 30 Mar, due since Fri 27 Mar
func why(e Entry, loc *time.Location, now time.Time) string {
	var ask string
	if n := len(e.OpenAsks); n > 0 {
		a := e.OpenAsks[n-1]
		ask = "asked on " + day0(a.At, loc, now)
		if topic := replyTopic(a.Subject); topic != "" && addsTo(topic, askQuote("", a.Snippet, quoteRunes)) {
			ask += " in “" + topic + "”: " + "“" + askQuote(a.Subject, a.Snippet, quoteRunes*3/4) + "”"
		} else {
			ask += " “" + askQuote(a.Subject, a.Snippet, quoteRunes) + "”"
		}
		if n > 1 {
			ask += " (and " + plural(n-1, "earlier ask") + ")"
		}
	}
	var gap []string
	switch {
	case e.Never:
		gap = append(gap, "no update on record")
	default:
		gap = append(gap, plural(e.DaysSince, "day")+" since "+lastWords(e.LastSource)+" on "+day0(e.LastUpdate, loc, now))
	}
	switch {
	case e.Level == Red:
		gap = append(gap, "over the "+spanWord(e.Stakeholder.Max)+" limit")
	case e.Level == Amber && !e.Never && !e.NextDue.IsZero():
		gap = append(gap, "due since "+day0(e.NextDue, loc, now))
	}
	if !e.PausedUntil.IsZero() {
		gap = append(gap, e.PauseReason+" until "+day0(e.PausedUntil, loc, now))
	}
	g := strings.Join(gap, ", ")
	if ask == "" {
		return g
	}
	return ask + " — " + g
}

// lastWords names the last update by its source, for "12 days since …".
func lastWords(src string) string {
	switch src {
	case SourceCheckin:
		return "your check-in"
	case SourceReply:
		return "you marked done"
	}
	return "your last update"
}

func newsView(n News, loc *time.Location, now time.Time) NewsView {
	return NewsView{
		Project: n.Project, From: who(n.From), Subject: n.Subject, Snippet: short(cleanSnippet(n.Snippet)),
		Date: when(n.At, loc, now), Words: strings.Join(dedupWords(n.Words), ", "), Bad: n.Bad,
	}
}

// newsSince is the project news of the reminder's entries, each message
// once, oldest first, and the time it starts from: the oldest last update
// among the entries (a week back for someone with none on record).
func newsSince(r Reminder, now time.Time) (time.Time, []News) {
	var since time.Time
	seen := map[string]bool{}
	var all []News
	for _, e := range r.Entries {
		from := e.LastUpdate
		if e.Never {
			from = now.Add(-unknownLookback)
		}
		if since.IsZero() || from.Before(since) {
			since = from
		}
		for _, n := range e.News {
			k := n.At.String() + "\x00" + n.From + "\x00" + n.Subject + "\x00" + n.Project
			if !seen[k] {
				seen[k] = true
				all = append(all, n)
			}
		}
	}
	sortNews(all)
	return since, all
}

// thread is the messages of one project thread, oldest first.
type thread struct {
	key, subject string
	msgs         []News
}

func (t thread) newest() time.Time { return t.msgs[len(t.msgs)-1].At }

func (t thread) newestBad() News {
	for i := len(t.msgs) - 1; i >= 0; i-- {
		if t.msgs[i].Bad {
			return t.msgs[i]
		}
	}
	return t.msgs[len(t.msgs)-1]
}

func (t thread) bad() bool {
	for _, m := range t.msgs {
		if m.Bad {
			return true
		}
	}
	return false
}

// mine says whether the user wrote every message of the thread.
func (t thread) mine() bool {
	for _, m := range t.msgs {
		if !m.Mine {
			return false
		}
	}
	return true
}

// words are the bad-news words of the thread, each once, newest mail's
// first.
func (t thread) words() []string {
	var ws []string
	for i := len(t.msgs) - 1; i >= 0; i-- {
		ws = append(ws, t.msgs[i].Words...)
	}
	return dedupWords(ws)
}

// threads groups news by project and subject (reply prefixes removed),
// newest thread first.
func threads(ns []News) []thread {
	ns = slices.Clone(ns)
	sortNews(ns)
	var out []thread
	at := map[string]int{}
	for _, n := range ns {
		k := threadKey(n)
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, thread{key: k, subject: newsSubject(n)})
		}
		out[i].msgs = append(out[i].msgs, n)
	}
	slices.SortStableFunc(out, func(a, b thread) int { return b.newest().Compare(a.newest()) })
	return out
}

func threadKey(n News) string {
	return strings.ToLower(n.Project) + "\x00" + strings.ToLower(strings.Join(strings.Fields(stripReplyPrefixes(n.Subject)), " "))
}

// newsSubject is a news subject as a line under its project shows it: no
// reply prefixes, and no project name leading it ("Apollo: build green" →
// "build green").
func newsSubject(n News) string {
	s := stripReplyPrefixes(n.Subject)
	if p := n.Project; p != "" && len(s) > len(p)+1 && strings.EqualFold(s[:len(p)], p) {
		if rest := strings.TrimLeft(s[len(p):], " "); strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, "-") || strings.HasPrefix(rest, "–") {
			if r := strings.TrimSpace(strings.TrimLeft(rest, ":-–")); r != "" {
				return r
			}
		}
	}
	if s == "" {
		return "(no subject)"
	}
	return s
}

// projectLines is the news as one line per project: its worst or else its
// newest thread, and how many more messages there were. Projects with bad
// news come first, then the most recently active.
func projectLines(ns []News, loc *time.Location, now time.Time) []NewsView {
	byProject := map[string][]thread{}
	var order []string
	for _, t := range threads(ns) {
		p := t.msgs[0].Project
		if _, ok := byProject[p]; !ok {
			order = append(order, p)
		}
		byProject[p] = append(byProject[p], t)
	}
	var out []NewsView
	for _, p := range order {
		ts := byProject[p] // newest first
		// Others' bad news first, then others' newest thread: what the
		// user wrote themselves they know.
		pick, found := ts[0], false
		for _, bad := range []bool{true, false} {
			for _, t := range ts {
				if !found && !t.mine() && (t.bad() || !bad) {
					pick, found = t, true
				}
			}
		}
		total, cut := 0, false
		for _, t := range ts {
			total += len(t.msgs)
			for _, m := range t.msgs {
				cut = cut || m.Cut
			}
		}
		var n News
		if pick.bad() {
			n = pick.newestBad()
		} else {
			n = pick.msgs[0] // who started it: the announcement, not the thanks
		}
		nv := newsView(n, loc, now)
		nv.Subject, nv.Date = pick.subject, day0(n.At, loc, now)
		nv.Words = strings.Join(pick.words(), ", ")
		nv.Bad = pick.bad()
		nv.More = total - 1
		if nv.More > 0 && cut {
			// older mail of the project was not read: at least this many
			nv.MoreText = fmt.Sprintf("and %d+ more messages", nv.More)
		} else if nv.More > 0 {
			nv.MoreText = "and " + plural(nv.More, "more message")
		}
		out = append(out, nv)
	}
	slices.SortStableFunc(out, func(a, b NewsView) int {
		if a.Bad != b.Bad {
			if a.Bad {
				return -1
			}
			return 1
		}
		return 0
	})
	return out
}

// dedupWords keeps the first of each word, by case ("blocked, Blocked" →
// "blocked").
func dedupWords(ws []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range ws {
		w = strings.TrimSpace(w)
		k := strings.ToLower(w)
		if w == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, w)
	}
	return out
}

// subjectOf names whom to check in with, the boss first whenever the boss
// is in the reminder, with the lead person's reason:
// "leadup: check in with Dana Whitfield (asked about Apollo) and Raj Patel",
// "leadup: check in with Jane Smith (25 days), Chen Wu and 2 others".
func subjectOf(r Reminder) string {
	if len(r.Entries) == 0 {
		return "leadup: reminder"
	}
	lead := 0
	for i, e := range r.Entries {
		if isBoss(e) {
			lead = i
			break
		}
	}
	e := r.Entries[lead]
	names := []string{e.Stakeholder.Name + " (" + subjectWhy(e) + ")"}
	var others []string
	for i, o := range r.Entries {
		if i != lead {
			others = append(others, o.Stakeholder.Name)
		}
	}
	if len(others) <= 2 {
		names = append(names, others...)
	} else {
		names = append(names, others[0], plural(len(others)-1, "other"))
	}
	s := names[0]
	for i, n := range names[1:] {
		if i == len(names)-2 {
			s += " and " + n
		} else {
			s += ", " + n
		}
	}
	return "leadup: check in with " + s
}

// subjectWhy is the lead person's reason in the subject: what they asked
// about, else how long it has been.
func subjectWhy(e Entry) string {
	if n := len(e.OpenAsks); n > 0 {
		if t := strings.TrimRight(replyTopic(e.OpenAsks[n-1].Subject), "?!. "); t != "" && utf8.RuneCountInString(t) <= topicRunes {
			return "asked about " + t
		}
		return "asked you"
	}
	if e.Never {
		return "no update yet"
	}
	return plural(e.DaysSince, "day")
}

// firstName is the first word of a name, for "done Dana".
func firstName(name string) string {
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return ""
}

// replyPrefixRe matches one reply or forward prefix of a subject, in the
// languages mail clients write them in.
var replyPrefixRe = regexp.MustCompile(`(?i)^\s*(?:re|fw|fwd|aw|wg|tr|sv|vs|antw|rif|r)\s*(?:\[\d+\])?\s*:\s*`)

// stripReplyPrefixes removes "Re: ", "RE: Fwd: " and the like.
func stripReplyPrefixes(s string) string {
	for {
		loc := replyPrefixRe.FindStringIndex(s)
		if loc == nil {
			return strings.TrimSpace(s)
		}
		s = s[loc[1]:]
	}
}

// replyTopic is a subject as the topic of an ask: no reply prefixes.
func replyTopic(subject string) string {
	return strings.Join(strings.Fields(stripReplyPrefixes(subject)), " ")
}

// addsTo says whether the subject says something the quote does not: one of
// its words of four letters or more is missing from the quote.
func addsTo(subject, quote string) bool {
	q := strings.ToLower(quote)
	for _, w := range strings.FieldsFunc(strings.ToLower(subject), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if utf8.RuneCountInString(w) >= 4 && !strings.Contains(q, w) {
			return true
		}
	}
	return false
}

// sentenceEndRe ends a sentence: its punctuation and the space after it.
var sentenceEndRe = regexp.MustCompile(`[.!?…]+["”’)]*\s+`)

// sentences splits a one-line text after each sentence's end.
func sentences(s string) []string {
	var out []string
	for {
		loc := sentenceEndRe.FindStringIndex(s)
		if loc == nil {
			break
		}
		out = append(out, strings.TrimSpace(s[:loc[1]]))
		s = s[loc[1]:]
	}
	if s = strings.TrimSpace(s); s != "" {
		out = append(out, s)
	}
	return out
}

// askQuote is the request in an ask's snippet, quoted briefly: its first
// sentence that asks (from the clause that asks, when a colon or a dash
// leads up to it), joined by the sentences after it while short ("Any
// update on Apollo? The exec review is Thursday"). Without a sentence that
// asks, it is the snippet's start, or the subject when there is no snippet.
func askQuote(subject, snippet string, max int) string {
	ss := sentences(cleanSnippet(snippet))
	start := -1
	for i, s := range ss {
		if message.IsStatusAsk(s) {
			start = i
			break
		}
	}
	if start < 0 {
		if len(ss) == 0 {
			return shortTo(replyTopic(subject), max)
		}
		start = 0
	}
	q := ss[start]
	if message.IsStatusAsk(q) {
		for _, sep := range []string{": ", " — ", " – ", " - ", "; "} {
			if i := strings.LastIndex(q, sep); i > 0 {
				if after := q[i+len(sep):]; message.IsStatusAsk(after) && !message.IsStatusAsk(q[:i]) {
					q = after
					break
				}
			}
		}
	}
	for _, s := range ss[start+1:] {
		if utf8.RuneCountInString(q)+1+utf8.RuneCountInString(s) > quoteJoin {
			break
		}
		q += " " + s
	}
	q = shortTo(q, max)
	if !strings.HasSuffix(q, "..") {
		q = strings.TrimSuffix(q, ".")
	}
	return q
}

// greetingPrefixRe is a salutation at the start of a snippet ("Hi Alex,",
// "Hello team –"): the greeting lines message.Snippet drops, when the mail
// wrote them on the same line as its news, or the row is older.
var greetingPrefixRe = regexp.MustCompile(`(?i)^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|hallo|liebe[rs]?|bonjour|hola|hej|hoi)\b[^.!?,:;\n]{0,40}?(?:[,!:;]|\s[-–—])\s*`)

// signOffSuffixRe is a closing at the end of a snippet: "Thanks, Priya",
// "Cheers, Raj", "Best regards, Alex Doe", "Thanks!", "Danke, Jana".
var signOffSuffixRe = regexp.MustCompile(`(?:^|[.!?…]\s+|\s[-–—]\s*)(?i:thanks(?: (?:a lot|again|so much))?|thank you(?: (?:so much|again))?|many thanks|cheers|best(?: wishes| regards)?|kind regards|regards|warm regards|all the best|br|thx|ta|talk soon|viele grüße|beste grüße|liebe grüße|grüße|gruß|danke(?: dir| euch)?|merci(?: beaucoup)?|cordialement|bien à vous|saludos|un saludo|gracias)[\s,.!]*(?:\p{Lu}[\pL.'’-]*(?:\s+\p{Lu}[\pL.'’-]*){0,2})?[\s.!]*$`)

// cleanSnippet is a snippet without its greeting and sign-off, white space
// collapsed.
func cleanSnippet(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if loc := greetingPrefixRe.FindStringIndex(s); loc != nil && loc[1] < len(s) {
		s = s[loc[1]:]
	}
	if loc := signOffSuffixRe.FindStringIndex(s); loc != nil && loc[0] > 0 {
		end := loc[0]
		// keep the sentence's own punctuation
		for end < loc[1] && strings.ContainsRune(".!?…", rune(s[end])) {
			end++
		}
		s = strings.TrimSpace(s[:end])
	}
	return s
}

// who shortens "Bob Stone <bob@example.com>" to "Bob Stone"; a bare
// address stays as it is.
func who(from string) string {
	if a, err := mail.ParseAddress(from); err == nil {
		if a.Name != "" {
			return a.Name
		}
		return a.Address
	}
	return strings.TrimSpace(from)
}

// when formats t for a reminder: the year only when it is not now's.
func when(t time.Time, loc *time.Location, now time.Time) string {
	t = t.In(loc)
	if t.Year() != now.In(loc).Year() {
		return t.Format("Mon 2 Jan 2006 15:04")
	}
	return t.Format("Mon 2 Jan 15:04")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func spanWord(s calendar.Span) string {
	return strings.TrimSuffix(s.String(), "s")
}

func sourceWord(src string) string {
	switch src {
	case SourceCheckin:
		return "a check-in"
	case SourceReply:
		return "marked done"
	}
	return "a message without a subject"
}

// short quotes a snippet briefly: whitespace collapsed, cut at a word near
// snippetRunes.
func short(s string) string { return shortTo(s, snippetRunes) }

// shortTo is short at max runes.
func shortTo(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)[:max]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > max/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}

// day0 is t's day for a reminder line, "Sun 8 Nov", with the year only when
// it is not now's.
func day0(t time.Time, loc *time.Location, now time.Time) string {
	t = t.In(loc)
	if t.Year() != now.In(loc).Year() {
		return t.Format("Mon 2 Jan 2006")
	}
	return t.Format("Mon 2 Jan")
}

// unsaid is the words none of texts holds, case folded: "(blocked)" after
// "Apollo blocked on the keys" says nothing.
func unsaid(words []string, texts ...string) []string {
	said := strings.ToLower(strings.Join(texts, " "))
	var out []string
	for _, w := range words {
		if !strings.Contains(said, strings.ToLower(w)) {
			out = append(out, w)
		}
	}
	return out
}
