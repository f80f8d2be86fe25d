package reading

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
)

func sentencesOf(d Doc) []string {
	var out []string
	for _, s := range d.Sentences {
		out = append(out, s.Text)
	}
	return out
}

// A hard-wrapped paragraph reads as whole sentences, never as lines.
func TestWrappedParagraph(t *testing.T) {
	text := `The beta date of the 28th is at risk and will most likely be
slipping by about a week unless the credentials land by Wednesday. We
launched the consumer cutover on
Tuesday for the first region.`
	got := sentencesOf(Read(text))
	want := []string{
		"The beta date of the 28th is at risk and will most likely be slipping by about a week unless the credentials land by Wednesday.",
		"We launched the consumer cutover on Tuesday for the first region.",
	}
	if !slices.Equal(got, want) {
		t.Errorf("sentences:\n got %q\nwant %q", got, want)
	}
}

// Short lines the writer ended on purpose stay separate sentences.
func TestShortLinesKeepTheirBreaks(t *testing.T) {
	text := "Apache Aries was founded 2010-12-15 (9 years ago)\nThere are currently 57 committers and 41 PMC members in this project,\nthe most ever."
	got := sentencesOf(Read(text))
	if len(got) != 2 || got[0] != "Apache Aries was founded 2010-12-15 (9 years ago)" || !strings.HasSuffix(got[1], "project, the most ever.") {
		t.Errorf("sentences %q", got)
	}
}

func TestListItems(t *testing.T) {
	text := `Done:
- Moved 25 of 40 queues to the new cluster (the rest
  follow next week)
- Latency is 30% lower
* Released 1.9.1
1. Wrote the runbook
2) Trained on-call
• Bullet with a bullet sign`
	d := Read(text)
	var items []string
	for _, b := range d.Blocks {
		if b.Kind == Item {
			items = append(items, b.Text)
			if b.Section != Done {
				t.Errorf("item %q in section %q, want done", b.Text, b.Section)
			}
		}
	}
	want := []string{"Moved 25 of 40 queues to the new cluster (the rest follow next week)", "Latency is 30% lower",
		"Released 1.9.1", "Wrote the runbook", "Trained on-call", "Bullet with a bullet sign"}
	if !slices.Equal(items, want) {
		t.Errorf("items:\n got %q\nwant %q", items, want)
	}
}

// A table is rows, never a sentence; its header is not news.
func TestTable(t *testing.T) {
	for _, text := range []string{
		"| Workstream | Owner | Status | Blocked |\n|---|---|---|---|\n| Card vault migration | Priya | On track | 0 |\n| Ledger export | Sam | At risk | 0 |",
		"Workstream | Owner | Status | Blocked\nCard vault migration | Priya | On track | 0\nLedger export | Sam | At risk | 0",
	} {
		d := Read(text)
		var rows []Block
		for _, b := range d.Blocks {
			if b.Kind == Row {
				rows = append(rows, b)
			}
		}
		if len(rows) != 2 || rows[0].Marker != Green || rows[1].Marker != Amber {
			t.Fatalf("rows %+v: want two body rows marked green and amber", rows)
		}
		if !slices.Equal(rows[0].Header, []string{"Workstream", "Owner", "Status", "Blocked"}) {
			t.Errorf("header %q", rows[0].Header)
		}
		for _, s := range d.Sentences {
			if strings.Contains(s.Text, "|") || strings.Contains(s.Text, "Workstream") {
				t.Errorf("sentence %q: a row is read as a phrase, the header not at all", s.Text)
			}
		}
		if v := Judge(d); v.Level != LevelAmber {
			t.Errorf("health %s (%s), want amber from the At risk row; the Blocked column is not news", v.Level, v.Rule)
		}
	}
}

func TestHeadingForms(t *testing.T) {
	tests := []struct {
		name, text string
		want       Section
	}{
		{"markdown", "## Risks\nThe vendor is late.", Risks},
		{"markdown with colon", "## Next steps:\nShip it.", Next},
		{"underlined", "What shipped\n------------\nThe importer.", Done},
		{"underlined with =", "Summary\n=======\nAll good.", Summary},
		{"label", "Still to do:\nDecommission the old Kafka brokers.", Next},
		{"bold", "**Blockers**\nLegal review.", Risks},
		{"bold with colon", "**Asks:**\nA decision on the vendor.", Asks},
		{"capitals", "WHAT I NEED\nA second reviewer.", Asks},
		{"inline", "Still to do: Decommission the old Kafka brokers (scheduled for next Wednesday)", Next},
		{"tl;dr", "TL;DR: we are live.", Summary},
		{"german", "## Nächste Schritte\nWir testen.", Next},
		{"french", "Prochaines étapes :\nOn teste.", Next},
		{"spanish", "**Riesgos**\nEl proveedor tarda.", Risks},
		{"a name alone, as HTML headings come out", "Risks\n\nThe vendor is late.", Risks},
		{"a name alone above a list", "Next steps\n- load test on Friday", Next},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Read(tt.text)
			if len(d.Sentences) == 0 {
				t.Fatalf("no sentences in %+v", d.Blocks)
			}
			s := d.Sentences[0]
			if s.Section != tt.want {
				t.Errorf("sentence %q in section %q, want %q (blocks %+v)", s.Text, s.Section, tt.want, d.Blocks)
			}
			for _, s := range d.Sentences {
				if strings.HasPrefix(s.Text, "#") || strings.HasPrefix(s.Text, "**") || strings.HasPrefix(s.Text, "---") {
					t.Errorf("heading glued to text: %q", s.Text)
				}
			}
		})
	}
}

