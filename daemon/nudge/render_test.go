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
	if want := "leadup: check in with Jane Smith (12 days, 1 ask) and 1 other"; subject != want {
		t.Errorf("subject %q, want %q", subject, want)
	}
	golden.Check(t, "wednesday.txt", "Subject: "+subject+"\n\n"+text)
	golden.Check(t, "wednesday.html", html)

	e, now := edgeCases(t)
	subject, text, html, err = Render(e, now, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := "leadup: check in with Jane Smith (25 days) and 2 others"; subject != want {
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
	// Three of nine news items are summarised as earlier messages.
	if !strings.Contains(text, "(3 earlier messages)") || strings.Contains(text, "Apollo daily A") || !strings.Contains(text, "Apollo daily I") {
		t.Errorf("news not trimmed to the newest:\n%s", text)
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
	if text != "Jane Smith: due, asked for an update\nRaj Patel: due, waiting for a reply\n" {
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
	tests := []struct {
		entries []Entry
		want    string
	}{
		{[]Entry{one}, "leadup: check in with Jane Smith (9 days)"},
		{[]Entry{one, never}, "leadup: check in with Jane Smith (9 days) and 1 other"},
		{[]Entry{never, one, one}, "leadup: check in with Chen Wu (no update yet) and 2 others"},
		{[]Entry{{Stakeholder: Stakeholder{Name: "A"}, DaysSince: 1, OpenAsks: []Ask{{}, {}}}}, "leadup: check in with A (1 day, 2 asks)"},
	}
	for _, tt := range tests {
		if got := subjectOf(Reminder{Entries: tt.entries}); got != tt.want {
			t.Errorf("subject %q, want %q", got, tt.want)
		}
	}
}
