package digest

import (
	"bytes"
	"fmt"
	"github.com/leadup/leadup/daemon/internal/textwrap"
	htmltemplate "html/template"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/leadup/leadup/daemon/message"
	"github.com/leadup/leadup/templates"
)

// Template file names; a file of the same name in templates_dir replaces
// the embedded default.
const (
	TextTemplate = "digest.txt.tmpl"
	HTMLTemplate = "digest.html.tmpl"
)

// Rendered is a digest ready to be sent: the email to the user (the draft
// with a note on how to use it and the chart) and the draft on its own,
// addressed to the boss, for the Drafts folder.
type Rendered struct {
	// Subject is the email's to the user: "Draft: weekly update for Dana
	// — week 47".
	Subject string
	// DraftSubject is the draft's own, as the boss will read it.
	DraftSubject string
	// Text and HTML are the email to the user; HTML shows the chart as
	// cid:ChartCID.
	Text, HTML string
	// DraftText and DraftHTML are the update alone, without note or chart.
	DraftText, DraftHTML string
	// Chart is the PNG to embed inline with Content-ID <ChartCID>.
	Chart    []byte
	ChartCID string
}

// View is what the templates see. ForUser is set for the email to the user
// (note and chart) and unset for the draft to the boss.
type View struct {
	Model
	ForUser      bool
	Subject      string
	DraftSubject string
	Boss         string // the boss's first name, "" when there is no boss
	Me           string // the user's first name, for the sign-off
	ChartCID     string // "" when there is no chart
	Period       string // "16–20 Nov 2026"
}

// Render turns a model into the digest mail, reading the templates from
// tmplDir when it holds overrides. It renders each template twice: once
// for the user, once as the bare draft.
func Render(m Model, tmplDir string) (Rendered, error) {
	loc := m.Loc
	if loc == nil {
		loc = time.UTC
	}
	boss := FirstName(m.BossName)
	news := subjectNews(m)
	r := Rendered{
		Subject:      fmt.Sprintf("Draft: %s — week %d", news, m.Week),
		DraftSubject: fmt.Sprintf("Update: %s (week %d)", news, m.Week),
		ChartCID:     fmt.Sprintf("digest-chart-%dw%02d@leadup", m.Year, m.Week),
	}
	if boss != "" {
		r.Subject = fmt.Sprintf("Draft for %s: %s — week %d", boss, news, m.Week)
	}
	chart, err := ChartPNG(m.Chart, m.BossName)
	if err != nil {
		return Rendered{}, err
	}
	r.Chart = chart

	funcs := funcMap(loc)
	tt, err := templates.Text(TextTemplate, tmplDir, funcs)
	if err != nil {
		return Rendered{}, fmt.Errorf("digest text template: %w", err)
	}
	ht, err := templates.HTML(HTMLTemplate, tmplDir, htmltemplate.FuncMap(funcs))
	if err != nil {
		return Rendered{}, fmt.Errorf("digest html template: %w", err)
	}
	v := View{
		Model: m, Subject: r.Subject, DraftSubject: r.DraftSubject,
		Boss: boss, Me: FirstName(m.MeName), ChartCID: r.ChartCID,
		Period: period(m.Since, m.Now, loc),
	}
	for _, out := range []struct {
		forUser    bool
		text, html *string
	}{{true, &r.Text, &r.HTML}, {false, &r.DraftText, &r.DraftHTML}} {
		v.ForUser = out.forUser
		var b bytes.Buffer
		if err := tt.Execute(&b, v); err != nil {
			return Rendered{}, fmt.Errorf("digest text template: %w", err)
		}
		*out.text = tidyText(b.String())
		b.Reset()
		if err := ht.Execute(&b, v); err != nil {
			return Rendered{}, fmt.Errorf("digest html template: %w", err)
		}
		*out.html = defang(b.String())
	}
	return r, nil
}

