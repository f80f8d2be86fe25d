package digest

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leadup/leadup/daemon/internal/golden"
)

func renderFixture(t *testing.T, style string) Rendered {
	t.Helper()
	r, err := Render(Build(fixtureInput(t, style)), "")
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return r
}

func TestGolden(t *testing.T) {
	for _, style := range []string{Detailed, Summary} {
		t.Run(style, func(t *testing.T) {
			r := renderFixture(t, style)
			golden.Check(t, style+".txt", r.Text)
			golden.Check(t, style+".html", r.HTML)
			golden.Check(t, style+".draft.txt", r.DraftText)
			golden.Check(t, style+".draft.html", r.DraftHTML)
			if want := "Draft for Dana: Apollo blocked on legal review of the DPA, Zephyr at risk, Hermes at risk — week 47"; r.Subject != want {
				t.Errorf("Subject = %q, want %q", r.Subject, want)
			}
			if want := "Update: Apollo blocked on legal review of the DPA, Zephyr at risk, Hermes at risk (week 47)"; r.DraftSubject != want {
				t.Errorf("DraftSubject = %q, want %q", r.DraftSubject, want)
			}
		})
	}
}

// TestDraftHasNoNote checks the draft for the boss carries neither the
// note to the user nor the chart, and the email to the user carries both.
func TestDraftHasNoNote(t *testing.T) {
	r := renderFixture(t, Detailed)
	for _, s := range []string{r.DraftText, r.DraftHTML} {
		if strings.Contains(s, "How to use") || strings.Contains(strings.ToUpper(s), "HOW TO USE") {
			t.Errorf("draft contains the note to the user")
		}
		if strings.Contains(s, "cid:") {
			t.Errorf("draft references the chart")
		}
		if !strings.Contains(s, "Hi Dana,") || !strings.Contains(strings.ToLower(s), "asks / where i need your input") {
			t.Errorf("draft lacks the greeting or the asks section")
		}
	}
	if !strings.Contains(r.HTML, `src="cid:`+r.ChartCID+`"`) {
		t.Errorf("HTML does not show the chart as cid:%s", r.ChartCID)
	}
	if !strings.Contains(r.Text, "Drafts folder") || !strings.Contains(r.HTML, "Drafts") {
		t.Errorf("the note does not point at the Drafts folder")
	}
}

// TestSummaryStyleLimit checks a summary-style project never exceeds three
// lines of news.
func TestSummaryStyleLimit(t *testing.T) {
	in := fixtureInput(t, Summary)
	loc := in.Loc
	for i := range 6 {
		in.Msgs = append(in.Msgs, Msg{
			Project: "Zephyr", MessageID: "<extra" + string(rune('a'+i)) + "@example.com>",
			Date: at(loc, 19, 9+i, 0), FromName: "Lena Vogel", FromAddr: "lena@example.com",
			Subject: "Workstream " + string(rune('A'+i)), Visible: "Workstream shipped on time.",
		})
	}
	m := Build(in)
	for _, p := range m.Projects {
		if len(p.Summary) > 3 {
			t.Errorf("%s: %d summary lines, want at most 3: %q", p.Name, len(p.Summary), p.Summary)
		}
	}
	// Status first, then what changed or the best other news.
	if z := m.Projects[1].Summary; len(z) < 2 || !strings.Contains(z[0], m.Projects[1].Headline) {
		t.Errorf("Zephyr summary %q: want the headline, then more news", z)
	}
}

// A summary-style project reads as three lines a person would write:
// where it stands, what changed, what comes next.
func TestSummaryThreeLines(t *testing.T) {
	in := fixtureInput(t, Summary)
	loc := in.Loc
	in.Projects = []Project{{Name: "Kafka", Label: "Status/Kafka"}}
	in.Msgs = []Msg{
		{Project: "Kafka", MessageID: "<k1@x>", Date: at(loc, 10, 9, 0), FromName: "Jonas Weber", FromAddr: "jonas@example.com",
			Subject: "Kafka migration", Visible: "The migration is blocked on the new cluster's quota."},
		{Project: "Kafka", MessageID: "<k2@x>", Date: at(loc, 18, 9, 0), FromName: "Jonas Weber", FromAddr: "jonas@example.com",
			Subject: "Kafka migration: consumers moved", Visible: "Quota approved, and all consumers moved to the new cluster.\n\nStill to do: Decommission the old Kafka brokers (scheduled for next Wednesday)"},
	}
	p := Build(in).Projects[0]
	want := []string{"Kafka migration: consumers moved.", "Unblocked on Wed 18 Nov (was blocked).",
		"Next: Decommission the old Kafka brokers (scheduled for Wed 25 Nov)"}
	if !slices.Equal(p.Summary, want) {
		t.Errorf("summary\n got %q\nwant %q", p.Summary, want)
	}
}

// TestChartPNG checks the chart decodes, has the promised size, is not
// blank, and is the same bytes every time.
func TestChartPNG(t *testing.T) {
	m := Build(fixtureInput(t, Detailed))
	a, err := ChartPNG(m.Chart, "Dana Whitfield")
	if err != nil {
		t.Fatal(err)
	}
	b, err := ChartPNG(m.Chart, "Dana Whitfield")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("two renders of the same chart differ")
	}
	img, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatalf("chart is not a PNG: %v", err)
	}
	if got := img.Bounds().Size(); got.X != 2*chartWidthPx || got.Y != 2*chartHeightPx {
		t.Errorf("chart is %v, want %dx%d", got, 2*chartWidthPx, 2*chartHeightPx)
	}
	if n := distinctColours(img, 50); n < 4 {
		t.Errorf("chart has %d colours, want a drawing", n)
	}
	saveArtifact(t, "chart.png", a)
}

