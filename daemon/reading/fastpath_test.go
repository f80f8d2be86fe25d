package reading

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The fast paths of the sentence splitter, the block builder and judge,
// each held to what it stands in for.

// isAbbreviation is the map lookup it replaces, on every key, every key
// without its final period, and words that are none.
func TestAbbreviationSwitch(t *testing.T) {
	want := func(w string) bool { return abbreviations[w] || abbreviations[w+"."] }
	words := []string{"", "e", "g", "eg.", "etc", "approxi", "aprox.", "num", "núm", "NO", "No", "vs.", "ca", "ca..", "sr.", "s", "pp.", "z.b.", "p.ej."}
	for k := range abbreviations {
		if len(k) > maxAbbreviation {
			t.Errorf("abbreviation %q is longer than maxAbbreviation", k)
		}
		words = append(words, k, strings.TrimSuffix(k, "."), k+".", k+"x", "x"+k)
	}
	for _, w := range words {
		if got := isAbbreviation(w); got != want(w) {
			t.Errorf("isAbbreviation(%q) = %v, want %v", w, got, want(w))
		}
	}
}

func FuzzAbbreviationAgrees(f *testing.F) {
	for _, s := range []string{"e.g", "ca", "ca.", "approx", "núm", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, w string) {
		if got, want := isAbbreviation(w), abbreviations[w] || abbreviations[w+"."]; got != want {
			t.Errorf("isAbbreviation(%q) = %v, want %v", w, got, want)
		}
		if got, want := trimOpeners(w), strings.TrimLeft(w, "(\"'\u201c"); got != want {
			t.Errorf("trimOpeners(%q) = %q, want %q", w, got, want)
		}
	})
}

func TestTrimOpeners(t *testing.T) {
	for _, s := range []string{"", "(", "(\"'x", "\u201cquoted", "\u201c\u201c(e.g", "\u201d", "\xe2\x80", "x(", "((\u201c", "\u201c"} {
		if got, want := trimOpeners(s), strings.TrimLeft(s, "(\"'\u201c"); got != want {
			t.Errorf("trimOpeners(%q) = %q, want %q", s, got, want)
		}
	}
}

// The word before a period, read back byte by byte: multibyte runes,
// invalid bytes and openers in front of it split as the reference does.
func TestSentencesWordBeforePeriod(t *testing.T) {
	for _, s := range []string{
		"See (e.g. Foo) here. Next one.",
		"Dr. Smith is here. Then núm. 5 and Núm. Six.",
		"Über. Straße e.g. Ende. Ça va. J. Smith came.",
		"\u201cE.g. this\u201d. And \u201cetc. The next\u201d.",
		"Broken \xff. Next \xc3. Then \xe2\x80. After.",
		"x\u00a0ca. Foo. (\"'vs. Bar. U.S. Army. p.m. Later. 1.9.1. Done.",
		"A. B. Z.B. Wir. z.B. wir. ca. 5 Leute. Sr. Pérez.",
		"Tab\tvs. Them. Line\nno. 5. No. Five.",
	} {
		if got, want := Sentences(s), refSentences(s); !reflect.DeepEqual(got, want) {
			t.Errorf("Sentences(%q) = %q, want %q", s, got, want)
		}
	}
}

// markerRank orders markers as worseMarker's map did.
func TestMarkerRank(t *testing.T) {
	rank := map[Marker]int{NoMarker: 0, Open: 0, Checked: 1, Green: 1, Amber: 2, Red: 3}
	ms := []Marker{NoMarker, Open, Checked, Green, Amber, Red, "other"}
	for _, a := range ms {
		if markerRank(a) != rank[a] {
			t.Errorf("markerRank(%q) = %d, want %d", a, markerRank(a), rank[a])
		}
		for _, b := range ms {
			want := a
			if rank[b] > rank[a] {
				want = b
			}
			if got := worseMarker(a, b); got != want {
				t.Errorf("worseMarker(%q, %q) = %q, want %q", a, b, got, want)
			}
		}
	}
}