// funcMap holds the helpers the digest templates use. Functions that
// return template.CSS only ever return constants from this file.
func funcMap(loc *time.Location) map[string]any {
	return map[string]any{
		"day":         func(t time.Time) string { return t.In(loc).Format("Mon 2 Jan") },
		"date":        func(t time.Time) string { return t.In(loc).Format("2 Jan") },
		"health":      healthLabel,
		"healthStyle": func(l message.Level) htmltemplate.CSS { return htmltemplate.CSS(healthStyles[l]) },
		"healthDot":   healthDot,
		"people":      joinPeople,
		"plural":      plural,
		"join":        strings.Join,
		"bullet":      bullet,
		"weekCounts":  weekCounts,
		"perWeek":     perWeek,
		"detailed":    func(s string) bool { return s != Summary },
		"reason":      func(p ProjectDigest) string { return reason(p, loc) },
		"noNews":      func(p ProjectDigest) string { return noNews(p, loc) },
		"sources":     func(ss []Source) string { return sources(ss, loc) },
		"gap":         gap,
	}
}

// gap says how many weeks at the end of the chart had no update: ", none
// yet this week", ", none in the last 3 weeks"; "" when the last one had.
func gap(empty int) string {
	switch empty {
	case 0:
		return ""
	case 1:
		return ", none yet this week"
	}
	return fmt.Sprintf(", none in the last %d weeks", empty)
}

// sources says whose mail a project's news comes from: "From the mail of
// Priya Raman (Tue 17 Nov) and Kenji Watanabe (Thu 19 Nov)."
func sources(ss []Source, loc *time.Location) string {
	var parts []string
	for _, s := range ss {
		who := s.From.Name
		if who == "" {
			who = s.From.Addr
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", who, s.Date.In(loc).Format("Mon 2 Jan")))
	}
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return "From the mail of " + parts[0] + "."
	}
	return "From the mail of " + strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1] + "."
}

// keyDetail is what a headline says the key word is about, when that is
// short: in "payments integration blocked on the vendor API keys" the key
// "blocked" is about " on the vendor API keys". "" when it says no more.
func keyDetail(headline, key string) string {
	low := strings.ToLower(headline)
	i := strings.Index(low, key)
	if i < 0 {
		return ""
	}
	rest := headline[i+len(key):]
	for _, prep := range []string{" on ", " by ", " until ", " waiting for ", " behind "} {
		if !strings.HasPrefix(strings.ToLower(rest), prep) {
			continue
		}
		for _, sep := range []string{";", ",", " – ", " — ", ".", " and ", " but ", " so "} {
			if j := strings.Index(rest, sep); j > 0 {
				rest = rest[:j]
			}
		}
		if n := len(strings.Fields(rest)); n >= 2 && n <= 7 {
			return strings.TrimRight(rest, " :")
		}
		return ""
	}
	return ""
}

// subjectNews states the week's news for a subject, worst first: "Apollo
// blocked, Zephyr shipped". It changes with the news, so two weeks' drafts
// never look alike.
func subjectNews(m Model) string {
	ps := slices.Clone(m.Projects)
	slices.SortStableFunc(ps, func(a, b ProjectDigest) int { return severity(b.Health) - severity(a.Health) })
	var parts []string
	for _, p := range ps {
		if p.Health == message.Unknown || p.Key == "" {
			continue
		}
		part := p.Name + " " + p.Key
		if len(parts) == 0 {
			part += keyDetail(p.Headline, p.Key) // the worst news says on what
		}
		parts = append(parts, part)
		if len(parts) == 3 {
			break
		}
	}
	if len(parts) == 0 {
		return "weekly update, no news on the projects"
	}
	return strings.Join(parts, ", ")
}

// reason says in a few words why a project has its health: the phrases
// that set it, or that it went quiet.
func reason(p ProjectDigest, loc *time.Location) string {
	switch {
	case p.Headline != "":
		return p.Headline
	case len(p.Why) > 0:
		return strings.Join(p.Why, ", ")
	case p.Quiet && p.LastActivity.IsZero():
		return "quiet: no status mail yet"
	case p.Quiet:
		return "quiet since " + p.LastActivity.In(loc).Format("2 Jan")
	}
	return ""
}

// noNews is the line for a project without mail in the period.
func noNews(p ProjectDigest, loc *time.Location) string {
	switch {
	case p.Carried:
		return "No news since " + p.LastActivity.In(loc).Format("Mon 2 Jan") + ", which said: " + endSentence(p.CarriedText)
	case p.Quiet && p.LastActivity.IsZero():
		return "No status mail yet."
	case p.Quiet:
		return "No status mail since " + p.LastActivity.In(loc).Format("Mon 2 Jan") + ": quiet for two weeks or more."
	}
	return "No status mail this week; last news on " + p.LastActivity.In(loc).Format("Mon 2 Jan") + "."
}

