package reading

import (
	"strings"
	"testing"
)

// appendWords is strings.Join(words(s), " ") with the ends of the first
// words' joins; fieldCount is len(strings.Fields(s)), capped.
func FuzzWordKeyAgrees(f *testing.F) {
	for _, s := range []string{"", "Next steps for Q3", "  Risks:  ", "İSTANBUL \u212a ſ Zoë’s off-track/x", "\xff\xc3 a\u00a0b\u2003c\v\fd", "stall* x*y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ws := words(s)
		var ends [4]int
		got, n := appendWords(nil, s, ends[:])
		if want := strings.Join(ws, " "); string(got) != want || n != len(ws) {
			t.Fatalf("appendWords(%q) = %q, %d; want %q, %d", s, got, n, want, len(ws))
		}
		for k := 0; k < min(n, len(ends)); k++ {
			if want := strings.Join(ws[:k+1], " "); string(got[:ends[k]]) != want {
				t.Fatalf("appendWords(%q): first %d words %q, want %q", s, k+1, got[:ends[k]], want)
			}
		}
		if got, want := Default.gContinues.isLastWord(s), len(ws) > 0 && Default.gContinues.isWordsRef(ws[len(ws)-1:]); got != want {
			t.Fatalf("isLastWord(%q) = %v, want %v", s, got, want)
		}
		if got, want := Default.groups["columns"].isText(s), Default.groups["columns"].isWordsRef(ws); got != want {
			t.Fatalf("isText(%q) = %v, want %v", s, got, want)
		}
		for _, limit := range []int{1, 5, 7, 1 << 30} {
			if got, want := fieldCount(s, limit), min(len(strings.Fields(s)), limit); got != want {
				t.Fatalf("fieldCount(%q, %d) = %d, want %d", s, limit, got, want)
			}
		}
	})
}

// classify skips the marker glyphs on a line that starts with an ASCII
// byte: no glyph does.
func TestGlyphsStartMultibyte(t *testing.T) {
	for _, g := range markerGlyphs {
		if g.glyph == "" || g.glyph[0] < 0x80 {
			t.Errorf("marker glyph %q starts with an ASCII byte", g.glyph)
		}
	}
}

// isWordsRef is phraseSet.is's answer.
func (s *phraseSet) isWordsRef(ws []string) bool {
	_, ok := s.is(ws)
	return ok
}
