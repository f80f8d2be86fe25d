package reading

import (
	"slices"
	"testing"
	"unicode"
	"unicode/utf8"
)

// Words are lowercased, split at anything but letters, digits and the
// apostrophe, with a clause mark (",") where punctuation ends a clause.
func TestTokens(t *testing.T) {
	var sc scratch // reused across calls, as Judge does
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"The launch is NOT on track, but we’re close (really).", []string{"the", "launch", "is", "not", "on", "track", ",", "but", "we're", "close", ",", "really", ","}},
		{"Die Migration ist blockiert — aber: bald!", []string{"die", "migration", "ist", "blockiert", ",", "aber", ",", "bald"}},
		{"Ya no está bloqueado; ¿vale?", []string{"ya", "no", "está", "bloqueado", ",", "vale"}},
		{"完成了。", []string{"完成了"}},
		{"", nil},
		{", , ,", nil},
		{"a,b", []string{"a", ",", "b"}},
		{"\"quoted\" words", []string{"quoted", ",", "words"}},
		{"Zoë’s pool-size change – we’ll see", []string{"zoë's", "pool", "size", "change", ",", "we'll", "see"}},
		{"\xff\xfe broken", []string{"broken"}},
	} {
		got := tokensScratch(&sc, tc.in)
		if len(got) == 0 {
			got = nil
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("tokens(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// tokensRef is tokensScratch as first written (every word a slice of one
// lowercased copy of the sentence): the oracle for the one that slices
// unchanged words out of the sentence.
func tokensRef(s string) []string {
	var b []byte
	var spans [][2]int
	start := -1
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		lr := r
		if r == '\u2019' {
			lr = '\''
		} else if r != utf8.RuneError {
			lr = unicode.ToLower(r)
		}
		b = utf8.AppendRune(b, lr)
		if lr < 0x80 && ('a' <= lr && lr <= 'z' || '0' <= lr && lr <= '9' || lr == '\'') ||
			lr >= 0x80 && (unicode.IsLetter(lr) || unicode.IsDigit(lr) || unicode.Is(unicode.Mn, lr)) {
			if start < 0 {
				start = len(b) - utf8.RuneLen(lr)
			}
			continue
		}
		if start >= 0 {
			spans = append(spans, [2]int{start, len(b) - utf8.RuneLen(lr)})
			start = -1
		}
		switch lr {
		case ',', ';', ':', '(', ')', '"', '\u2014', '\u2013', '\u201c', '\u201d':
			if len(spans) > 0 && spans[len(spans)-1][0] >= 0 {
				spans = append(spans, [2]int{-1, -1})
			}
		}
	}
	if start >= 0 {
		spans = append(spans, [2]int{start, len(b)})
	}
	var out []string
	for _, sp := range spans {
		if sp[0] < 0 {
			out = append(out, clauseMark)
		} else {
			out = append(out, string(b[sp[0]:sp[1]]))
		}
	}
	return out
}

func FuzzTokensAgree(f *testing.F) {
	for _, s := range []string{"The launch is NOT on track, but we’re close (really).", "İstanbul KELVIN \u212a ſ", "\xff\xfe broken", "Zoë’s pool-size"} {
		f.Add(s)
	}
	var sc scratch
	f.Fuzz(func(t *testing.T, s string) {
		got := slices.Clone(tokensScratch(&sc, s))
		if want := tokensRef(s); len(got) != 0 || len(want) != 0 {
			if !slices.Equal(got, want) {
				t.Errorf("tokens(%q) = %q, want %q", s, got, want)
			}
		}
	})
}