// healthLabel is how a level reads in the update.
func healthLabel(l message.Level) string {
	switch l {
	case message.Red:
		return "Blocked"
	case message.Amber:
		return "At risk"
	case message.Green:
		return "On track"
	}
	return "No signal"
}

// healthDot is a plain-text marker for a level, readable without colour.
func healthDot(l message.Level) string {
	switch l {
	case message.Red:
		return "[RED]"
	case message.Amber:
		return "[AMBER]"
	case message.Green:
		return "[GREEN]"
	}
	return "[ -- ]"
}

// healthStyles are the inline styles of the health badges.
var healthStyles = map[message.Level]string{
	message.Red:     "background-color:#fde8e8;color:#9b1c1c;border:1px solid #f8b4b4;",
	message.Amber:   "background-color:#fdf6b2;color:#8e4b10;border:1px solid #faca15;",
	message.Green:   "background-color:#def7ec;color:#03543f;border:1px solid #84e1bc;",
	message.Unknown: "background-color:#f3f4f6;color:#4b5563;border:1px solid #d1d5db;",
}

// period renders Since..Now compactly: "16–20 Nov 2026", "28 Oct – 3 Nov
// 2026", "28 Dec 2026 – 3 Jan 2027".
func period(since, now time.Time, loc *time.Location) string {
	a, b := since.In(loc), now.In(loc)
	switch {
	case since.IsZero():
		return "until " + b.Format("2 Jan 2006")
	case a.Year() != b.Year():
		return a.Format("2 Jan 2006") + " – " + b.Format("2 Jan 2006")
	case a.Month() != b.Month():
		return a.Format("2 Jan") + " – " + b.Format("2 Jan 2006")
	}
	return fmt.Sprintf("%d–%s", a.Day(), b.Format("2 Jan 2006"))
}

// joinPeople lists names as a sentence does: "A", "A and B", "A, B and C".
func joinPeople(ps []Person) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.String()
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// plural gives "1 message" or "3 messages".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// textWidth is where the plain-text version wraps.
const textWidth = 76

// bullet wraps text to textWidth behind prefix, indenting continuation
// lines to line up with the text.
func bullet(prefix, text string) string {
	var b strings.Builder
	textwrap.Fill(&b, prefix, strings.Repeat(" ", utf8.RuneCountInString(prefix)), text, textWidth)
	return b.String()
}

// weekCounts lists the chart's weekly counts for the text version.
func weekCounts(c Chart) string {
	parts := make([]string, len(c.Weeks))
	for i, w := range c.Weeks {
		parts[i] = fmt.Sprintf("W%d:%d", w.Week, w.Count)
	}
	return strings.Join(parts, " ")
}

// perWeek says a weekly target in words: "1 a week", "2.3 a week".
func perWeek(f float64) string {
	if f == float64(int(f)) {
		return fmt.Sprintf("%d a week", int(f))
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", f), ".0") + " a week"
}

// tidyText drops trailing spaces and runs of blank lines that template
// whitespace leaves behind.
func tidyText(s string) string {
	lines := strings.Split(s, "\n")
	var out []string
	blank := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			blank++
			if blank > 1 || len(out) == 0 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n") + "\n"
}

// StandaloneHTML rewrites the digest HTML for a file on disk: the chart,
// an inline part (cid:) in the mail, is the file chartFile beside it.
func StandaloneHTML(html, chartCID, chartFile string) string {
	return strings.ReplaceAll(html, "cid:"+strings.Trim(chartCID, "<>"), chartFile)
}

// scriptScheme is a script URL scheme as text: "javascript:alert(1)"
// quoted from a mail.
var scriptScheme = regexp.MustCompile(`(?i)\b(java|vb|live)script\s*:`)

// defang keeps script links written in a mail's text out of the HTML
// digest, even escaped, where a mail filter would flag them: the colon
// becomes an entity, so the reader still sees the text as written. The
// templates never write such a scheme themselves.
func defang(html string) string {
	if !strings.Contains(strings.ToLower(html), "script") {
		return html
	}
	return scriptScheme.ReplaceAllString(html, "${1}script&#58;")
}
