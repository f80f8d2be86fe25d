package nudge

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/internal/golden"
)

// wednesday is the week's Wednesday reminder: heard it first, the boss's
// ask, a peer's unanswered mail.
func wednesday(t *testing.T) Reminder {
	in, pol := weekInput(t, true)
	loc := in.Cal.Loc
	in.Now = at(loc, 4, 1, 10, 0)
	r, ok := Plan(in, Evaluate(in), pol, []Sent{{At: at(loc, 3, 30, 10, 0), Emails: []string{"jane@example.com"}}})
	if !ok {
		t.Fatal("no reminder on Wednesday")
	}
	return r
}

// edgeCases is a reminder with what the week does not show: red, a
// stakeholder with no update on record, one here only for an ask, long and
// hostile snippets, more news than an entry lists, a date in another year.
func edgeCases(t *testing.T) (Reminder, time.Time) {
	loc := berlin(t)
	now := time.Date(2027, 1, 12, 9, 30, 0, 0, loc)
	j := jane
	j.Cadence, j.Max = span(t, "5 workdays"), span(t, "8 workdays")
	newcomer := Stakeholder{Name: "Chen Wu", Email: "chen@example.com", Role: "other", Cadence: span(t, "2 weeks")}
	r := raj
	r.Cadence = span(t, "4 weeks")
	in := Input{Now: now, Cal: workweek(loc), Me: []string{"alex@example.com"},
		Stakeholders: []Stakeholder{r, newcomer, j},
		Updates: []Update{
			{Email: j.Email, At: time.Date(2026, 12, 18, 16, 0, 0, 0, loc), Subject: "", Source: SourceCheckin},
			{Email: r.Email, At: time.Date(2027, 1, 5, 11, 0, 0, 0, loc), Subject: "Zephyr <Q1> plan & \"scope\""},
		},
		Inbound: []Inbound{{From: "raj@example.com", At: time.Date(2027, 1, 11, 8, 0, 0, 0, loc), MessageID: "<r@x>",
			Subject: "status? <script>alert(1)</script>", Ask: true,
			Snippet: `<img src="http://tracker.example/p.gif">` + strings.Repeat("Where are we on the <b>Zephyr</b> migration? ", 8)}},
	}
	for i := 0; i < 9; i++ {
		in.News = append(in.News, News{Project: "Apollo", At: time.Date(2027, 1, 2+i, 12, 0, 0, 0, loc),
			From: "ann@example.com", Subject: "Apollo daily " + string(rune('A'+i))})
	}
	rem, ok := Plan(in, Evaluate(in), Policy{Hour: 9, Min: 30}, nil)
	if !ok {
		t.Fatal("no reminder")
	}
	return rem, now
}

