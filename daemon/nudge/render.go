package nudge

import (
	"bytes"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/leadup/leadup/daemon/calendar"
	"github.com/leadup/leadup/templates"
)

// Template file names, overridable in templates_dir.
const (
	TextTemplate = "reminder.txt.tmpl"
	HTMLTemplate = "reminder.html.tmpl"
)

// Limits that keep a reminder short: snippets are quoted briefly, and an
// entry lists only the newest project news.
const (
	snippetRunes  = 160
	newsPerEntry  = 6
	heardPerEntry = 5
)

// View is what the reminder templates see. Every value is plain text;
// html/template escapes it, so mail content cannot inject markup.
type View struct {
	Subject    string
	Date       string // the reminder's day, "Wednesday 1 April 2026"
	HeardFirst []NewsView
	MoreHeard  int
	Boss       string // the boss's name, for the heard-it-first block
	Entries    []EntryView
}

// EntryView is one stakeholder in the reminder.
type EntryView struct {
	Number            int // 1-based position in the reminder
	Name, Email, Role string
	Level             string // OK, Amber, Red
	Why               string // "over the 8 workday limit", "due, asked for an update"
	Never             bool
	DaysSince         int
	WorkdaysSince     int
	Since             string // "12 days (8 workdays)"
	LastSubject       string
	Last              string // the quoted subject, or "a check-in" when it had none
	LastDate          string
	Cadence, Max      string
	Due               string // when the cadence ran out, "" when not due
	Paused            string // "until Mon 6 Apr", "" when not paused
	Asks              []AskView
	News              []NewsView
	MoreNews          int
}

// AskView is one open ask.
type AskView struct {
	Subject, Snippet, Date string
	Status                 bool // asked for status in words; else waiting for a reply
}

// NewsView is one project message.
type NewsView struct {
	Project, From, Subject, Snippet, Date, Words string
	Bad                                          bool
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
// zone, snippets shortened, news trimmed to the newest.
func NewView(r Reminder, now time.Time) View {
	loc := r.Loc
	if loc == nil {
		loc = time.UTC
	}
	day := r.Date.Start(loc)
	v := View{
		Subject: subjectOf(r),
		Date:    day.Format("Monday 2 January 2006"),
	}
	for _, e := range r.Entries {
		if e.Stakeholder.Role == RoleBoss && v.Boss == "" {
			v.Boss = e.Stakeholder.Name
		}
	}
	if v.Boss == "" {
		v.Boss = "your boss"
	}
	hf := r.HeardFirst
	if len(hf) > heardPerEntry {
		v.MoreHeard = len(hf) - heardPerEntry
		hf = hf[len(hf)-heardPerEntry:]
	}
	for _, n := range hf {
		v.HeardFirst = append(v.HeardFirst, newsView(n, loc, now))
	}
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
	switch {
	case e.Level == Red:
		ev.Why = "over the " + spanWord(s.Max) + " limit"
	case e.Level == Amber && e.Never:
		ev.Why = "no update on record"
	case e.Level == Amber:
		ev.Why = "due"
	}
	if len(e.OpenAsks) > 0 {
		ask := "waiting for a reply"
		for _, a := range e.OpenAsks {
			if a.Status {
				ask = "asked for an update"
			}
		}
		if ev.Why == "" {
			ev.Why = ask
		} else {
			ev.Why += ", " + ask
		}
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
			Subject: a.Subject, Snippet: short(a.Snippet), Date: when(a.At, loc, now), Status: a.Status,
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
	return ev
}

func newsView(n News, loc *time.Location, now time.Time) NewsView {
	return NewsView{
		Project: n.Project, From: who(n.From), Subject: n.Subject, Snippet: short(n.Snippet),
		Date: when(n.At, loc, now), Words: strings.Join(n.Words, ", "), Bad: n.Bad,
	}
}

// subjectOf names the first person and how long it has been:
// "leadup: check in with Jane Smith (9 days, 1 ask) and 1 other".
func subjectOf(r Reminder) string {
	if len(r.Entries) == 0 {
		return "leadup: reminder"
	}
	e := r.Entries[0]
	var why []string
	if e.Never {
		why = append(why, "no update yet")
	} else {
		why = append(why, plural(e.DaysSince, "day"))
	}
	if n := len(e.OpenAsks); n > 0 {
		why = append(why, plural(n, "ask"))
	}
	s := fmt.Sprintf("leadup: check in with %s (%s)", e.Stakeholder.Name, strings.Join(why, ", "))
	switch n := len(r.Entries) - 1; n {
	case 0:
	case 1:
		s += " and 1 other"
	default:
		s += fmt.Sprintf(" and %d others", n)
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
func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= snippetRunes {
		return s
	}
	r := []rune(s)[:snippetRunes]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > snippetRunes/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}