// "## Description: The mission of …" is a heading, then its text.
func TestHeadingGluedToText(t *testing.T) {
	d := Read("## Description: The mission of Apache Dubbo is the creation of an RPC framework.\n\n## Issues:\nNone.")
	if got := sentencesOf(d); len(got) != 2 || got[0] != "The mission of Apache Dubbo is the creation of an RPC framework." {
		t.Errorf("sentences %q", got)
	}
	if d.Sentences[0].Section != Info || d.Sentences[1].Section != Risks {
		t.Errorf("sections %q %q", d.Sentences[0].Section, d.Sentences[1].Section)
	}
}

func TestMarkers(t *testing.T) {
	tests := []struct {
		line string
		want Marker
	}{
		{"✅ Importer shipped", Checked}, {"☑ Docs", Checked}, {"- [x] Runbook written", Checked}, {"[ ] Load test", Open},
		{"🟢 Payments", Green}, {"🟡 Search", Amber}, {"🟠 Search", Amber}, {"⚠️ Capacity is tight", Amber},
		{"🔴 Checkout", Red}, {"❌ Vendor keys", Red}, {"- 🔴 Checkout", Red},
	}
	for _, tt := range tests {
		d := Read(tt.line)
		if len(d.Sentences) != 1 || d.Sentences[0].Marker != tt.want {
			t.Errorf("%q: %+v, want marker %q", tt.line, d.Sentences, tt.want)
		}
		if strings.ContainsAny(d.Sentences[0].Text, "✅☑🟢🟡🟠⚠🔴❌[") {
			t.Errorf("%q: the marker is left in the text %q", tt.line, d.Sentences[0].Text)
		}
	}
}

// One sentence, its health: negation, scope, resolution, context.
func TestSentenceHealth(t *testing.T) {
	tests := []struct {
		text string
		want Level
	}{
		{"There are no issues requiring board attention.", LevelUnknown},
		{"## Risks\nNothing new.", LevelUnknown},
		{"Risks: Nothing new", LevelUnknown},
		{"None of these should hold the beta.", LevelUnknown},
		{"The migration is blocked on legal.", LevelRed},
		{"The migration is no longer blocked.", LevelGreen},
		{"It was blocked on legal review, now fixed.", LevelGreen},
		{"We are not blocked.", LevelUnknown},
		{"The launch is not on track.", LevelAmber},
		{"We are not behind schedule.", LevelGreen},
		{"The project is ready to be archived because there is no new development.", LevelRed},
		{"There was no significant progress this quarter.", LevelAmber},
		{"Community engagement is down.", LevelAmber},
		{"We see low participation in the calls.", LevelAmber},
		{"25 of 40 queues moved, latency 30% lower.", LevelGreen},
		{"We released 1.9.1.", LevelGreen},
		{"Jonas was added as committer.", LevelGreen},
		{"The project is making steady, but not stellar, progress.", LevelGreen},
		{"Mailing list traffic dropped by 20%.", LevelUnknown},
		{"Traffic fell, but contributors increased.", LevelGreen},
		{"This lets us identify potential regressions early.", LevelUnknown},
		{"## Description:\nApache Foo had an outage-free decade.", LevelUnknown},
		{"Status: Red", LevelRed},
		{"## Health\n🟢 On track", LevelGreen},
		// German, French, Spanish
		{"Die Migration ist blockiert.", LevelRed},
		{"Die Migration ist nicht mehr blockiert.", LevelGreen},
		{"Wir sind im Zeitplan.", LevelGreen},
		{"Risiken: Keine", LevelUnknown},
		{"La migration est bloquée.", LevelRed},
		{"Le projet est en retard.", LevelAmber},
		{"Risques : rien à signaler", LevelUnknown},
		{"La migración está bloqueada.", LevelRed},
		{"El lanzamiento está en riesgo.", LevelAmber},
		{"Ya no está bloqueado.", LevelGreen},
	}
	for _, tt := range tests {
		v := Judge(Read(tt.text))
		if v.Level != tt.want {
			t.Errorf("%q: %s (%s, %q), want %s", tt.text, v.Level, v.Rule, v.Sentence, tt.want)
		}
	}
}

// The verdict names the sentence and the rule behind it.
func TestVerdictNamesItsSentence(t *testing.T) {
	v := Judge(Read("Good progress on the importer.\n\nThe beta date of the 28th is at risk and will most likely be\nslipping by about a week."))
	if v.Level != LevelAmber || v.Sentence != "The beta date of the 28th is at risk and will most likely be slipping by about a week." || !strings.Contains(v.Rule, "at risk") {
		t.Errorf("verdict %+v", v)
	}
}

// JudgeText, which judges from pooled buffers, says what Judge(Read) says.
func TestJudgeTextIsJudgeRead(t *testing.T) {
	texts := []string{"", "Blocked on the vendor.", "## Risks\nNothing new.\n\n## Done\n- Shipped 1.9.1\n| Status | Owner |\n| At risk | Priya |"}
	ents, _ := os.ReadDir("testdata/asf-dev")
	for _, e := range ents {
		if b, err := os.ReadFile("testdata/asf-dev/" + e.Name()); err == nil {
			texts = append(texts, string(b))
		}
	}
	for i, s := range texts {
		want, _ := json.Marshal(Judge(Read(s)))
		// twice: the second run reuses the pooled buffers
		for range 2 {
			if got, _ := json.Marshal(JudgeText(s)); string(got) != string(want) {
				t.Fatalf("text %d: JudgeText = %s, Judge(Read) = %s", i, got, want)
			}
		}
	}
	if len(texts) < 10 {
		t.Fatalf("only %d texts: wrong testdata path?", len(texts))
	}
}