// markerWords names each marker word as the sets asked in turn did: the
// first of Red, Amber, Green that has it.
func TestMarkerWords(t *testing.T) {
	lx := Default
	keys := map[string]bool{"": true, "nope": true, "on": true}
	for _, s := range lx.markers {
		for k := range s.whole {
			keys[k] = true
		}
	}
	for k := range keys {
		want := NoMarker
		for _, m := range []Marker{Red, Amber, Green} {
			if _, ok := lx.markers[m].whole[k]; ok {
				want = m
				break
			}
		}
		if got := lx.markerWords[k]; got != want {
			t.Errorf("markerWords[%q] = %q, want %q", k, got, want)
		}
	}
	b := builder{lx: lx}
	for _, tc := range []struct {
		cell string
		want Marker
	}{{"Red", Red}, {"On track", Green}, {"At risk", Amber}, {"BLOCKED", Red}, {"off-track", Red}, {"g", Green}, {"on track now please", NoMarker}, {"", NoMarker}, {"fine", NoMarker}} {
		if got := b.wordMarker(tc.cell); got != tc.want {
			t.Errorf("wordMarker(%q) = %q, want %q", tc.cell, got, tc.want)
		}
	}
	for _, row := range []string{
		"| Status | Owner |\n|---|---|\n| On track | Priya |\n| 🔴 late | Sam |\n| ✅ | Kim |\n| ⚠️ | Lee |\n|  | |\n| Red | at risk |",
	} {
		agreeOn(t, "marker table", row)
	}
}

// A contrast is only read when the sentence is amber; the others judge as
// the reference does, contrast or not.
func TestContrastOnlyTurnsAmber(t *testing.T) {
	for _, tc := range []struct {
		text string
		want Level
	}{
		{"The release slipped a week, but the fix is merged now.", LevelGreen},
		{"The release slipped, but it is blocked on legal.", LevelRed},
		{"We are blocked, but the fix is merged.", LevelRed},
		{"The migration is done, but nobody has looked at it.", LevelGreen},
		{"Traffic decreased, but contributors increased.", LevelGreen},
		{"The beta is at risk, however we shipped the fix.", LevelGreen},
		{"The beta is at risk, but we are still waiting.", LevelAmber},
		{"Delayed, but, nothing else.", LevelAmber},
		{"Slipped but", LevelAmber},
		{"Fine, but merged.", LevelGreen},
	} {
		if got := JudgeText(tc.text); got.Level != tc.want {
			t.Errorf("JudgeText(%q) = %s, want %s", tc.text, got.Level, tc.want)
		}
		agreeOn(t, "contrast", tc.text)
	}
}

// JudgeTextHits passes over the sentences of Info sections, as judge
// does: the level and hits are the reference's.
func TestHitsWithoutInfo(t *testing.T) {
	left := 0
	for _, text := range []string{
		"## Description\nThe project is blocked by nothing. It was delayed once.\n\n## Activity\nWe shipped 1.2.\n",
		"Description: a blocked, delayed, at-risk project.\n\nAll done and merged.",
		"## Background\n- blocked\n- at risk\n| Status | Owner |\n|---|---|\n| Red | Sam |\n\n## Risks\nNone.\n",
		"## Description\nStatus: Red\n## Summary\nStatus: Green, on track.",
		"## Membership\nDelayed.\n",
	} {
		var got []Hit
		level := Default.JudgeTextHits(text, func(hs []Hit) { got = append([]Hit(nil), hs...) })
		v := refJudgeText(text)
		var want []Hit
		for _, j := range v.Judged {
			want = append(want, j.Hits...)
		}
		if level != v.Level || !reflect.DeepEqual(got, want) {
			t.Errorf("JudgeTextHits(%q) = %s %+v, want %s %+v", text, level, got, v.Level, want)
		}
		// and the sentences left out are exactly the Info sections'
		rb := new(readBuffers)
		_, all := Default.readInto(text, rb, false)
		var news []Sentence
		for _, s := range all {
			if s.Section != Info {
				news = append(news, s)
			}
		}
		rb2 := new(readBuffers)
		_, some := Default.readSentencesInto(text, rb2, false, false)
		left += len(all) - len(news)
		if !reflect.DeepEqual(cloneOrNil(some), cloneOrNil(news)) {
			t.Errorf("readSentencesInto(%q) without info = %+v, want %+v", text, some, news)
		}
	}
	if left < 5 {
		t.Errorf("only %d sentences in Info sections: the texts do not test leaving them out", left)
	}
}