// TestHTMLHasNoRemoteResources checks the shape of the email HTML: no
// scripts, no styles blocks or stylesheets, images only from cid:, links
// only http(s).
func TestHTMLHasNoRemoteResources(t *testing.T) {
	r := renderFixture(t, Detailed)
	for _, h := range []string{r.HTML, r.DraftHTML} {
		assertEmailSafe(t, h)
	}
}

var (
	srcAttr  = regexp.MustCompile(`(?i)\bsrc\s*=\s*"([^"]*)"`)
	hrefAttr = regexp.MustCompile(`(?i)\bhref\s*=\s*"([^"]*)"`)
	tagName  = regexp.MustCompile(`(?i)<\s*([a-z0-9]+)`)
)

// allowedTags are the elements the digest templates use.
var allowedTags = map[string]bool{
	"html": true, "head": true, "meta": true, "title": true, "body": true, "table": true,
	"tr": true, "td": true, "p": true, "strong": true, "img": true, "span": true, "h2": true,
	"ul": true, "li": true, "a": true, "br": true,
}

func assertEmailSafe(t *testing.T, h string) {
	t.Helper()
	for _, m := range tagName.FindAllStringSubmatch(h, -1) {
		if !allowedTags[strings.ToLower(m[1])] {
			t.Errorf("unexpected element <%s> in the HTML", m[1])
		}
	}
	for _, m := range srcAttr.FindAllStringSubmatch(h, -1) {
		if !strings.HasPrefix(m[1], "cid:") {
			t.Errorf("image source %q is not cid:", m[1])
		}
	}
	for _, m := range hrefAttr.FindAllStringSubmatch(h, -1) {
		if !strings.HasPrefix(m[1], "https://") && !strings.HasPrefix(m[1], "http://") {
			t.Errorf("link %q is not http(s)", m[1])
		}
	}
	lower := strings.ToLower(h)
	for _, bad := range []string{"<script", "javascript:", "<style", "<link", "<iframe", "onerror", "onload", "<object", "<embed", "<form"} {
		if strings.Contains(lower, bad) {
			t.Errorf("HTML contains %q", bad)
		}
	}
}

// TestTemplateOverride checks a file in the templates directory replaces
// the embedded default of the same name, and a broken one is an error.
func TestTemplateOverride(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, TextTemplate), []byte("Week {{.Week}}{{if .ForUser}} for you{{end}}: {{range .Projects}}{{.Name}}={{health .Health}} {{end}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Render(Build(fixtureInput(t, Detailed)), dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Week 47 for you: Apollo=Blocked Zephyr=At risk Hermes=At risk\n"; r.Text != want {
		t.Errorf("Text = %q, want %q", r.Text, want)
	}
	if want := "Week 47: Apollo=Blocked Zephyr=At risk Hermes=At risk\n"; r.DraftText != want {
		t.Errorf("DraftText = %q, want %q", r.DraftText, want)
	}
	if !strings.Contains(r.HTML, "How to use this draft") {
		t.Errorf("HTML did not fall back to the embedded template")
	}
	if err := os.WriteFile(filepath.Join(dir, HTMLTemplate), []byte("{{.Nope"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Render(Build(fixtureInput(t, Detailed)), dir); err == nil {
		t.Errorf("a broken override template rendered without error")
	}
}

// TestEmptyInput checks a first run with nothing configured or received
// still renders a usable draft, and odd messages are tolerated.
func TestEmptyInput(t *testing.T) {
	now := at(berlin(t), 20, 15, 0)
	for name, in := range map[string]Input{
		"nothing": {Now: now},
		"odd messages": {
			Now: now, Since: now.AddDate(0, 0, -7), Projects: []Project{{Name: "P"}},
			Msgs: []Msg{
				{Project: "P"},
				{Project: "P", Date: now.Add(-time.Hour), Subject: "Re: Re:", Visible: "\n\n|---|\n* \n"},
				{Project: "P", Date: now.Add(-time.Hour), MessageID: "<x>", InReplyTo: "<x>", References: []string{"<x>", ""}},
			},
		},
	} {
		t.Run(name, func(t *testing.T) {
			r, err := Render(Build(in), "")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(r.DraftText, "ASKS / WHERE I NEED YOUR INPUT") || !strings.Contains(r.DraftText, "[fill in, or delete this section]") {
				t.Errorf("draft lacks the asks section:\n%s", r.DraftText)
			}
			if r.Subject != "Draft: weekly update, no news on the projects — week 47" {
				t.Errorf("Subject = %q", r.Subject)
			}
			assertEmailSafe(t, r.HTML)
		})
	}
}

// Without draft_for the update still greets the boss, but the note does not
// send the user to a Drafts folder that holds nothing.
func TestNoteWithoutDrafts(t *testing.T) {
	m := Build(Input{Now: time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC), Since: time.Date(2026, 11, 13, 15, 0, 0, 0, time.UTC),
		Loc: time.UTC, BossName: "Dana Whitfield", MeName: "Alex Doe", Projects: []Project{{Name: "Apollo", Label: "Status/Apollo"}}})
	r, err := Render(m, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Text, "Hi Dana,") || !strings.Contains(r.Subject, "for Dana") {
		t.Errorf("the update should greet the boss: %q\n%s", r.Subject, r.Text)
	}
	if strings.Contains(r.Text, "Drafts folder") || strings.Contains(r.HTML, "Drafts</strong> folder") {
		t.Errorf("the note mentions a Drafts folder although no draft is saved")
	}
}