func TestRenderGolden(t *testing.T) {
	r := wednesday(t)
	subject, text, html, err := Render(r, r.Slot.Add(30*time.Minute), "")
	if err != nil {
		t.Fatal(err)
	}
	if want := "leadup: check in with Jane Smith (asked about Apollo) and Raj Patel"; subject != want {
		t.Errorf("subject %q, want %q", subject, want)
	}
	golden.Check(t, "wednesday.txt", "Subject: "+subject+"\n\n"+text)
	golden.Check(t, "wednesday.html", html)

	e, now := edgeCases(t)
	subject, text, html, err = Render(e, now, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := "leadup: check in with Jane Smith (25 days), Chen Wu and Raj Patel"; subject != want {
		t.Errorf("subject %q, want %q", subject, want)
	}
	golden.Check(t, "edge.txt", "Subject: "+subject+"\n\n"+text)
	golden.Check(t, "edge.html", html)
}

func TestRenderHTMLIsSafe(t *testing.T) {
	e, now := edgeCases(t)
	_, text, html, err := Render(e, now, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", "<img", "<b>Zephyr", "href=", `src="http`, "url("} {
		if strings.Contains(html, bad) {
			t.Errorf("html contains %q", bad)
		}
	}
	if !strings.Contains(html, "&lt;script&gt;") || !strings.Contains(html, "&lt;img") {
		t.Error("the hostile subject is not shown escaped")
	}
	// The long snippet is quoted briefly, in both bodies.
	if strings.Count(text, "Where are we on") > 4 || !strings.Contains(text, "…") {
		t.Errorf("snippet not shortened:\n%s", text)
	}
	// Nine news items are one line for their project, with the newest.
	if !strings.Contains(text, "Apollo daily I (ann@example.com, Sun 10 Jan), and 8 more messages") || strings.Contains(text, "Apollo daily A") {
		t.Errorf("news not summarised by project:\n%s", text)
	}
}

func TestRenderOverride(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, TextTemplate), []byte("{{range .Entries}}{{.Name}}: {{.Why}}\n{{end}}"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := wednesday(t)
	_, text, html, err := Render(r, r.Slot, dir)
	if err != nil {
		t.Fatal(err)
	}
	if text != "Jane Smith: asked on Wed 1 Apr “Any update on Apollo? The board asks me on Thursday” — 12 days since your last update on Fri 20 Mar, due since Fri 27 Mar\n"+
		"Raj Patel: asked on Tue 31 Mar in “Zephyr dependencies”: “Could your team take the auth migration in Q3?” — 29 days since your last update on Tue 3 Mar, due since Tue 31 Mar\n" {
		t.Errorf("override text: %q", text)
	}
	if !strings.Contains(html, "<!DOCTYPE html>") {
		t.Error("the HTML template without an override is not the embedded one")
	}
	if err := os.WriteFile(filepath.Join(dir, HTMLTemplate), []byte("{{.Nope}}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := Render(r, r.Slot, dir); err == nil || !strings.Contains(err.Error(), "html") {
		t.Errorf("a broken override: %v", err)
	}
}

func TestSubject(t *testing.T) {
	one := Entry{Stakeholder: Stakeholder{Name: "Jane Smith"}, DaysSince: 9}
	never := Entry{Stakeholder: Stakeholder{Name: "Chen Wu"}, Never: true}
	boss := Entry{Stakeholder: Stakeholder{Name: "Dana Whitfield", Role: "Boss"}, DaysSince: 12,
		OpenAsks: []Ask{{Subject: "RE: Apollo?"}}}
	sam := Entry{Stakeholder: Stakeholder{Name: "Sam Okafor", Role: "peer"}, DaysSince: 40, OpenAsks: []Ask{{Subject: "Zephyr"}}}
	raj := Entry{Stakeholder: Stakeholder{Name: "Raj Patel"}, DaysSince: 3}
	long := Entry{Stakeholder: Stakeholder{Name: "A"}, DaysSince: 1,
		OpenAsks: []Ask{{}, {Subject: "Re: the numbers for the platform review on the 26th, and the costs"}}}
	tests := []struct {
		entries []Entry
		want    string
	}{
		{[]Entry{one}, "leadup: check in with Jane Smith (9 days)"},
		{[]Entry{one, never}, "leadup: check in with Jane Smith (9 days) and Chen Wu"},
		{[]Entry{never, one, one}, "leadup: check in with Chen Wu (no update yet), Jane Smith and Jane Smith"},
		{[]Entry{{Stakeholder: Stakeholder{Name: "A"}, DaysSince: 1}}, "leadup: check in with A (1 day)"},
		{[]Entry{long}, "leadup: check in with A (asked you)"},
		// The boss is named first whenever she is in it, even behind a red
		// peer with an ask.
		{[]Entry{sam, boss}, "leadup: check in with Dana Whitfield (asked about Apollo) and Sam Okafor"},
		{[]Entry{sam, raj, boss, never}, "leadup: check in with Dana Whitfield (asked about Apollo), Sam Okafor and 2 others"},
		{[]Entry{sam, raj, never, one}, "leadup: check in with Sam Okafor (asked about Zephyr), Raj Patel and 2 others"},
	}
	for _, tt := range tests {
		if got := subjectOf(Reminder{Entries: tt.entries}); got != tt.want {
			t.Errorf("subject %q, want %q", got, tt.want)
		}
	}
}

// bodyLines counts a golden reminder's lines of text, the mail's header
// lines (up to the first blank line) not counted.
func bodyLines(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if strings.HasPrefix(s, "Subject:") {
		_, s, _ = strings.Cut(s, "\n\n")
	}
	return len(strings.Split(strings.TrimRight(s, "\n"), "\n"))
}

// TestGoldenRemindersFitAPhone: a reminder at a typical week fits one phone
// screen, 20 lines of text; so does the edge case with three people and
// nine news.
func TestGoldenRemindersFitAPhone(t *testing.T) {
	for _, name := range []string{"wednesday.txt", "edge.txt"} {
		if n := bodyLines(t, filepath.Join("testdata", name)); n > 20 {
			t.Errorf("%s: %d lines, want at most 20", name, n)
		}
	}
}

// TestRenderOnce: the news is shown once, at the top, however many people
// the reminder names, and each person is one line.
func TestRenderOnce(t *testing.T) {
	r := wednesday(t)
	_, text, html, err := Render(r, r.Slot, "")
	if err != nil {
		t.Fatal(err)
	}
	_, body, _ := strings.Cut(html, "</head>")
	for _, out := range []string{text, body} {
		for _, once := range []string{"vendor slipping, launch at risk", "build green again", "Jane Smith</b>", "Raj Patel"} {
			if out == text {
				once = strings.TrimSuffix(once, "</b>")
			}
			if n := strings.Count(out, once); n != 1 && (n != 2 || once != "Jane Smith") { // the boss: heard it first, and her line
				t.Errorf("%q is shown %d times, want once:\n%s", once, n, out)
			}
		}
	}
	news, people := strings.Index(text, "vendor slipping"), strings.Index(text, "1. Jane Smith")
	if news < 0 || people < 0 || news > people {
		t.Errorf("the news is not at the top:\n%s", text)
	}
	for _, name := range []string{"Jane Smith", "Raj Patel"} {
		i := strings.Index(text, "\n"+map[string]string{"Jane Smith": "1. ", "Raj Patel": "2. "}[name]+name)
		if i < 0 {
			t.Fatalf("no line for %s:\n%s", name, text)
		}
		line, rest, _ := strings.Cut(text[i+1:], "\n")
		if !strings.Contains(line, "since your last update") || strings.HasPrefix(rest, " ") {
			t.Errorf("%s is not one line with the reason: %q", name, line)
		}
	}
	// The reply help is short and dated ahead of the mail.
	help := text[strings.LastIndex(text, "\n--\n"):]
	if n := strings.Count(strings.TrimSpace(help), "\n"); n > 2 || !strings.Contains(help, "away until 15 Apr") {
		t.Errorf("reply help:\n%s", help)
	}
}

func TestCleanSnippet(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Hi Alex, any update on Apollo? Thanks, Dana", "any update on Apollo?"},
		{"Hello team – the build is green again. Cheers, Ann Lee", "the build is green again."},
		{"Hey Alex! Can you send me the numbers by Friday? Thanks!", "Can you send me the numbers by Friday?"},
		{"Any update on Apollo? The exec review is Thursday. Thanks, Dana", "Any update on Apollo? The exec review is Thursday."},
		{"Could you take it? Danke, Jana", "Could you take it?"},
		{"Could you take it? thanks, see you tomorrow", "Could you take it? thanks, see you tomorrow"},
		{"Dear Alex, the vendor slipped again. Best regards, Bob Stone", "the vendor slipped again."},
		{"Hallo Alex, wie ist der Stand bei Apollo? Viele Grüße, Jana", "wie ist der Stand bei Apollo?"},
		// Not a sign-off: thanks in the middle, or with more words.
		{"Thanks for the numbers, they look good.", "Thanks for the numbers, they look good."},
		{"The team did well. Thanks to everyone who helped", "The team did well. Thanks to everyone who helped"},
		// A greeting alone stays (there is nothing else to show).
		{"Hi Alex,", "Hi Alex,"},
		{"Hiring is on track.", "Hiring is on track."},
	} {
		if got := cleanSnippet(tt.in); got != tt.want {
			t.Errorf("cleanSnippet(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAskQuote(t *testing.T) {
	for _, tt := range []struct{ subject, snippet, want string }{
		{"Apollo", "Any update on Apollo? The exec review is Thursday. Marco mentioned something about the payments vendor, and I'd rather hear it from you.",
			"Any update on Apollo? The exec review is Thursday"},
		{"Zephyr numbers", "back from leave and catching up. I'm putting together the platform review for the 26th: could you send me the before/after latency numbers for Zephyr 2.0 and a…",
			"could you send me the before/after latency numbers for Zephyr 2.0 and a…"},
		{"Re: Zephyr dependencies", "Hi Raj here. Could your team take the auth migration in Q3? We would need an answer by Friday.",
			"Could your team take the auth migration in Q3?"},
		{"Where are we on Atlas?", "", "Where are we on Atlas?"},
		{"status", "Quick one. The review moved.", "Quick one. The review moved"},
	} {
		if got := askQuote(tt.subject, tt.snippet, quoteRunes); got != tt.want {
			t.Errorf("askQuote(%q, %q) = %q, want %q", tt.subject, tt.snippet, got, tt.want)
		}
	}
}

// TestNewsOnce: the messages of a thread are one line, its words each once
// ("blocked, blocked" → "blocked"), counts in the right number.
func TestNewsOnce(t *testing.T) {
	loc := berlin(t)
	now := at(loc, 4, 1, 10, 0)
	heard := []News{
		{Project: "Apollo", At: at(loc, 3, 30, 9, 0), From: "Priya <p@x>", Subject: "Apollo: blocked on the API keys", Bad: true, Words: []string{"blocked"}},
		{Project: "Apollo", At: at(loc, 3, 31, 9, 0), From: "Priya <p@x>", Subject: "RE: Apollo: blocked on the API keys", Bad: true, Words: []string{"blocked", "Blocked", "at risk"},
			Snippet: "Hi all, still blocked. Thanks, Priya"},
	}
	other := News{Project: "Zephyr", At: at(loc, 3, 30, 12, 0), From: "Lena <l@x>", Subject: "Zephyr shipped"}
	reply := News{Project: "Zephyr", At: at(loc, 3, 31, 12, 0), From: "Søren <s@x>", Subject: "Re: Zephyr shipped"}
	e := Entry{Stakeholder: jane, LastUpdate: at(loc, 3, 20, 10, 0), DaysSince: 12, Level: Amber,
		News: append(append([]News(nil), heard...), other, reply)}
	v := NewView(Reminder{Entries: []Entry{e}, HeardFirst: heard, Loc: loc}, now)
	if len(v.HeardFirst) != 1 || v.HeardFirst[0].Subject != "blocked on the API keys" || v.HeardFirst[0].Words != "at risk" || v.HeardFirst[0].Snippet != "still blocked." {
		t.Errorf("heard first %+v", v.HeardFirst)
	}
	if len(v.News) != 1 || v.News[0].Subject != "Zephyr shipped" || v.News[0].From != "Lena" || v.News[0].MoreText != "and 1 more message" {
		t.Errorf("news %+v", v.News)
	}
	if v.NewsSince != "Fri 20 Mar" {
		t.Errorf("news since %q", v.NewsSince)
	}
}

// TestNewsCountAtLeastWhenCut: when the oldest news leadup read of a
// project is marked Cut (it read only the newest few hundred), a count
// that reaches back to it says "at least"; one that starts after it is
// exact.
func TestNewsCountAtLeastWhenCut(t *testing.T) {
	loc := berlin(t)
	now := at(loc, 4, 1, 10, 0)
	news := []News{
		{Project: "Zephyr", At: at(loc, 3, 29, 12, 0), From: "Lena <l@x>", Subject: "Zephyr shipped", Cut: true},
		{Project: "Zephyr", At: at(loc, 3, 30, 12, 0), From: "Søren <s@x>", Subject: "Re: Zephyr shipped"},
		{Project: "Zephyr", At: at(loc, 3, 31, 12, 0), From: "Søren <s@x>", Subject: "Re: Zephyr shipped"},
	}
	for _, tc := range []struct {
		last time.Time
		want string
	}{
		{at(loc, 3, 20, 10, 0), "and 2+ more messages"}, // reaches back to the cut
		{at(loc, 3, 30, 0, 0), "and 1 more message"},    // starts after it
	} {
		var mine []News
		for _, n := range news {
			if n.At.After(tc.last) {
				mine = append(mine, n)
			}
		}
		e := Entry{Stakeholder: jane, LastUpdate: tc.last, Level: Amber, News: mine}
		v := NewView(Reminder{Entries: []Entry{e}, Loc: loc}, now)
		if len(v.News) != 1 || v.News[0].MoreText != tc.want {
			t.Errorf("last update %v: news %+v, want MoreText %q", tc.last, v.News, tc.want)
		}
	}
}