// percentile90 is the sorted index it stands in for, with lengths in and
// out of the histogram.
func TestPercentile90(t *testing.T) {
	for _, ls := range [][]int{
		{30}, {31, 30}, {72, 72, 72}, {30, 285, 285, 40}, {286}, {30, 286, 31},
		{100, 40, 60, 80, 72, 72, 73, 74, 75, 76, 77, 78, 79, 30, 285}, {1 << 20, 30, 40},
	} {
		want := slices.Clone(ls)
		slices.Sort(want)
		if got := percentile90(slices.Clone(ls)); got != want[len(want)*9/10] {
			t.Errorf("percentile90(%v) = %d, want %d", ls, got, want[len(want)*9/10])
		}
	}
}

func FuzzPercentile90(f *testing.F) {
	f.Add([]byte{0, 10, 200, 255})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) == 0 {
			return
		}
		ls := make([]int, len(b))
		for k, c := range b {
			ls[k] = 30 + int(c) + int(c&1)*int(c) // some of them past the histogram
		}
		want := slices.Clone(ls)
		slices.Sort(want)
		if got := percentile90(ls); got != want[len(want)*9/10] {
			t.Errorf("percentile90(%v) = %d, want %d", b, got, want[len(want)*9/10])
		}
	})
}

// mayHitHolds fails where mayHit says no phrase of the hitStarts sets
// starts at a word of text's sentences but one does; it returns how
// often it said no.
func mayHitHolds(t testing.TB, text string) (no int) {
	t.Helper()
	lx := Default
	sets := []*phraseSet{lx.gContrast, lx.gNeutral, lx.levelSets[0], lx.levelSets[1], lx.levelSets[2], lx.gAmberTrend, lx.gNegatedRed}
	var sc scratch
	for _, s := range Sentences(text) {
		sw := lx.sentInto(&sc, tokensScratch(&sc, s))
		for i := range sw.ws {
			if sw.mask[i]&lx.hitStarts == 0 || sw.mayHit(i, lx.hitStarts) {
				continue
			}
			no++
			for _, set := range sets {
				if p := set.atS(&sw, i); p != nil {
					t.Fatalf("mayHit(%q, %d) is false, but %q starts there", sw.ws, i, p.text)
				}
			}
		}
	}
	return no
}

func TestMayHit(t *testing.T) {
	no := 0
	for _, text := range []string{
		"We are on track. The work is on hold, on schedule, on Tuesday. On",
		"It is a move to the attic; a delay. At risk, at a standstill, at noon.",
		"The launch is live, is late, is fine. Stalled, stall, still stalling.",
		"Decreasing traffic, decreased, down by 5, down for maintenance, down",
		"No activity, no active work, no development. Not on track.",
	} {
		no += mayHitHolds(t, text)
	}
	for name, text := range fixtureTexts(t) {
		_ = name
		no += mayHitHolds(t, text)
	}
	for i := range 300 {
		no += mayHitHolds(t, corpusBody(benchCorpus.Mail(i*97)))
	}
	if no < 100 {
		t.Errorf("mayHit said no only %d times: the texts do not test it", no)
	}
}

func FuzzMayHit(f *testing.F) {
	for _, s := range []string{"We are on track, on hold. It is a move to the attic.", "Stalled at risk; is live"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) { mayHitHolds(t, text) })
}
